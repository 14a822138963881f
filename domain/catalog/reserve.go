package catalog

import (
	"context"
	"errors"
	"fmt"
)

// Reserve holds the units of lines for orderID: one atomic write records
// the RESERVED reservation and moves every line's units from available to
// reserved, or nothing happens.
//
// It is idempotent per order: once an order has a reservation, Reserve
// changes nothing and reports the recorded outcome, whatever the lines of
// the replay say: the same Reservation, the same *InsufficientStockError
// (recorded as a REJECTED reservation, so a replay reports it even if the
// stock changed since), or ErrReservationReleased once the order was
// released.
//
// Errors: ErrInvalidOrderID, ErrInvalidLines, ErrInvalidProductID,
// ErrInvalidQuantity, *ProductNotFoundError (nothing recorded),
// *InsufficientStockError, ErrReservationReleased, ErrConflict.
func (s *Service) Reserve(ctx context.Context, orderID string, lines []Line) (Reservation, error) {
	candidate, err := NewReservation(orderID, lines, s.now())
	if err != nil {
		return Reservation{}, err
	}
	var out Reservation
	err = s.retry.Do(ctx, ErrConflict, func() error {
		var err error
		out, err = s.reserveOnce(ctx, candidate)
		return err
	})
	if err != nil {
		return Reservation{}, fmt.Errorf("reserve order %s: %w", orderID, err)
	}
	return out, nil
}

func (s *Service) reserveOnce(ctx context.Context, candidate Reservation) (Reservation, error) {
	err := s.repo.Reserve(ctx, candidate)
	var shortage *InsufficientStockError
	switch {
	case err == nil:
		return candidate, nil
	case errors.Is(err, ErrReservationExists):
		return s.recorded(ctx, candidate.OrderID())
	case errors.As(err, &shortage):
		rejected := candidate
		if err := rejected.Reject(*shortage, s.now()); err != nil {
			return Reservation{}, err
		}
		err := s.repo.Record(ctx, rejected)
		if errors.Is(err, ErrReservationExists) {
			// A concurrent Reserve or Release of the order came first.
			return s.recorded(ctx, candidate.OrderID())
		}
		if err != nil {
			return Reservation{}, err
		}
		return rejected.outcome()
	default:
		return Reservation{}, err
	}
}

// recorded reports the outcome of the reservation recorded for orderID.
func (s *Service) recorded(ctx context.Context, orderID string) (Reservation, error) {
	r, err := s.repo.GetReservation(ctx, orderID)
	if errors.Is(err, ErrReservationNotFound) {
		// Reservations are never deleted, so a write we lost to is visible;
		// not seeing it is a stale read: try again.
		return Reservation{}, fmt.Errorf("reservation of %s not visible yet: %w", orderID, ErrConflict)
	}
	if err != nil {
		return Reservation{}, err
	}
	return r.outcome()
}
