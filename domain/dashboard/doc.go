// Package dashboard is the API gateway's aggregation: GET /dashboard
// shows the caller's profile, recent orders and recommended products. It
// never reads another service's table: it keeps its own read models, fed
// by user and order events through its own queue.
//
// # Rules
//
// Read models, all idempotent on the event id and insensitive to the order
// events arrive in:
//
//   - Profile: name and preferred categories from UserRegistered and
//     UserUpdated; the newer event wins (occurredAt, then event id).
//   - Order summary: from OrderCreated (lines merged by product, at most
//     MaxOrderLines products, total, creation time, PENDING) and
//     OrderConfirmed / OrderCancelled / OrderShipped (status; the newer
//     event wins, a tie goes to the later status of an order's life). A
//     status event that arrives before OrderCreated keeps an order that is
//     not listed until OrderCreated arrives.
//   - Sales counts: the first time an order is both known and confirmed
//     (whichever of OrderCreated and OrderConfirmed arrives last), each
//     line's quantity is added to its product's units in the product's
//     catalog category (asked of the Catalog port) and overall. A product
//     the catalog no longer knows counts only overall. Cancellation of a
//     confirmed order does not take its units back.
//
// Dashboard: three parts read concurrently, each within its own budget
// (WithPartTimeout, default 300ms, and never past the request's
// deadline): the profile (only the user id if unknown), the five newest
// known orders, and five recommendations (the best sellers of the first
// five preferred categories merged, or the best sellers overall). A part
// that fails or runs out of time is reported, never an error, and is
// empty, or, when the service keeps last good values (WithLastGood), given
// the value it was last read with for the user, reported stale. The
// service may read each part through a PartGuard, which the wiring backs
// with a circuit breaker per part and a bulkhead: a part whose breaker is
// open fails at once and falls back the same way.
//
// # Table design (DynamoDB table "dashboard", env DASHBOARD_TABLE)
//
// Generic key attributes pk (partition) and sk (sort), item types told
// apart by their type attribute:
//
//	type          pk                   sk                  other attributes
//	Profile       USER#<userId>        PROFILE             userId name categories occurredAt (unix nanos) eventId
//	Order         USER#<userId>        ORDER#<orderId>     id userId status statusAt totalAmount currency
//	                                                       createdAt? lines[{productId name quantity}]
//	                                                       confirmed counted version gsi1pk? gsi1sk?
//	ProductSales  POPULAR#<category>   PRODUCT#<productId> productId name category units gsi2pk gsi2sk
//	              POPULAR (overall)
//	EventMarker   EVENT#<eventId>      EVENT               eventId occurredAt expiresAt (TTL, event + 35 days)
//
// Times are RFC 3339 strings in UTC with nine fixed fraction digits.
// Categories never contain "#", so POPULAR (overall) cannot collide with a
// category.
//
// Two sparse global secondary indexes, projecting all attributes:
//
//	gsi1  gsi1pk = USER#<userId>  gsi1sk = <createdAt>#<orderId>      (orders, once known)
//	gsi2  gsi2pk = <the item's pk> gsi2sk = <units, 19 digits>#<productId> (sales counts)
//
// Access patterns:
//
//   - profile event: TransactWriteItems of the marker (attribute_not_exists)
//     and the profile (attribute_not_exists(pk) OR occurredAt < :at OR
//     (occurredAt = :at AND eventId < :id)); a refused profile is an older
//     event, a refused marker alone a duplicate: both change nothing.
//   - order event: GetItem of the order (consistent), apply, then for the
//     sales it releases a consistent BatchGetItem of the counts, then one
//     TransactWriteItems: the marker (attribute_not_exists), the order
//     (version = :read, or attribute_not_exists) and each count put with
//     its new units and gsi2sk (units = :read, or attribute_not_exists).
//     The counts are read-modify-write so that the ranking key moves with
//     the units atomically; a refused count or order, or a transaction
//     conflict, starts again (up to 10 times, jittered), then ErrConflict
//     makes the queue redeliver. At most 2 + 2*MaxOrderLines items.
//   - profile part: GetItem USER#<id> PROFILE.
//   - recent orders: Query gsi1, gsi1pk = USER#<id>, ScanIndexForward =
//     false, Limit 5.
//   - recommendations: GetItem of the profile, then per category Query
//     gsi2, gsi2pk = POPULAR#<category>, ScanIndexForward = false, Limit
//     5; overall: gsi2pk = POPULAR.
package dashboard
