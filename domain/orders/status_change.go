package orders

import (
	"context"
	"fmt"
)

// Confirm moves the PENDING order to CONFIRMED with its payment, the
// checkout saga's ConfirmOrder step. It is idempotent: an order already
// CONFIRMED is returned unchanged. A CANCELLED order is
// ErrNotConfirmable; ErrNotFound, ErrInvalidPaymentID and ErrConflict
// otherwise.
func (s *Service) Confirm(ctx context.Context, id, paymentID string) (Order, error) {
	var out Order
	err := s.update(ctx, id, func(o *Order) error {
		switch o.Status() {
		case StatusConfirmed:
			return nil
		case StatusCancelled:
			return fmt.Errorf("%w: order is %s", ErrNotConfirmable, o.Status())
		}
		return o.Confirm(paymentID, s.now())
	}, &out)
	if err != nil {
		return Order{}, fmt.Errorf("confirm order %s: %w", id, err)
	}
	return out, nil
}

// Cancel moves the order to CANCELLED for reason, the checkout saga's
// CancelOrder compensation. It is idempotent: an order already CANCELLED is
// returned unchanged (keeping its first reason). A SHIPPED or DELIVERED
// order is an *InvalidTransitionError; ErrNotFound, ErrInvalidReason and
// ErrConflict otherwise.
func (s *Service) Cancel(ctx context.Context, id, reason string) (Order, error) {
	if !validReason(reason) {
		return Order{}, fmt.Errorf("cancel order %s: %w: %q", id, ErrInvalidReason, reason)
	}
	var out Order
	err := s.update(ctx, id, func(o *Order) error {
		if o.Status() == StatusCancelled {
			return nil
		}
		return o.Cancel(reason, s.now())
	}, &out)
	if err != nil {
		return Order{}, fmt.Errorf("cancel order %s: %w", id, err)
	}
	return out, nil
}

// SetStatus is an admin's change of the order's status: SHIPPED (from
// CONFIRMED) or DELIVERED (from SHIPPED). Errors: ErrInvalidStatus for any
// other status, *InvalidTransitionError, ErrNotFound, ErrConflict.
func (s *Service) SetStatus(ctx context.Context, id string, to Status) (Order, error) {
	if to != StatusShipped && to != StatusDelivered {
		return Order{}, fmt.Errorf("set status of %s: %w: %q", id, ErrInvalidStatus, to)
	}
	var out Order
	err := s.update(ctx, id, func(o *Order) error {
		if to == StatusShipped {
			return o.Ship(s.now())
		}
		return o.Deliver(s.now())
	}, &out)
	if err != nil {
		return Order{}, fmt.Errorf("set status of %s: %w", id, err)
	}
	return out, nil
}

// update runs repo.Update with retries on conflicts and keeps the order fn
// saw last in out.
func (s *Service) update(ctx context.Context, id string, fn func(*Order) error, out *Order) error {
	if !ValidID(id) {
		return ErrNotFound
	}
	return s.retry.Do(ctx, ErrConflict, func() error {
		return s.repo.Update(ctx, id, func(o *Order) error {
			if err := fn(o); err != nil {
				return err
			}
			*out = *o
			return nil
		})
	})
}
