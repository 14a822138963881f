package payments

import "errors"

// Sentinel errors of the payments context; test them with errors.Is.
var (
	// ErrNotFound is returned when no payment has the id (or the order has
	// no payment).
	ErrNotFound = errors.New("payment not found")
	// ErrExists is returned by a repository's Create when the order already
	// has a payment; the Service turns it into the recorded payment.
	ErrExists = errors.New("payment already exists")
	// ErrConflict is returned when a concurrent change won and retrying did
	// not get through.
	ErrConflict = errors.New("concurrent modification")

	// ErrInvalidOrderID is returned for an order id that is not a valid id.
	ErrInvalidOrderID = errors.New("invalid order id")
	// ErrInvalidUserID is returned for a user id that is not a valid id.
	ErrInvalidUserID = errors.New("invalid user id")
	// ErrInvalidAmount is returned for an amount that is not positive or
	// has no valid currency.
	ErrInvalidAmount = errors.New("invalid amount")
	// ErrInvalidToken is returned for a blank or too long payment token.
	ErrInvalidToken = errors.New("invalid payment token")

	// ErrDeclined is returned when the card was declined: by the gateway
	// for the charge, and by Process for the payment it recorded FAILED
	// with reason declined. A business outcome: never retried.
	ErrDeclined = errors.New("card declined")
	// ErrPaymentFailed is returned by Process for a payment recorded FAILED
	// with reason error (the gateway did not answer in time).
	ErrPaymentFailed = errors.New("payment failed")
	// ErrRefunded is returned by Process for an order whose payment was
	// refunded already.
	ErrRefunded = errors.New("payment already refunded")
	// ErrPending is returned by Refund while the order's charge is still in
	// progress (PENDING): retry later.
	ErrPending = errors.New("payment still pending")
	// ErrNotRefundable is returned by RefundPayment for a payment that was
	// never charged (PENDING or FAILED).
	ErrNotRefundable = errors.New("payment not refundable")
	// ErrInvalidTransition is returned when a payment cannot move to the
	// asked status.
	ErrInvalidTransition = errors.New("invalid payment transition")

	// ErrGatewayUnavailable is returned by a gateway for a failure worth
	// retrying (an outage, a processing error).
	ErrGatewayUnavailable = errors.New("payment gateway unavailable")
	// ErrGatewayTimeout is returned by a gateway that did not answer before
	// the context's deadline.
	ErrGatewayTimeout = errors.New("payment gateway timeout")
	// ErrChargeAlreadyRefunded is returned by a gateway asked to refund a
	// charge it refunded before.
	ErrChargeAlreadyRefunded = errors.New("charge already refunded")
	// ErrUnknownCharge is returned by a gateway asked to refund a charge it
	// does not know.
	ErrUnknownCharge = errors.New("unknown charge")
)
