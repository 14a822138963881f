package orders

import "fmt"

// Status is where an order stands.
type Status string

// Order statuses.
const (
	StatusPending   Status = "PENDING"
	StatusConfirmed Status = "CONFIRMED"
	StatusShipped   Status = "SHIPPED"
	StatusDelivered Status = "DELIVERED"
	StatusCancelled Status = "CANCELLED"
)

// Statuses lists every status, in lifecycle order.
var Statuses = []Status{StatusPending, StatusConfirmed, StatusShipped, StatusDelivered, StatusCancelled}

// transitions is the status machine documented in the package comment.
var transitions = map[Status][]Status{
	StatusPending:   {StatusConfirmed, StatusCancelled},
	StatusConfirmed: {StatusShipped, StatusCancelled},
	StatusShipped:   {StatusDelivered},
}

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// CanMoveTo reports whether the status machine allows s -> to.
func (s Status) CanMoveTo(to Status) bool {
	for _, next := range transitions[s] {
		if next == to {
			return true
		}
	}
	return false
}

// ParseAdminStatus returns the status an admin asks for: only SHIPPED and
// DELIVERED may be set through the API.
func ParseAdminStatus(s string) (Status, error) {
	switch st := Status(s); st {
	case StatusShipped, StatusDelivered:
		return st, nil
	default:
		return "", fmt.Errorf("%w: %q (admins set SHIPPED or DELIVERED)", ErrInvalidStatus, s)
	}
}
