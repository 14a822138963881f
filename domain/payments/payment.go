package payments

import (
	"crypto/sha1"
	"fmt"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
)

// MaxTokenLen bounds a payment token.
const MaxTokenLen = 255

// Status is where a payment stands.
type Status string

// Payment statuses.
const (
	StatusPending   Status = "PENDING"
	StatusSucceeded Status = "SUCCEEDED"
	StatusFailed    Status = "FAILED"
	StatusRefunded  Status = "REFUNDED"
)

// FailureReason says why a payment FAILED.
type FailureReason string

// Failure reasons; also the reason of the PaymentFailed event.
const (
	ReasonDeclined FailureReason = "declined" // the card was declined
	ReasonError    FailureReason = "error"    // the gateway could not charge in time
)

// Payment is the charge of one order.
type Payment struct {
	id            string
	orderID       string
	userID        string
	correlationID string
	amount        money.Money
	status        Status
	failureReason FailureReason
	gatewayRef    string
	attempts      int
	createdAt     time.Time
	updatedAt     time.Time
	version       int64
}

// NewPaymentParams are the inputs of NewPayment.
type NewPaymentParams struct {
	OrderID       string
	UserID        string
	CorrelationID string
	Amount        money.Money
}

// NewPayment returns the PENDING payment of an order at now, version 1, its
// id derived from the order id.
func NewPayment(p NewPaymentParams, now time.Time) (Payment, error) {
	switch {
	case !ValidID(p.OrderID):
		return Payment{}, fmt.Errorf("%w: %q", ErrInvalidOrderID, p.OrderID)
	case !ValidID(p.UserID):
		return Payment{}, fmt.Errorf("%w: %q", ErrInvalidUserID, p.UserID)
	case p.Amount.IsZero() || p.Amount.Amount() <= 0:
		return Payment{}, fmt.Errorf("%w: %s must be positive", ErrInvalidAmount, p.Amount)
	}
	now = now.UTC()
	return Payment{
		id: PaymentID(p.OrderID), orderID: p.OrderID, userID: p.UserID, correlationID: p.CorrelationID,
		amount: p.Amount, status: StatusPending, createdAt: now, updatedAt: now, version: 1,
	}, nil
}

// paymentNamespace is uuid.NameSpaceURL (RFC 4122).
var paymentNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// PaymentID is the id of the payment of orderID: the name-based (SHA-1,
// version 5) UUID of "goshop:payment/<orderID>" in the URL namespace, so
// that every retry of an order's payment names the same payment.
func PaymentID(orderID string) string {
	h := sha1.New()
	h.Write(paymentNamespace[:])
	h.Write([]byte("goshop:payment/" + orderID))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

// ValidID reports whether id is 1 to 64 characters of [A-Za-z0-9_-].
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// State is everything a repository stores of a payment.
type State struct {
	ID            string
	OrderID       string
	UserID        string
	CorrelationID string
	Amount        money.Money
	Status        Status
	FailureReason FailureReason
	GatewayRef    string
	Attempts      int
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int64
}

// Rehydrate rebuilds a stored payment; only repositories call it.
func Rehydrate(s State) Payment {
	return Payment{
		id: s.ID, orderID: s.OrderID, userID: s.UserID, correlationID: s.CorrelationID,
		amount: s.Amount, status: s.Status, failureReason: s.FailureReason, gatewayRef: s.GatewayRef,
		attempts: s.Attempts, createdAt: s.CreatedAt.UTC(), updatedAt: s.UpdatedAt.UTC(), version: s.Version,
	}
}

// ID is the payment's id, PaymentID(OrderID()).
func (p Payment) ID() string { return p.id }

// OrderID is the order the payment charges.
func (p Payment) OrderID() string { return p.orderID }

// UserID is the customer who owns the order.
func (p Payment) UserID() string { return p.userID }

// CorrelationID is the id of the request that started the checkout.
func (p Payment) CorrelationID() string { return p.correlationID }

// Amount is what is charged.
func (p Payment) Amount() money.Money { return p.amount }

// Status is where the payment stands.
func (p Payment) Status() Status { return p.status }

// FailureReason says why a FAILED payment failed; empty otherwise.
func (p Payment) FailureReason() FailureReason { return p.failureReason }

// GatewayRef is the gateway's id of the charge, once SUCCEEDED.
func (p Payment) GatewayRef() string { return p.gatewayRef }

// Attempts counts the gateway charge calls whose outcome was recorded,
// transient failures included.
func (p Payment) Attempts() int { return p.attempts }

// CreatedAt is when the payment was created.
func (p Payment) CreatedAt() time.Time { return p.createdAt }

// UpdatedAt is when the payment last changed.
func (p Payment) UpdatedAt() time.Time { return p.updatedAt }

// Version is bumped by every change; repositories lock on it.
func (p Payment) Version() int64 { return p.version }

// Succeed records the approved charge gatewayRef of a PENDING payment.
func (p *Payment) Succeed(gatewayRef string, now time.Time) error {
	if err := p.transition(StatusPending, StatusSucceeded, now); err != nil {
		return err
	}
	p.gatewayRef = gatewayRef
	p.attempts++
	return nil
}

// Fail records that a PENDING payment failed for reason.
func (p *Payment) Fail(reason FailureReason, now time.Time) error {
	if reason != ReasonDeclined && reason != ReasonError {
		return fmt.Errorf("%w: unknown failure reason %q", ErrInvalidTransition, reason)
	}
	if err := p.transition(StatusPending, StatusFailed, now); err != nil {
		return err
	}
	p.failureReason = reason
	p.attempts++
	return nil
}

// NoteAttempt counts a charge attempt of a PENDING payment that failed
// transiently; the payment stays PENDING.
func (p *Payment) NoteAttempt(now time.Time) error {
	if err := p.transition(StatusPending, StatusPending, now); err != nil {
		return err
	}
	p.attempts++
	return nil
}

// Refund records that the charge of a SUCCEEDED payment was refunded.
func (p *Payment) Refund(now time.Time) error {
	return p.transition(StatusSucceeded, StatusRefunded, now)
}

func (p *Payment) transition(from, to Status, now time.Time) error {
	if p.status != from {
		return fmt.Errorf("%w: %s to %s", ErrInvalidTransition, p.status, to)
	}
	p.status = to
	p.updatedAt = now.UTC()
	p.version++
	return nil
}

// outcome is what Process reports for a settled payment.
func (p Payment) outcome() (Payment, error) {
	switch {
	case p.status == StatusSucceeded:
		return p, nil
	case p.status == StatusFailed && p.failureReason == ReasonDeclined:
		return p, fmt.Errorf("order %s: %w", p.orderID, ErrDeclined)
	case p.status == StatusFailed:
		return p, fmt.Errorf("order %s: %w", p.orderID, ErrPaymentFailed)
	case p.status == StatusRefunded:
		return p, fmt.Errorf("order %s: %w", p.orderID, ErrRefunded)
	}
	return p, fmt.Errorf("order %s: payment still %s: %w", p.orderID, p.status, ErrPending)
}
