package catalogwire_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/internal/catalogtask"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
	"github.com/goshop-dev/goshop/internal/wire/catalogwire"
)

// TestReservationFailuresOncePerOrder: each failed reservation is counted
// once with its reason, however often the task is replayed for it, and a
// reservation that succeeds counts nothing.
func TestReservationFailuresOncePerOrder(t *testing.T) {
	t.Parallel()
	rec, sink := metricstest.Recorder(t)
	svc := catalog.NewService(catalogwire.NewMeteredRepository(catalogtest.NewRepository(), rec), time.Now, uuid.NewString)
	ctx := context.Background()
	p, err := svc.Create(ctx, catalog.NewProductParams{SKU: "LAMP-1", Name: "Lamp", Category: "home", PriceAmount: 1000, Currency: "USD", InitialStock: 3})
	if err != nil {
		t.Fatal(err)
	}
	reserve := catalogtask.Reserve(svc, catalogtask.WithRecorder(rec))
	if _, err := catalogtask.Release(svc)(ctx, catalogtask.ReleaseInput{OrderID: "o-late"}); err != nil {
		t.Fatal(err)
	}
	inputs := []catalogtask.ReserveInput{
		{OrderID: "o-ok", Lines: []catalogtask.Line{{ProductID: p.ID(), Quantity: 1}}},
		{OrderID: "o-short", Lines: []catalogtask.Line{{ProductID: p.ID(), Quantity: 5}}},
		{OrderID: "o-unknown", Lines: []catalogtask.Line{{ProductID: "nope", Quantity: 1}}},
		{OrderID: "o-invalid", Lines: []catalogtask.Line{{ProductID: p.ID(), Quantity: 0}}},
		{OrderID: "o-late", Lines: []catalogtask.Line{{ProductID: p.ID(), Quantity: 1}}},
	}
	for i, in := range inputs {
		if _, err := reserve(ctx, in); (err == nil) != (i == 0) {
			t.Fatalf("reserve %s: %v", in.OrderID, err)
		}
	}
	// A replay of the rejected reservation reads the record: not counted.
	if _, err := reserve(ctx, inputs[1]); err == nil {
		t.Fatal("a replayed rejection succeeded")
	}
	tests := []struct {
		reason string
		want   float64
	}{
		{metrics.ReservationOutOfStock, 1},
		{metrics.ReservationUnknownProduct, 1},
		{metrics.ReservationInvalid, 1},
		{metrics.ReservationReleased, 1},
	}
	for _, tt := range tests {
		if got := sink.Sum(metrics.InventoryReservationFailed, map[string]string{metrics.DimensionReason: tt.reason}); got != tt.want {
			t.Errorf("InventoryReservationFailed{Reason=%s} = %v, want %v", tt.reason, got, tt.want)
		}
	}
	if got := sink.Sum(metrics.InventoryReservationFailed, nil); got != 4 {
		t.Errorf("InventoryReservationFailed = %v, want 4", got)
	}
}
