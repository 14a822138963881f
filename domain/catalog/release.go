package catalog

import (
	"context"
	"errors"
	"fmt"
)

// Release gives back the units held for orderID. It is idempotent:
//   - RESERVED becomes RELEASED and every line's units move from reserved
//     back to available, in one atomic write conditioned on the status
//     still being RESERVED;
//   - an order without a reservation gets a RELEASED tombstone, so that a
//     Reserve arriving late is refused (ErrReservationReleased) instead of
//     holding stock that nobody will release;
//   - REJECTED and RELEASED reservations are returned unchanged.
//
// Errors: ErrInvalidOrderID, ErrConflict.
func (s *Service) Release(ctx context.Context, orderID string) (Reservation, error) {
	if !ValidID(orderID) {
		return Reservation{}, fmt.Errorf("%w: %q", ErrInvalidOrderID, orderID)
	}
	var out Reservation
	err := s.retry.Do(ctx, ErrConflict, func() error {
		var err error
		out, err = s.releaseOnce(ctx, orderID)
		return err
	})
	if err != nil {
		return Reservation{}, fmt.Errorf("release order %s: %w", orderID, err)
	}
	return out, nil
}

func (s *Service) releaseOnce(ctx context.Context, orderID string) (Reservation, error) {
	r, err := s.repo.GetReservation(ctx, orderID)
	if errors.Is(err, ErrReservationNotFound) {
		tombstone, err := NewReleasedReservation(orderID, s.now())
		if err != nil {
			return Reservation{}, err
		}
		err = s.repo.Record(ctx, tombstone)
		if errors.Is(err, ErrReservationExists) {
			// A Reserve came first: start over and release what it holds.
			return Reservation{}, fmt.Errorf("reservation of %s appeared: %w", orderID, ErrConflict)
		}
		if err != nil {
			return Reservation{}, err
		}
		return tombstone, nil
	}
	if err != nil {
		return Reservation{}, err
	}
	if r.Status() != StatusReserved {
		return r, nil
	}
	if err := r.Release(s.now()); err != nil {
		return Reservation{}, err
	}
	// ErrConflict here means a concurrent Release won: the next try reads
	// RELEASED and returns it.
	if err := s.repo.Release(ctx, r); err != nil {
		return Reservation{}, err
	}
	return r, nil
}
