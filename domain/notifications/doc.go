// Package notifications is the notifications context: it tells users about
// their account, orders and payments, by email and push, and lists what it
// told them.
//
// # Rules
//
// The service reacts to notices (UserRegistered, OrderCreated,
// OrderConfirmed, OrderCancelled, OrderShipped, PaymentSucceeded,
// PaymentFailed, PaymentRefunded), each carrying the id of the event it
// comes from. A notice is rendered into a subject and a plain-text body
// (Render): money in major units with its currency ("12.99 USD", "1200
// JPY"), a cancellation's reason in plain words. Each notice becomes one
// Message per channel.
//
// Channel choice: the users' notification preferences are not available to
// this service yet (they live in the users context and no event carries
// them to here). Until they are, every notice goes by email, and order
// status changes (OrderConfirmed, OrderCancelled, OrderShipped) by push as
// well (ChannelsFor). The SMS port exists for when preferences arrive; no
// notice selects it today. Channel adapters address a message by its user
// id: resolving the address, phone number or device tokens is theirs.
//
// # Delivery and idempotency
//
// Events arrive at least once, possibly twice at the same time. Notify is
// idempotent on the event id, in three steps:
//
//  1. Record: the event's messages are stored PENDING, together with an
//     event marker, in one atomic write that fails if the marker exists
//     (ErrDuplicateEvent). Each recorded message starts leased to the
//     delivery that recorded it for the lease duration (default 60s).
//  2. Send each PENDING message through its channel.
//  3. Mark it SENT (optimistic locking on its version).
//
// A redelivered event finds the marker, reads the stored messages and sends
// only those still PENDING, after claiming each one (a conditional update
// that succeeds only when its lease has expired, and takes a new lease):
// a concurrent duplicate delivery therefore sends nothing while the first is
// at work and fails with ErrInFlight, which makes the queue retry it later.
// A channel that fails leaves its message PENDING, its lease released, and
// Notify returns a *DeliveryError, so the queue redelivers the event and
// the redelivery sends that message at once; channels that had already
// succeeded are SENT and not sent again.
//
// Trade-off: recording before sending means a crash between a send and its
// mark re-sends that one message, once, when the event is redelivered after
// the lease expires: delivery is at least once per channel, with at most
// one duplicate per crash, and never a lost message. Sending before
// recording would instead re-send every channel after such a crash, and
// could not stop concurrent duplicates from both sending. Exactly once is
// impossible without the providers' own idempotency keys; the message id is
// stable across retries, so an adapter can pass it as such a key. The
// lease must exceed the consumer Lambda's timeout. A message whose channel
// keeps failing stays PENDING once the event reaches the dead-letter queue.
//
// # Table design (DynamoDB table "notifications", env NOTIFICATIONS_TABLE)
//
// Generic key attributes pk (partition) and sk (sort), two item types told
// apart by their type attribute; no secondary index:
//
//	type          pk                 sk                            other attributes
//	Notification  USER#<userId>      NOTE#<createdAt>#<messageId>  id userId eventId eventType channel
//	                                                               subject body status attempts createdAt
//	                                                               leaseUntil? sentAt? version
//	EventMarker   EVENT#<eventId>    EVENT                         eventId userId notes (the message sort
//	                                                               keys) recordedAt
//
// Times are RFC 3339 strings in UTC with nine fixed fraction digits
// (2026-03-01T12:00:00.500000000Z): RFC3339Nano trims trailing zeros, which
// would make the sort key sort ".5Z" before "Z" of the same second. Status
// is PENDING or SENT.
//
// Access patterns:
//
//   - record an event: TransactWriteItems putting the marker and every
//     message, each with attribute_not_exists(pk); the marker's condition
//     failing is ErrDuplicateEvent, a transaction conflict ErrConflict.
//   - read an event's messages: GetItem EVENT#<eventId>, then GetItem per
//     message key it names (strongly consistent).
//   - claim or mark a message: GetItem, then PutItem with version = :read.
//   - list a user's messages, newest first: Query pk = USER#<userId> AND
//     begins_with(sk, "NOTE#"), ScanIndexForward = false; the cursor is the
//     last returned item's key (pk, sk) as base64url JSON, checked on decode
//     to be a notification key of the same user.
package notifications
