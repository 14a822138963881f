package catalog

import (
	"fmt"
	"slices"
	"time"
)

// Limits of a reservation.
const (
	// MaxLines bounds the lines of one reservation (before merging).
	MaxLines = 25
	// MaxQuantity bounds the units of one product in one reservation.
	MaxQuantity = 1000
)

// Status is where a reservation stands.
type Status string

// Reservation statuses.
const (
	// StatusReserved: the lines' units moved from available to reserved.
	StatusReserved Status = "RESERVED"
	// StatusRejected: the stock could not cover a line; nothing moved. The
	// reservation carries the shortage, so replays report the same error.
	StatusRejected Status = "REJECTED"
	// StatusReleased: the reserved units went back to available, or the
	// order was released before any reservation (a tombstone, no lines).
	StatusReleased Status = "RELEASED"
)

// Line asks for Quantity units of a product.
type Line struct {
	ProductID string
	Quantity  int
}

// Reservation is the stock held for one order, keyed by the order id.
type Reservation struct {
	orderID   string
	status    Status
	lines     []Line
	shortage  *InsufficientStockError
	createdAt time.Time
	updatedAt time.Time
}

// NewReservation returns a RESERVED reservation of lines for orderID at now.
// It takes 1 to MaxLines lines of 1 to MaxQuantity units; lines naming the
// same product are merged into the first of them (quantities summed, the sum
// also at most MaxQuantity), because a product's stock is one item that a
// single transaction may touch only once.
func NewReservation(orderID string, lines []Line, now time.Time) (Reservation, error) {
	if !ValidID(orderID) {
		return Reservation{}, fmt.Errorf("%w: %q", ErrInvalidOrderID, orderID)
	}
	merged, err := mergeLines(lines)
	if err != nil {
		return Reservation{}, err
	}
	now = now.UTC()
	return Reservation{orderID: orderID, status: StatusReserved, lines: merged, createdAt: now, updatedAt: now}, nil
}

// NewReleasedReservation returns the tombstone recorded when an order is
// released before it reserved anything: RELEASED, without lines, so that a
// late Reserve for the order is refused instead of holding stock forever.
func NewReleasedReservation(orderID string, now time.Time) (Reservation, error) {
	if !ValidID(orderID) {
		return Reservation{}, fmt.Errorf("%w: %q", ErrInvalidOrderID, orderID)
	}
	now = now.UTC()
	return Reservation{orderID: orderID, status: StatusReleased, createdAt: now, updatedAt: now}, nil
}

func mergeLines(lines []Line) ([]Line, error) {
	if len(lines) == 0 || len(lines) > MaxLines {
		return nil, fmt.Errorf("%w: %d lines, want 1 to %d", ErrInvalidLines, len(lines), MaxLines)
	}
	merged := make([]Line, 0, len(lines))
	index := make(map[string]int, len(lines))
	for _, l := range lines {
		if !ValidID(l.ProductID) {
			return nil, fmt.Errorf("%w: %q", ErrInvalidProductID, l.ProductID)
		}
		if l.Quantity < 1 || l.Quantity > MaxQuantity {
			return nil, fmt.Errorf("%w: %d units of %s, want 1 to %d", ErrInvalidQuantity, l.Quantity, l.ProductID, MaxQuantity)
		}
		i, seen := index[l.ProductID]
		if !seen {
			index[l.ProductID] = len(merged)
			merged = append(merged, l)
			continue
		}
		merged[i].Quantity += l.Quantity
		if merged[i].Quantity > MaxQuantity {
			return nil, fmt.Errorf("%w: %d units of %s in all, want at most %d", ErrInvalidQuantity, merged[i].Quantity, l.ProductID, MaxQuantity)
		}
	}
	return merged, nil
}

// ReservationState is everything a repository stores of a reservation.
type ReservationState struct {
	OrderID   string
	Status    Status
	Lines     []Line
	Shortage  *InsufficientStockError // REJECTED only
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RehydrateReservation rebuilds a stored reservation; only repositories
// call it.
func RehydrateReservation(s ReservationState) Reservation {
	r := Reservation{
		orderID: s.OrderID, status: s.Status, lines: slices.Clone(s.Lines),
		createdAt: s.CreatedAt.UTC(), updatedAt: s.UpdatedAt.UTC(),
	}
	if s.Shortage != nil {
		shortage := *s.Shortage
		r.shortage = &shortage
	}
	return r
}

// OrderID is the order the reservation belongs to.
func (r Reservation) OrderID() string { return r.orderID }

// Status is where the reservation stands.
func (r Reservation) Status() Status { return r.status }

// Lines are the merged lines, in the order they were first named.
func (r Reservation) Lines() []Line { return slices.Clone(r.lines) }

// Shortage is the line that the stock could not cover, for a REJECTED
// reservation.
func (r Reservation) Shortage() (InsufficientStockError, bool) {
	if r.shortage == nil {
		return InsufficientStockError{}, false
	}
	return *r.shortage, true
}

// CreatedAt is when the reservation was first recorded.
func (r Reservation) CreatedAt() time.Time { return r.createdAt }

// UpdatedAt is when the reservation last changed status.
func (r Reservation) UpdatedAt() time.Time { return r.updatedAt }

// Reject turns a RESERVED reservation that could not be stored into the
// REJECTED record of why, at now.
func (r *Reservation) Reject(shortage InsufficientStockError, now time.Time) error {
	if r.status != StatusReserved {
		return fmt.Errorf("%w: %s to %s", ErrInvalidTransition, r.status, StatusRejected)
	}
	r.status = StatusRejected
	r.shortage = &shortage
	r.updatedAt = now.UTC()
	return nil
}

// Release turns a RESERVED reservation into a RELEASED one at now.
func (r *Reservation) Release(now time.Time) error {
	if r.status != StatusReserved {
		return fmt.Errorf("%w: %s to %s", ErrInvalidTransition, r.status, StatusReleased)
	}
	r.status = StatusReleased
	r.updatedAt = now.UTC()
	return nil
}

// outcome is what Reserve reports for a recorded reservation: itself when
// RESERVED, the recorded shortage when REJECTED, ErrReservationReleased when
// RELEASED.
func (r Reservation) outcome() (Reservation, error) {
	switch r.status {
	case StatusReserved:
		return r, nil
	case StatusRejected:
		shortage, _ := r.Shortage()
		return Reservation{}, &shortage
	default:
		return Reservation{}, fmt.Errorf("order %s: %w", r.orderID, ErrReservationReleased)
	}
}
