// Package sfnemu emulates AWS Step Functions for devstack: Standard state
// machines registered from the template, executions run in the background
// by devstack/asl, and the Step Functions API (AWS JSON 1.0, X-Amz-Target
// AWSStepFunctions.<Action>) so the SDK's sfn client works against it.
//
// Served actions: StartExecution, DescribeExecution, StopExecution,
// GetExecutionHistory, ListExecutions, DescribeStateMachine and
// ListStateMachines. Others answer UnknownOperationException naming the
// action (state machines come from the template, through Register).
//
// Behaviour that follows the AWS documentation:
//
//   - StartExecution is idempotent for Standard workflows: the same name and
//     the same input as a RUNNING execution returns that execution's ARN
//     and start date; the same name with a different input, or the name of
//     an execution that has closed (SUCCEEDED, FAILED, TIMED_OUT, ABORTED),
//     is ExecutionAlreadyExists. (AWS lets a name be reused after 90 days;
//     a devstack run never lasts that long, so names are never reused.)
//     Without a name, a UUID is used. Names are 1 to 80 characters without
//     whitespace, brackets, wildcards, the special characters
//     " # % \ ^ | ~ ` $ & , ; : / or control characters (InvalidName); the
//     input must be JSON (InvalidExecutionInput) of at most 256 KiB; an
//     absent input is "{}".
//   - Execution ARNs are the state machine's ARN with "stateMachine"
//     replaced by "execution", followed by ":<name>".
//   - Two service integrations are honoured, the optimized ones:
//     "arn:aws:states:::lambda:invoke" (Parameters FunctionName and Payload)
//     returns {"ExecutedVersion":"$LATEST","Payload":<the function's result
//     as JSON>,"SdkHttpMetadata":{...},"SdkResponseMetadata":{...},
//     "StatusCode":200}; a function error fails the task with the
//     function's errorType as Error (Lambda.Unknown when it has none) and
//     its error document ({"errorMessage","errorType",...}) as Cause. A
//     failure of the invoke call itself is "Lambda.<code>" when the error
//     has an ErrorCode() method (as smithy.APIError does), e.g.
//     Lambda.TooManyRequestsException, and States.TaskFailed otherwise.
//     "arn:aws:states:::events:putEvents" (Parameters Entries) appends the
//     execution's and the state machine's ARNs to each entry's Resources,
//     sends Detail objects as JSON text, returns {"Entries":[...],
//     "FailedEntryCount":n}, and fails the task with EventBridge.FailedEntry
//     when n is not zero. Any other Resource, parameter or a definition
//     asl.Parse refuses is refused by Register, naming the state machine.
//   - The history uses the AWS event types and detail fields:
//     ExecutionStarted, {Task,Pass,Succeed,Fail}StateEntered,
//     {Task,Pass,Succeed}StateExited, TaskScheduled, TaskStarted,
//     TaskSucceeded, TaskFailed, TaskTimedOut, ExecutionSucceeded,
//     ExecutionFailed, ExecutionTimedOut and ExecutionAborted, numbered from
//     1. A retried task shows one TaskScheduled/TaskStarted/TaskFailed run
//     per attempt, as in AWS. A caught error shows the TaskFailed, then the
//     task's StateExited and the catcher's next state.
//   - ListExecutions is newest first, ListStateMachines by name; both and
//     GetExecutionHistory page with maxResults (default 100, at most 1000)
//     and opaque tokens (InvalidToken for a token not issued for that
//     request).
//
// Known gaps: devstack/asl reports no state input or output with its
// events, so StateEntered events carry an input only for the first state
// and StateExited events an output only for the last one; the machine's
// roleArn is not known from the template view and is left empty.
//
// The package is hand-written because no maintained Go library serves the
// Step Functions API: AWS's Step Functions Local is no longer supported and
// LocalStack needs Docker (and an account token for its latest images).
package sfnemu
