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
// Not emulated: FIFO queues (refused at creation), SSE/KMS, queue policies,
// tags, message move tasks, and CreateQueue/DeleteQueue/SetQueueAttributes
// over the wire (devstack creates queues from the template through
// Broker.CreateQueue). Any other action is answered with UnsupportedOperation
// naming it.
//
// Time comes from a Clock, so tests drive visibility and retention with a
// ManualClock instead of sleeping.
//
// It is written here because the maintained SQS emulators (ElasticMQ,
// LocalStack, goaws) need a JVM, Docker or Python, or do not speak the JSON
// protocol the current SDK uses, and none offers the Lambda event source
// mapping with partial batch responses as a library.
package sqsemu
