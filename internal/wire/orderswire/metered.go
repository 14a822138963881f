package orderswire

import (
	"context"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/metrics"
)

// MeteredRepository is an orders.Repository that records the orders'
// business metrics as it writes the changes they count:
//
//   - OrderCreated when Create stores a new order (orders-checkout);
//   - OrderConfirmed when Update stores an order newly CONFIRMED
//     (orders-confirm);
//   - OrderCancelled, with the dimension Reason (metrics.CancelReason of
//     the order's reason), when Update stores an order newly CANCELLED
//     (orders-cancel);
//   - CheckoutDuration, with the dimension Outcome, with either of the
//     last two when the order leaves PENDING: the time from the order's
//     creation to the change, both as the service stamped them
//     (CreatedAt, UpdatedAt).
//
// They are recorded here, after the write, rather than by the checkout
// handler or the saga's tasks, because only the write tells a change from
// a replay: Confirm and Cancel answer an order that was CONFIRMED or
// CANCELLED before exactly as one they changed now, and Checkout's replay
// of an Idempotency-Key does not call Create. A write happens once per
// change (the version condition, or the idempotency record, refuses a
// second), so each metric is recorded exactly once per order whatever the
// retries and replays; a write whose answer was lost is not counted.
type MeteredRepository struct {
	orders.Repository
	rec *metrics.Recorder
}

var _ orders.Repository = (*MeteredRepository)(nil)

// NewMeteredRepository returns repo recording into rec (nil records
// nothing).
func NewMeteredRepository(repo orders.Repository, rec *metrics.Recorder) *MeteredRepository {
	return &MeteredRepository{Repository: repo, rec: rec}
}

// Create is the wrapped repository's Create, recording OrderCreated once
// it stored the order.
func (r *MeteredRepository) Create(ctx context.Context, o orders.Order, idem orders.Idempotency) error {
	if err := r.Repository.Create(ctx, o, idem); err != nil {
		return err
	}
	r.rec.Count(ctx, metrics.OrderCreated, metrics.P("orderId", o.ID()))
	return nil
}

// Update is the wrapped repository's Update, recording the metrics of a
// CONFIRMED or CANCELLED it stored.
func (r *MeteredRepository) Update(ctx context.Context, id string, fn func(*orders.Order) error) error {
	var before, after orders.Order
	err := r.Repository.Update(ctx, id, func(o *orders.Order) error {
		before = *o
		if err := fn(o); err != nil {
			return err
		}
		after = *o
		return nil
	})
	if err != nil || after.Version() == before.Version() || after.Status() == before.Status() {
		return err
	}
	order := metrics.P("orderId", after.ID())
	var outcome string
	switch after.Status() {
	case orders.StatusConfirmed:
		r.rec.Count(ctx, metrics.OrderConfirmed, order)
		outcome = metrics.OutcomeConfirmed
	case orders.StatusCancelled:
		r.rec.Count(ctx, metrics.OrderCancelled, metrics.D(metrics.DimensionReason, metrics.CancelReason(after.FailureReason())), order)
		outcome = metrics.OutcomeCancelled
	}
	// The checkout ends when the order leaves PENDING, once.
	if outcome != "" && before.Status() == orders.StatusPending {
		r.rec.Duration(ctx, metrics.CheckoutDuration, after.UpdatedAt().Sub(after.CreatedAt()),
			metrics.D(metrics.DimensionOutcome, outcome), order)
	}
	return nil
}
