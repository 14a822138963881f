package orders

import (
	"fmt"
	"slices"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
)

// Limits of an order.
const (
	// MaxLines bounds the lines of one order (before merging).
	MaxLines = 25
	// MaxQuantity bounds the units of one product in one order.
	MaxQuantity = 99
	// MaxIDLen bounds ids, in bytes.
	MaxIDLen = 64
)

// Line is one product of an order, priced by the catalog.
type Line struct {
	ProductID string
	Name      string
	Quantity  int
	UnitPrice money.Money
}

// Item asks for Quantity units of a product; the catalog prices it.
type Item struct {
	ProductID string
	Quantity  int
}

// HistoryEntry records when an order reached a status, and why for a
// cancellation.
type HistoryEntry struct {
	Status Status
	At     time.Time
	Reason string
}

// Order is a user's purchase, from checkout to delivery or cancellation.
type Order struct {
	id            string
	userID        string
	userName      string
	lines         []Line
	total         money.Money
	shipping      Address
	status        Status
	failureReason string
	history       []HistoryEntry
	paymentID     string
	createdAt     time.Time
	updatedAt     time.Time
	version       int64
}

// NewOrderParams are the values of a new order: the lines come priced from
// the catalog, the address already validated by NewAddress.
type NewOrderParams struct {
	UserID   string
	UserName string
	Lines    []Line
	Shipping Address
}

// NewOrder returns the PENDING order id built from p at now, at version 1.
// Its total is the sum of the lines, which must share one currency.
func NewOrder(id string, p NewOrderParams, now time.Time) (Order, error) {
	if !ValidID(id) {
		return Order{}, fmt.Errorf("%w: order %q", ErrInvalidID, id)
	}
	if !ValidID(p.UserID) {
		return Order{}, fmt.Errorf("%w: user %q", ErrInvalidID, p.UserID)
	}
	if len(p.Lines) == 0 || len(p.Lines) > MaxLines {
		return Order{}, fmt.Errorf("%w: %d lines, want 1 to %d", ErrInvalidLines, len(p.Lines), MaxLines)
	}
	total, err := money.New(0, p.Lines[0].UnitPrice.Currency())
	if err != nil {
		return Order{}, fmt.Errorf("line %s: %w", p.Lines[0].ProductID, err)
	}
	for _, l := range p.Lines {
		if l.Quantity < 1 || l.Quantity > MaxQuantity {
			return Order{}, fmt.Errorf("%w: %d units of %s", ErrInvalidQuantity, l.Quantity, l.ProductID)
		}
		sub, err := l.UnitPrice.Times(l.Quantity)
		if err != nil {
			return Order{}, fmt.Errorf("line %s: %w", l.ProductID, err)
		}
		if sub.Currency() != total.Currency() {
			return Order{}, fmt.Errorf("%w: %s and %s", ErrMixedCurrencies, total.Currency(), sub.Currency())
		}
		if total, err = total.Add(sub); err != nil {
			return Order{}, fmt.Errorf("total: %w", err)
		}
	}
	if _, err := NewAddress(p.Shipping); err != nil {
		return Order{}, err
	}
	now = now.UTC()
	return Order{
		id: id, userID: p.UserID, userName: p.UserName, lines: slices.Clone(p.Lines), total: total,
		shipping: p.Shipping, status: StatusPending,
		history:   []HistoryEntry{{Status: StatusPending, At: now}},
		createdAt: now, updatedAt: now, version: 1,
	}, nil
}

// State is everything a repository stores of an order.
type State struct {
	ID            string
	UserID        string
	UserName      string
	Lines         []Line
	Total         money.Money
	Shipping      Address
	Status        Status
	FailureReason string
	History       []HistoryEntry
	PaymentID     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int64
}

// Rehydrate rebuilds a stored order without validating it again; only
// repositories call it.
func Rehydrate(s State) Order {
	history := make([]HistoryEntry, len(s.History))
	for i, h := range s.History {
		history[i] = HistoryEntry{Status: h.Status, At: h.At.UTC(), Reason: h.Reason}
	}
	return Order{
		id: s.ID, userID: s.UserID, userName: s.UserName, lines: slices.Clone(s.Lines), total: s.Total,
		shipping: s.Shipping, status: s.Status, failureReason: s.FailureReason, history: history,
		paymentID: s.PaymentID, createdAt: s.CreatedAt.UTC(), updatedAt: s.UpdatedAt.UTC(), version: s.Version,
	}
}

// ID is the order's id.
func (o Order) ID() string { return o.id }

// UserID is the id of the user who placed the order.
func (o Order) UserID() string { return o.userID }

// UserName is the user's name as the replica knew it at checkout.
func (o Order) UserName() string { return o.userName }

// Lines returns a copy of the order's lines.
func (o Order) Lines() []Line { return slices.Clone(o.lines) }

// Total is the sum of the lines.
func (o Order) Total() money.Money { return o.total }

// Shipping is the shipping address.
func (o Order) Shipping() Address { return o.shipping }

// Status is where the order stands.
func (o Order) Status() Status { return o.status }

// FailureReason is why a cancelled order was cancelled.
func (o Order) FailureReason() string { return o.failureReason }

// History returns a copy of the statuses the order went through, oldest
// first.
func (o Order) History() []HistoryEntry { return slices.Clone(o.history) }

// PaymentID is the payment that confirmed the order, once confirmed.
func (o Order) PaymentID() string { return o.paymentID }

// CreatedAt is when the order was placed.
func (o Order) CreatedAt() time.Time { return o.createdAt }

// UpdatedAt is when the order last changed.
func (o Order) UpdatedAt() time.Time { return o.updatedAt }

// Version counts the order's changes, from 1.
func (o Order) Version() int64 { return o.version }

// State returns everything a repository stores of o.
func (o Order) State() State {
	return State{
		ID: o.id, UserID: o.userID, UserName: o.userName, Lines: o.Lines(), Total: o.total,
		Shipping: o.shipping, Status: o.status, FailureReason: o.failureReason, History: o.History(),
		PaymentID: o.paymentID, CreatedAt: o.createdAt, UpdatedAt: o.updatedAt, Version: o.version,
	}
}

// moveTo applies the transition to status at now, recording it in the
// history, or returns an *InvalidTransitionError.
func (o *Order) moveTo(to Status, reason string, now time.Time) error {
	if !o.status.CanMoveTo(to) {
		return &InvalidTransitionError{From: o.status, To: to}
	}
	now = now.UTC()
	o.status = to
	o.history = append(o.history, HistoryEntry{Status: to, At: now, Reason: reason})
	o.updatedAt = now
	o.version++
	return nil
}

// Confirm moves a PENDING order to CONFIRMED with its payment.
func (o *Order) Confirm(paymentID string, now time.Time) error {
	if !ValidID(paymentID) {
		return fmt.Errorf("%w: %q", ErrInvalidPaymentID, paymentID)
	}
	if err := o.moveTo(StatusConfirmed, "", now); err != nil {
		return err
	}
	o.paymentID = paymentID
	return nil
}

// Cancel moves a PENDING or CONFIRMED order to CANCELLED for reason.
func (o *Order) Cancel(reason string, now time.Time) error {
	if !validReason(reason) {
		return fmt.Errorf("%w: %q", ErrInvalidReason, reason)
	}
	if err := o.moveTo(StatusCancelled, reason, now); err != nil {
		return err
	}
	o.failureReason = reason
	return nil
}

// Ship moves a CONFIRMED order to SHIPPED.
func (o *Order) Ship(now time.Time) error { return o.moveTo(StatusShipped, "", now) }

// Deliver moves a SHIPPED order to DELIVERED.
func (o *Order) Deliver(now time.Time) error { return o.moveTo(StatusDelivered, "", now) }

// ValidID reports whether id is 1 to MaxIDLen characters of [A-Za-z0-9_-],
// the shape of every id in the shop.
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > MaxIDLen {
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

func validReason(r string) bool {
	if len(r) == 0 || len(r) > 64 {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
