// Package payments is the payments context: one payment per order, charged
// through a PaymentGateway port during the checkout saga and refunded when
// the saga compensates or an admin asks.
//
// # Rules
//
// An order has at most one payment. Its id is derived from the order id
// (PaymentID), so a retried or replayed ProcessPayment finds the payment it
// started, and looking a payment up by order is one key read. A payment is
// created PENDING, then settles once:
//
//	PENDING   -> SUCCEEDED  the gateway approved the charge (gatewayRef kept)
//	PENDING   -> FAILED     declined (reason "declined") or the gateway did
//	                        not answer in time (reason "error")
//	SUCCEEDED -> REFUNDED   the charge was refunded in full
//
// Nothing else changes status. Every change bumps the version.
//
// Charges are idempotent twice over: the gateway receives the order id as
// its idempotency key (charging the same key again returns the first
// result and never charges twice, as card processors do), and the payment
// records the outcome, so Process on a settled payment never calls the
// gateway: SUCCEEDED is returned as is, FAILED returns the recorded error
// (ErrDeclined or ErrPaymentFailed). Concurrent Process calls for one order
// may all reach the gateway while the payment is PENDING; the idempotency
// key makes that one charge, and the first recorded outcome wins.
//
// Transient gateway failures (ErrGatewayUnavailable) leave the payment
// PENDING (only its attempts count grows) and are returned: the state
// machine retries the task. A gateway call that does not answer within the
// gateway timeout (default 5s, shortened to leave time for recording the
// outcome when ctx has an earlier deadline) is final: the payment is
// recorded FAILED with reason "error" and Process returns ErrPaymentFailed,
// which the saga task reports as the PaymentFailed business error. This is
// the simplest choice that never leaves the saga waiting on a gateway that
// hangs; a real integration would reconcile such charges with the
// processor afterwards (a timed-out charge may still have gone through).
//
// Refunds are idempotent too: a SUCCEEDED payment is refunded through the
// gateway and recorded REFUNDED; a REFUNDED payment is returned without
// calling the gateway; a gateway answer that the charge is already refunded
// (a retry after a crash between refund and record) counts as success. A
// card is never refunded twice.
//
// Every status change is written together with its event
// (PaymentSucceeded, PaymentFailed, PaymentRefunded) by the repository, in
// one atomic write.
//
// # Table design (DynamoDB table "payments", env PAYMENTS_TABLE)
//
// One table, generic key attributes pk (partition) and sk (sort):
//
//	type     pk                   sk       other attributes
//	Payment  PAYMENT#<paymentId>  PAYMENT  id orderId userId correlationId amount currency
//	                                       status failureReason gatewayRef attempts
//	                                       createdAt updatedAt version
//	Outbox   OUTBOX#<eventId>     OUTBOX   see internal/outbox (expires through expiresAt)
//
// Times are RFC 3339 strings in UTC with nanoseconds; amounts are minor
// units. No secondary index: every access is by key.
//
// Access patterns:
//
//   - create the PENDING payment of an order: PutItem with
//     attribute_not_exists(pk); a failed condition is ErrExists.
//   - get a payment by id, or by order (the id derives from the order id):
//     GetItem, strongly consistent.
//   - change a payment: GetItem, then a write conditioned on version = the
//     version read: PutItem when the status is unchanged, or, when it
//     changes, TransactWriteItems putting the payment and the outbox item of
//     its event (event id derived from "<orderId>/<EventType>", so a replay
//     writes the same outbox key). A failed condition is ErrConflict.
package payments
