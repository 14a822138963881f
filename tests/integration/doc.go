// Package integration is the black-box suite of goshop: it drives a running
// stack only through its public HTTPS API and the AWS APIs, so one green run
// means the same on every target. It imports no package of the app.
//
// Targets: devstack (`make test-integration`, the default and what CI
// runs), LocalStack (`make test-localstack`) and a deployed stack
// (`make test-aws`). The suite is configured by the environment:
//
//	GOSHOP_TARGET          devstack, localstack or aws (what the target can do; see below)
//	GOSHOP_OUTPUTS         the stack outputs as `cdk deploy --outputs-file` writes them
//	                       (devstack writes the same file with -outputs-file)
//	GOSHOP_STACK           the stack in that file when it holds several
//	GOSHOP_API_URL         overrides the ApiUrl output (e.g. behind a custom domain)
//	GOSHOP_ADMIN_EMAIL     an admin's email: it must be in the stack's adminEmails
//	GOSHOP_ADMIN_PASSWORD  its password; the suite registers the account when it is new
//	AWS_ENDPOINT_URL       the AWS endpoint of devstack or LocalStack; unset for AWS
//	AWS_REGION and the usual AWS credential variables or profile
//
// The suite adds its own EventBridge rule and SQS queue to observe the bus,
// and removes them when it ends; everything else it creates (users,
// products, orders) is named uniquely per run, so runs may share a stack.
package integration
