// Package orders is the orders context: orders placed at checkout, their
// status machine driven by the checkout saga and by admins, the
// idempotency of checkout requests, and a replica of user names for
// listings.
//
// # Rules
//
// An order has an id (a UUIDv7 generated at checkout), its user's id and
// name (copied from the user-name replica at checkout; empty when the
// replica does not know the user yet), 1 to MaxLines lines (product id,
// name and unit price from the catalog, never from the client; quantity 1
// to MaxQuantity; lines naming the same product are merged), a total in
// the single currency of its lines (mixed currencies are refused), a
// shipping address, a status with the failure reason of a cancelled order,
// the history of its statuses, the payment id once confirmed, its creation
// and update times and a version bumped by every change.
//
// The payment token is never stored: it is handed to the checkout saga's
// input when the saga starts, and a retried checkout (same Idempotency-Key,
// same body, so the same token) re-issues the start. The idempotency record
// keeps only a SHA-256 of the canonical request.
//
// Status machine (every other pair, including staying in a status, is an
// *InvalidTransitionError):
//
//	PENDING   -> CONFIRMED  the saga took the payment (ConfirmOrder)
//	PENDING   -> CANCELLED  the saga compensated (CancelOrder)
//	CONFIRMED -> CANCELLED  only the saga's compensation after a confirm it
//	                        considers failed (the order was confirmed but the
//	                        task's answer was lost); the API offers no cancel
//	CONFIRMED -> SHIPPED    an admin (PATCH /orders/{id}/status)
//	SHIPPED   -> DELIVERED  an admin
//
// DELIVERED and CANCELLED are final. Confirm of a CONFIRMED order and
// Cancel of a CANCELLED order succeed without change (the saga's tasks are
// idempotent); Confirm of a CANCELLED order is ErrNotConfirmable.
//
// # Table design (DynamoDB table "orders", env ORDERS_TABLE)
//
// One table, generic key attributes pk (partition) and sk (sort), item
// types told apart by their type attribute:
//
//	type         pk                               sk           other attributes
//	Order        ORDER#<id>                       ORDER        id userId userName lines[{productId name
//	                                                           quantity unitAmount}] currency totalAmount
//	                                                           shipping{name line1 line2 city postalCode
//	                                                           country} status failureReason
//	                                                           history[{status at reason}] paymentId
//	                                                           createdAt updatedAt version gsi1pk gsi1sk
//	Idempotency  IDEMPOTENCY#<userId>#<key>       IDEMPOTENCY  userId key orderId requestHash createdAt
//	UserName     USERNAME#<userId>                USERNAME     userId name occurredAt (unix nanos) eventId
//	Outbox       OUTBOX#<eventId>                 OUTBOX       see internal/outbox (TTL expiresAt)
//
// Times are RFC 3339 strings in UTC with exactly nine fractional digits,
// so that they sort as strings.
//
// One global secondary index, projecting all attributes, sparse (only
// order items carry its keys):
//
//	gsi1  gsi1pk = USER#<userId>   gsi1sk = <createdAt>#<orderId>
//
// Access patterns:
//
//   - checkout: TransactWriteItems putting the order (attribute_not_exists),
//     the idempotency item (attribute_not_exists: a concurrent identical
//     checkout loses here and returns the winner's order) and the outbox
//     OrderCreated event.
//   - replay a checkout: GetItem IDEMPOTENCY#<userId>#<key>, then the order.
//   - get an order: GetItem ORDER#<id> (strongly consistent).
//   - change status: GetItem, then TransactWriteItems putting the order
//     under version = :read and the outbox event of the new status
//     (OrderConfirmed, OrderCancelled, OrderShipped; DELIVERED has none),
//     with the deterministic id uuidSHA1(URL, "<orderId>/<EventType>").
//   - list a user's orders, newest first: Query gsi1, gsi1pk = USER#<userId>,
//     ScanIndexForward = false; the cursor is the last item's key (pk, sk,
//     gsi1pk, gsi1sk) as base64url JSON, checked on decode to be an order
//     key of the same user. The names shown come from the replica at read
//     time: BatchGetItem of the distinct users of the page.
//   - replicate a user name (UserRegistered, UserUpdated): PutItem under
//     attribute_not_exists(pk) OR occurredAt < :at OR (occurredAt = :at AND
//     eventId < :id), so older and duplicate events change nothing whatever
//     order they arrive in.
package orders
