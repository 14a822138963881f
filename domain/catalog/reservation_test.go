package catalog_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/catalog"
)

func TestNewReservationMergesLines(t *testing.T) {
	t.Parallel()
	r, err := catalog.NewReservation("order-1", []catalog.Line{
		{ProductID: "b", Quantity: 2}, {ProductID: "a", Quantity: 1}, {ProductID: "b", Quantity: 998},
	}, epoch)
	if err != nil {
		t.Fatalf("new reservation: %v", err)
	}
	want := []catalog.Line{{ProductID: "b", Quantity: 1000}, {ProductID: "a", Quantity: 1}}
	if diff := cmp.Diff(want, r.Lines()); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if r.Status() != catalog.StatusReserved || r.OrderID() != "order-1" || !r.CreatedAt().Equal(epoch) {
		t.Errorf("reservation = %s %s %v", r.Status(), r.OrderID(), r.CreatedAt())
	}
	if _, ok := r.Shortage(); ok {
		t.Error("a new reservation has a shortage")
	}
	lines := r.Lines()
	lines[0].Quantity = 1
	if r.Lines()[0].Quantity != 1000 {
		t.Error("Lines exposes the reservation's slice")
	}
}

func TestNewReservationInvalid(t *testing.T) {
	t.Parallel()
	many := make([]catalog.Line, catalog.MaxLines+1)
	for i := range many {
		many[i] = catalog.Line{ProductID: string(rune('a' + i)), Quantity: 1}
	}
	tests := []struct {
		name  string
		order string
		lines []catalog.Line
		want  error
	}{
		{"no order id", "", []catalog.Line{{ProductID: "a", Quantity: 1}}, catalog.ErrInvalidOrderID},
		{"bad order id", "o#1", []catalog.Line{{ProductID: "a", Quantity: 1}}, catalog.ErrInvalidOrderID},
		{"no lines", "o", nil, catalog.ErrInvalidLines},
		{"too many lines", "o", many, catalog.ErrInvalidLines},
		{"zero quantity", "o", []catalog.Line{{ProductID: "a", Quantity: 0}}, catalog.ErrInvalidQuantity},
		{"negative quantity", "o", []catalog.Line{{ProductID: "a", Quantity: -2}}, catalog.ErrInvalidQuantity},
		{"quantity too big", "o", []catalog.Line{{ProductID: "a", Quantity: 1001}}, catalog.ErrInvalidQuantity},
		{"merged quantity too big", "o", []catalog.Line{{ProductID: "a", Quantity: 600}, {ProductID: "a", Quantity: 401}}, catalog.ErrInvalidQuantity},
		{"empty product id", "o", []catalog.Line{{ProductID: "", Quantity: 1}}, catalog.ErrInvalidProductID},
		{"bad product id", "o", []catalog.Line{{ProductID: "PRODUCT#x", Quantity: 1}}, catalog.ErrInvalidProductID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := catalog.NewReservation(tt.order, tt.lines, epoch); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestReservationTransitions(t *testing.T) {
	t.Parallel()
	later := epoch.Add(1)
	newRes := func(t *testing.T) catalog.Reservation {
		t.Helper()
		r, err := catalog.NewReservation("o", []catalog.Line{{ProductID: "a", Quantity: 1}}, epoch)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	shortage := catalog.InsufficientStockError{ProductID: "a", Want: 1, Have: 0}

	rejected := newRes(t)
	if err := rejected.Reject(shortage, later); err != nil {
		t.Fatalf("reject: %v", err)
	}
	if got, ok := rejected.Shortage(); !ok || got != shortage || rejected.Status() != catalog.StatusRejected || !rejected.UpdatedAt().Equal(later) {
		t.Errorf("rejected = %s, shortage %+v %v, updated %v", rejected.Status(), got, ok, rejected.UpdatedAt())
	}
	if err := rejected.Release(later); !errors.Is(err, catalog.ErrInvalidTransition) {
		t.Errorf("release rejected: err = %v, want ErrInvalidTransition", err)
	}

	released := newRes(t)
	if err := released.Release(later); err != nil {
		t.Fatalf("release: %v", err)
	}
	if released.Status() != catalog.StatusReleased || !released.UpdatedAt().Equal(later) || !released.CreatedAt().Equal(epoch) {
		t.Errorf("released = %s, updated %v, created %v", released.Status(), released.UpdatedAt(), released.CreatedAt())
	}
	if err := released.Release(later); !errors.Is(err, catalog.ErrInvalidTransition) {
		t.Errorf("release twice: err = %v, want ErrInvalidTransition", err)
	}
	if err := released.Reject(shortage, later); !errors.Is(err, catalog.ErrInvalidTransition) {
		t.Errorf("reject released: err = %v, want ErrInvalidTransition", err)
	}

	tombstone, err := catalog.NewReleasedReservation("o", epoch)
	if err != nil {
		t.Fatalf("tombstone: %v", err)
	}
	if tombstone.Status() != catalog.StatusReleased || len(tombstone.Lines()) != 0 {
		t.Errorf("tombstone = %s with %d lines", tombstone.Status(), len(tombstone.Lines()))
	}
	if _, err := catalog.NewReleasedReservation("", epoch); !errors.Is(err, catalog.ErrInvalidOrderID) {
		t.Errorf("tombstone without order: err = %v", err)
	}
}

func TestErrorsCarryData(t *testing.T) {
	t.Parallel()
	var err error = &catalog.ProductNotFoundError{ProductID: "p-9"}
	if !errors.Is(err, catalog.ErrNotFound) || err.Error() != "product p-9 not found" {
		t.Errorf("ProductNotFoundError = %q, Is(ErrNotFound) = %v", err, errors.Is(err, catalog.ErrNotFound))
	}
	err = &catalog.InsufficientStockError{ProductID: "p-9", Want: 3, Have: 1}
	if got := err.Error(); got != "insufficient stock for product p-9: want 3, have 1" {
		t.Errorf("InsufficientStockError = %q", got)
	}
}
