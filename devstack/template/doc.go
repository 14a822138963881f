// Package template loads a synthesized CloudFormation template and turns it
// into typed views of the resources devstack runs: Lambda functions,
// DynamoDB tables, SQS queues, EventBridge buses and rules, event source
// mappings, Step Functions state machines, Secrets Manager secrets and the
// API Gateway REST API.
//
// Load resolves the intrinsic functions CloudFormation evaluates at deploy
// time (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If
// with the Conditions section, and the pseudo parameters) to the local
// physical names and ARNs a devstack run uses, with the values CloudFormation
// documents for each resource type: Ref of a queue is its URL, Ref of a
// function or table is its name, Ref of a state machine or secret is its ARN,
// Ref of a REST API is its id, and so on. Resources without an explicit name
// get a stable, readable one, "<stack>-<LogicalId>", instead of
// CloudFormation's random suffix. Outputs are resolved alike, and an output
// that is a URL of the template's REST API on execute-api is given on the
// endpoint devstack serves the API on, so it reaches devstack.
//
// Nothing is silently ignored. Every resource type is either honoured, or
// listed as inert with the reason it has no local effect (IAM, alarms, log
// groups, WAF, ...); any other type is refused, naming the resource. Within an
// honoured type every property is either honoured, listed as ignored with a
// reason, or refused, naming the resource and the property. Stack.Inert and
// Stack.Ignored list what was accepted without effect so devstack can say so.
//
// The package is hand-written: the tools that evaluate templates are
// CloudFormation itself and cfn-lint (Python), and the Go template library,
// awslabs/goformation, parses templates into types but leaves intrinsic
// resolution to CloudFormation and knows nothing of what a local runtime can
// honour, which is the point here. A Stack is immutable after Load and safe
// for concurrent use.
package template
