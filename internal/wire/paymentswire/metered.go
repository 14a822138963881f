package paymentswire

import (
	"context"

	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/internal/metrics"
)

// MeteredRepository is a payments.Repository that records the business
// metrics of a payment's changes as it writes them: PaymentDeclined when a
// payment is stored FAILED with reason declined, PaymentFailed when it is
// stored FAILED with reason error (the gateway could not charge in time).
//
// They are recorded here, after the write that changed the status, rather
// than by the ProcessPayment task, because the task cannot tell a charge
// that failed now from a replay of one that failed before: Process
// answers both with the same error and the same payment. A write happens
// once per change (the version condition refuses a second), so each
// metric is recorded exactly once per payment, whatever the retries and
// replays; a write whose answer was lost is not counted.
type MeteredRepository struct {
	payments.Repository
	rec *metrics.Recorder
}

var _ payments.Repository = (*MeteredRepository)(nil)

// NewMeteredRepository returns repo recording into rec (nil records
// nothing).
func NewMeteredRepository(repo payments.Repository, rec *metrics.Recorder) *MeteredRepository {
	return &MeteredRepository{Repository: repo, rec: rec}
}

// Update is the wrapped repository's Update, recording the metric of a
// change of status it stored.
func (r *MeteredRepository) Update(ctx context.Context, id string, fn func(*payments.Payment) error) error {
	var before, after payments.Payment
	err := r.Repository.Update(ctx, id, func(p *payments.Payment) error {
		before = *p
		if err := fn(p); err != nil {
			return err
		}
		after = *p
		return nil
	})
	if err != nil || after.Version() == before.Version() || after.Status() == before.Status() {
		return err
	}
	if after.Status() == payments.StatusFailed {
		name := metrics.PaymentFailed
		if after.FailureReason() == payments.ReasonDeclined {
			name = metrics.PaymentDeclined
		}
		r.rec.Count(ctx, name, metrics.P("orderId", after.OrderID()), metrics.P("paymentId", after.ID()))
	}
	return nil
}
