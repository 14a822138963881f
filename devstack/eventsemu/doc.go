// Package eventsemu emulates Amazon EventBridge for devstack: event buses,
// rules with event patterns, targets, and PutEvents on the AWS JSON 1.1
// protocol the Go SDK v2 speaks (X-Amz-Target: AWSEvents.<Action>).
//
// PutEvents validates each entry as EventBridge does (Source, DetailType
// and Detail required, Detail a JSON object, at most 10 entries, 256 KB in
// all) and answers per entry with an EventId or an ErrorCode and
// ErrorMessage. Each accepted event is shaped as EventBridge delivers it:
//
//	{"version":"0","id":...,"detail-type":...,"source":...,"account":...,
//	 "time":"2026-01-02T03:04:05Z","region":...,"resources":[...],"detail":{...}}
//
// and matched against the enabled rules of its bus. Patterns are matched
// with quamina (quamina.net/go/quamina, the matcher by EventBridge's
// original author), which supports exact values (strings, numbers, booleans,
// null), prefix, exists, anything-but with a list of strings,
// equals-ignore-case and wildcard. EventBridge also has numeric, suffix,
// cidr, $or and anything-but with prefix/suffix/wildcard/numbers: a rule
// using one of them is refused when it is added, naming the rule and the
// operator, so no rule ever matches differently than on AWS.
//
// Rules come from the template (Service.AddRule) or from the API, and both
// kinds are managed alike through it:
//   - PutRule creates or replaces a rule (Name, EventBusName as a name or an
//     ARN, EventPattern, State ENABLED or DISABLED, Description) and returns
//     its RuleArn; a replaced rule keeps its targets and nothing else, as on
//     EventBridge. A pattern the matcher cannot honour, or an invalid one, is
//     InvalidEventPatternException; ScheduleExpression is refused
//     (ValidationException), RoleArn and Tags are accepted and ignored.
//   - PutTargets adds targets or replaces those with the same Id (at most 5
//     per rule, LimitExceededException). Each target's Arn, and its
//     DeadLetterConfig.Arn, are resolved by Options.ResolveTarget and
//     Options.ResolveQueue; one they cannot resolve fails that entry only
//     (FailedEntries, ErrorCode ResourceNotFoundException), the others are
//     applied. RetryPolicy.MaximumRetryAttempts replaces the Service's retry
//     count for the target; RoleArn is stored, not used (IAM is not
//     emulated); Input, InputPath, InputTransformer and the service-specific
//     parameters are refused with ValidationException naming them.
//   - RemoveTargets removes targets by Id (unknown ids are not an error).
//   - DeleteRule deletes a rule without targets; one with targets is refused
//     (ValidationException "Rule can't be deleted since it has targets."),
//     and a rule that does not exist is deleted silently, as on AWS.
//   - DescribeRule and ListTargetsByRule report what is stored.
//
// A missing rule is ResourceNotFoundException, and so is a missing bus; any
// other action is UnknownOperationException naming it.
//
// Matched events are delivered asynchronously, as EventBridge does, to each
// target of the rule through the Target interface (SQS queue, Lambda async
// invoke, Step Functions StartExecution). Retry policy: EventBridge retries
// a failed delivery with exponential backoff for up to 24 hours and 185
// attempts; devstack makes RetryPolicy.MaxAttempts attempts (3 by default)
// with Backoff doubling between them (100 ms by default), then sends the
// event to the target's dead-letter queue when one is configured, with the
// message attributes EventBridge sets (RULE_ARN, TARGET_ARN, ERROR_CODE,
// ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS); without one
// the event is dropped, as on AWS. Input transformers, InputPath,
// schedule expressions, archives, replays and custom bus management are
// not emulated.
//
// It is written here because no maintained Go library emulates EventBridge;
// quamina provides the pattern matching.
package eventsemu
