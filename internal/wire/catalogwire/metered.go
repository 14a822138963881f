package catalogwire

import (
	"context"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/internal/metrics"
)

// MeteredRepository is a catalog.Repository that records
// InventoryReservationFailed with Reason out_of_stock when it stores a
// REJECTED reservation: the stock could not cover the order.
//
// It is recorded here, after the write, rather than by the
// ReserveInventory task, because the task cannot tell a rejection made now
// from a replay that reads the recorded one (Reserve answers both with the
// same *catalog.InsufficientStockError); the record is written once per
// order (Record refuses a second), so the metric is recorded once per
// order. The reasons nothing records (an unknown product, invalid lines,
// a released reservation) are counted by the task (catalogtask.Reserve).
type MeteredRepository struct {
	catalog.Repository
	rec *metrics.Recorder
}

var _ catalog.Repository = (*MeteredRepository)(nil)

// NewMeteredRepository returns repo recording into rec (nil records
// nothing).
func NewMeteredRepository(repo catalog.Repository, rec *metrics.Recorder) *MeteredRepository {
	return &MeteredRepository{Repository: repo, rec: rec}
}

// Record is the wrapped repository's Record, recording the rejection it
// stored.
func (r *MeteredRepository) Record(ctx context.Context, res catalog.Reservation) error {
	if err := r.Repository.Record(ctx, res); err != nil {
		return err
	}
	if res.Status() == catalog.StatusRejected {
		r.rec.Count(ctx, metrics.InventoryReservationFailed,
			metrics.D(metrics.DimensionReason, metrics.ReservationOutOfStock), metrics.P("orderId", res.OrderID()))
	}
	return nil
}
