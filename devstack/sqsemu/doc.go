// Package sqsemu emulates Amazon SQS standard queues for devstack: the
// queue semantics the app can observe (visibility timeout, receive counts,
// redrive to a dead-letter queue at maxReceiveCount, retention, delay, long
// polling), the AWS JSON 1.0 wire protocol the Go SDK v2 speaks
// (X-Amz-Target: AmazonSQS.<Action>), and the Lambda event source mapping
// poller that feeds a function batches of messages with partial batch
// responses.
//
// Behaviour follows the SQS API reference:
//   - A message received is invisible for the queue's VisibilityTimeout (or
//     the ReceiveMessage override) and visible again when it expires.
//   - Each receive increments ApproximateReceiveCount. With a RedrivePolicy,
//     a message that has already been received maxReceiveCount times is moved
//     to the dead-letter queue by the receive that would exceed the count,
//     never returned by it.
//   - Every receive issues a new receipt handle. DeleteMessage with a receipt
//     handle that is not the most recent one for the message succeeds but does
//     not delete it ("the request will still succeed, but the message might
//     not be deleted"); devstack takes the strict reading and never deletes,
//     so a consumer that relies on a stale handle fails here first. A handle
//     this package did not issue is ReceiptHandleIsInvalid.
//   - ChangeMessageVisibility counts the new timeout from the call; a stale or
//     deleted message's handle is InvalidParameterValue ("Message does not
//     exist or is not available for visibility timeout change"), a message that
//     is visible again is MessageNotInflight.
//   - Messages older than MessageRetentionPeriod are dropped; a message moved
//     to a dead-letter queue keeps its original SentTimestamp, so retention
//     there counts from the first enqueue, as for standard queues on AWS.
//   - PurgeQueue may be called once every 60 seconds (PurgeQueueInProgress).
//
// Queues are created from the template through Broker.CreateQueue, or at run
// time over the wire:
//   - CreateQueue takes the attributes VisibilityTimeout,
//     MessageRetentionPeriod, DelaySeconds, ReceiveMessageWaitTimeSeconds,
//     MaximumMessageSize, RedrivePolicy (its dead-letter queue must exist),
//     Policy and SqsManagedSseEnabled, each range-checked as documented
//     (InvalidAttributeValue). Creating an existing name with the same
//     attributes (omitted ones taking their defaults) returns its URL; with
//     different ones it is QueueNameExists (ErrorCode QueueAlreadyExists,
//     naming the attribute). A name deleted less than 60 seconds ago is
//     QueueDeletedRecently. Tags are accepted and ignored.
//   - DeleteQueue deletes the queue and its messages at once (AWS may take up
//     to 60 seconds); receives waiting on it, and pollers, stop.
//   - SetQueueAttributes changes the attributes given; messages in flight
//     keep their visibility, the retention period applies to every message.
//   - GetQueueAttributes reports what is stored, Policy and RedrivePolicy
//     included.
//
// Policy is stored, not enforced: devstack does not emulate IAM, so every
// caller may do everything. SqsManagedSseEnabled is reported as set (default
// true, as for new queues on AWS); messages stay in memory either way.
//
// Not emulated: FIFO queues and their attributes, SSE-KMS (KmsMasterKeyId),
// RedriveAllowPolicy (all refused with UnsupportedOperation naming them),
// tagging and permission actions, message move tasks. Any other action is
// answered with UnsupportedOperation naming it.
//
// Time comes from a Clock, so tests drive visibility and retention with a
// ManualClock instead of sleeping.
//
// It is written here because the maintained SQS emulators (ElasticMQ,
// LocalStack, goaws) need a JVM, Docker or Python, or do not speak the JSON
// protocol the current SDK uses, and none offers the Lambda event source
// mapping with partial batch responses as a library.
package sqsemu
