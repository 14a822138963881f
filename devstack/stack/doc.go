// Package stack runs a synthesized goshop template on one machine: it wires
// the devstack emulators together the way the AWS services behind the
// template are wired, and owns their lifecycle.
//
// Run loads the template (devstack/template) and starts, in order:
//
//   - DynamoDB Local (devstack/ddbemu, -sharedDb) with the template's tables;
//   - the template's Secrets Manager secrets (devstack/secretsemu), generated
//     values drawn once per run;
//   - every function, built for the host from its Go package (devstack/lambdart)
//     into <Root>/.build/devstack and registered with its template environment
//     plus AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_DYNAMODB_STREAMS
//     (DynamoDB Local) and AWS_ENDPOINT_URL_SQS, _EVENTBRIDGE, _SFN, _LAMBDA and
//     _SECRETS_MANAGER (the AWS endpoint), and with its reserved concurrency:
//     only a function that has one is throttled, as on AWS (see lambdart);
//   - the SQS queues (devstack/sqsemu, dead-letter queues first), the event
//     buses and rules (devstack/eventsemu) with their targets resolved from
//     the template's ARNs (a queue, a function invoked asynchronously, a state
//     machine), the state machines (devstack/sfnemu, whose lambda:invoke tasks
//     run through lambdart and whose events:putEvents tasks go to eventsemu).
//     Queues created at run time (CreateQueue on the AWS endpoint) live in the
//     same broker, and the targets of PutTargets are resolved the same way:
//     a queue ARN to any queue of the broker, whoever created it, a function
//     or state machine ARN to the template's;
//   - an SQS poller per SQS event source mapping and a DynamoDB Streams poller
//     per stream mapping (its on-failure destination a template queue);
//   - the AWS endpoint, one HTTP server dispatching by X-Amz-Target prefix
//     (AmazonSQS., AWSEvents., AWSStepFunctions., secretsmanager.) and by path
//     for Lambda's Invoke API (/2015-03-31/functions/...);
//   - the REST API (devstack/apigw), served under /<stage>/.
//
// A queue's Ref in the template, which functions get in their environment,
// is its URL on the AWS endpoint (http://<host:port>/<account>/<name>), and
// AWS_ENDPOINT_URL_SQS sends their SDK there, so every SQS action on it
// works from inside a function, ChangeMessageVisibility on the receipt
// handle of an SQS event record included: the SQS pollers hand the function
// the handle of the receive that produced the batch and never change a
// message's visibility themselves.
//
// Running.Close stops everything in the reverse order and waits for it: no
// goroutine or process Run started outlives Close.
//
// Asynchronous Lambda invocations (rules targeting a function) run in the
// background; unlike Lambda they are not retried after a function error,
// which is logged. The template has no such target today.
//
// The package is the glue of devstack's own emulators, so no library could
// provide it; it knows nothing of the app beyond what the template says.
package stack
