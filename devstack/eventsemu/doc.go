// Package eventsemu emulates Amazon EventBridge for devstack: event buses,
// rules with event patterns, targets, and PutEvents on the AWS JSON 1.1
// protocol the Go SDK v2 speaks (X-Amz-Target: AWSEvents.PutEvents).
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
// Matched events are delivered asynchronously, as EventBridge does, to each
// target of the rule through the Target interface (SQS queue, Lambda async
// invoke, Step Functions StartExecution). Retry policy: EventBridge retries
// a failed delivery with exponential backoff for up to 24 hours and 185
// attempts; devstack makes RetryPolicy.MaxAttempts attempts (3 by default)
// with Backoff doubling between them (100 ms by default), then sends the
// event to the target's dead-letter queue when one is configured, with the
// message attributes EventBridge sets (RULE_ARN, TARGET_ARN, ERROR_CODE,
// ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS); without one
// the event is dropped, as on AWS. Input transformers, InputPath and
// schedule expressions are not emulated.
//
// It is written here because no maintained Go library emulates EventBridge;
// quamina provides the pattern matching.
package eventsemu
