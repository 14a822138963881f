package dashboard

import (
	"time"

	"github.com/goshop-dev/goshop/domain/money"
)

// Status is the status of an order as the dashboard knows it.
type Status string

// Statuses of an order, from the order events.
const (
	StatusPending   Status = "PENDING"
	StatusConfirmed Status = "CONFIRMED"
	StatusCancelled Status = "CANCELLED"
	StatusShipped   Status = "SHIPPED"
)

// rank breaks ties between status events of the same time: the later
// status of the order's life wins.
func (s Status) rank() int {
	switch s {
	case StatusPending:
		return 1
	case StatusConfirmed:
		return 2
	case StatusShipped:
		return 3
	case StatusCancelled:
		return 4
	}
	return 0
}

// Line is one product of an order: its id, its name at checkout and the
// quantity bought.
type Line struct {
	ProductID string
	Name      string
	Quantity  int
}

// Order is the dashboard's summary of one order, built from the order
// events in whatever order they arrive. An order a status event created
// before its OrderCreated arrived is not Known: it has no lines, total or
// creation time yet, and is not listed.
type Order struct {
	id        string
	userID    string
	status    Status
	statusAt  time.Time
	total     money.Money
	createdAt time.Time
	lines     []Line
	confirmed bool
	counted   bool
	version   int64
}

// OrderState is everything an Order holds, for adapters (RehydrateOrder).
type OrderState struct {
	ID        string
	UserID    string
	Status    Status
	StatusAt  time.Time
	Total     money.Money
	CreatedAt time.Time
	Lines     []Line
	Confirmed bool
	Counted   bool
	Version   int64
}

// NewOrder returns the empty summary of an order no event has touched yet,
// at version 0.
func NewOrder(userID, orderID string) Order {
	return Order{id: orderID, userID: userID}
}

// RehydrateOrder rebuilds a stored Order.
func RehydrateOrder(s OrderState) Order {
	return Order{
		id: s.ID, userID: s.UserID, status: s.Status, statusAt: s.StatusAt, total: s.Total,
		createdAt: s.CreatedAt, lines: append([]Line(nil), s.Lines...), confirmed: s.Confirmed,
		counted: s.Counted, version: s.Version,
	}
}

// ID returns the order id.
func (o Order) ID() string { return o.id }

// UserID returns the id of the user who placed the order.
func (o Order) UserID() string { return o.userID }

// Status returns the latest status known.
func (o Order) Status() Status { return o.status }

// StatusAt returns when the event of the latest status occurred.
func (o Order) StatusAt() time.Time { return o.statusAt }

// Total returns the order's total; zero until Known.
func (o Order) Total() money.Money { return o.total }

// CreatedAt returns when the order was placed; zero until Known.
func (o Order) CreatedAt() time.Time { return o.createdAt }

// Lines returns a copy of the order's lines.
func (o Order) Lines() []Line { return append([]Line(nil), o.lines...) }

// Items returns the number of units ordered.
func (o Order) Items() int {
	n := 0
	for _, l := range o.lines {
		n += l.Quantity
	}
	return n
}

// Confirmed reports whether an OrderConfirmed event was applied.
func (o Order) Confirmed() bool { return o.confirmed }

// Counted reports whether the order's lines were added to the sales counts.
func (o Order) Counted() bool { return o.counted }

// Version returns the version, bumped by every change.
func (o Order) Version() int64 { return o.version }

// Known reports whether the OrderCreated event was applied.
func (o Order) Known() bool { return !o.createdAt.IsZero() }

// State returns everything o holds, for adapters.
func (o Order) State() OrderState {
	return OrderState{
		ID: o.id, UserID: o.userID, Status: o.status, StatusAt: o.statusAt, Total: o.total,
		CreatedAt: o.createdAt, Lines: o.Lines(), Confirmed: o.confirmed, Counted: o.counted, Version: o.version,
	}
}

// created applies OrderCreated: lines, total and creation time, and the
// PENDING status unless a newer status is known. A second OrderCreated
// changes nothing.
func (o *Order) created(lines []Line, total money.Money, createdAt, at time.Time) {
	if o.Known() {
		return
	}
	o.lines, o.total, o.createdAt = append([]Line(nil), lines...), total, createdAt.UTC()
	o.setStatus(StatusPending, at)
	o.version++
}

// changeStatus applies a status event that occurred at at: the status
// changes only if the event is newer than the status held (same time: the
// later status of an order's life wins). OrderConfirmed marks the order
// confirmed even when it arrives after a newer status, so that its sales
// are counted whatever the order of arrival.
func (o *Order) changeStatus(status Status, at time.Time) {
	changed := o.setStatus(status, at)
	if status == StatusConfirmed && !o.confirmed {
		o.confirmed, changed = true, true
	}
	if changed {
		o.version++
	}
}

func (o *Order) setStatus(status Status, at time.Time) bool {
	at = at.UTC()
	newer := o.status == "" || at.After(o.statusAt) || (at.Equal(o.statusAt) && status.rank() > o.status.rank())
	if !newer {
		return false
	}
	o.status, o.statusAt = status, at
	return true
}

// takeSales returns the lines to add to the sales counts, once: when the
// order is known and confirmed and was not counted yet. It marks the order
// counted.
func (o *Order) takeSales() []Line {
	if !o.Known() || !o.confirmed || o.counted {
		return nil
	}
	o.counted = true
	o.version++
	return o.Lines()
}
