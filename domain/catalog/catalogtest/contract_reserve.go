package catalogtest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
)

func reservation(t *testing.T, orderID string, lines ...catalog.Line) catalog.Reservation {
	t.Helper()
	r, err := catalog.NewReservation(orderID, lines, testEpoch)
	if err != nil {
		t.Fatalf("new reservation: %v", err)
	}
	return r
}

func mustReservation(t *testing.T, repo catalog.Repository, orderID string) catalog.Reservation {
	t.Helper()
	r, err := repo.GetReservation(context.Background(), orderID)
	if err != nil {
		t.Fatalf("get reservation %s: %v", orderID, err)
	}
	return r
}

func wantNoReservation(t *testing.T, repo catalog.Repository, orderID string) {
	t.Helper()
	if _, err := repo.GetReservation(context.Background(), orderID); !errors.Is(err, catalog.ErrReservationNotFound) {
		t.Errorf("reservation of %s: err = %v, want ErrReservationNotFound", orderID, err)
	}
}

func testReserveMovesStock(t *testing.T, repo catalog.Repository) {
	a, b := product(t, "A", "misc", 10), product(t, "B", "misc", 5)
	mustCreate(t, repo, a, b)
	res := reservation(t, uuid.NewString(), catalog.Line{ProductID: a.ID(), Quantity: 3}, catalog.Line{ProductID: b.ID(), Quantity: 5})
	if err := repo.Reserve(context.Background(), res); err != nil {
		t.Fatalf("reserve: %v", err)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 7, Reserved: 3})
	wantStock(t, repo, b.ID(), catalog.Stock{Available: 0, Reserved: 5})
	if got := mustGet(t, repo, a.ID()); got.Version() != 2 || !got.UpdatedAt().Equal(res.UpdatedAt()) {
		t.Errorf("reserved product: version %d, updated %v; want 2, %v", got.Version(), got.UpdatedAt(), res.UpdatedAt())
	}
	if diff := cmp.Diff(res, mustReservation(t, repo, res.OrderID()), CmpOptions()); diff != "" {
		t.Errorf("stored reservation (-want +got):\n%s", diff)
	}
}

func testReserveExisting(t *testing.T, repo catalog.Repository) {
	a := product(t, "A", "misc", 10)
	mustCreate(t, repo, a)
	order := uuid.NewString()
	first := reservation(t, order, catalog.Line{ProductID: a.ID(), Quantity: 2})
	if err := repo.Reserve(context.Background(), first); err != nil {
		t.Fatalf("reserve: %v", err)
	}
	again := reservation(t, order, catalog.Line{ProductID: a.ID(), Quantity: 5})
	if err := repo.Reserve(context.Background(), again); !errors.Is(err, catalog.ErrReservationExists) {
		t.Errorf("second reserve: err = %v, want ErrReservationExists", err)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 8, Reserved: 2})
	if diff := cmp.Diff(first, mustReservation(t, repo, order), CmpOptions()); diff != "" {
		t.Errorf("stored reservation (-want +got):\n%s", diff)
	}
}

func testReserveUnknownProduct(t *testing.T, repo catalog.Repository) {
	a := product(t, "A", "misc", 10)
	mustCreate(t, repo, a)
	unknown := uuid.NewString()
	res := reservation(t, uuid.NewString(), catalog.Line{ProductID: a.ID(), Quantity: 1}, catalog.Line{ProductID: unknown, Quantity: 1})
	err := repo.Reserve(context.Background(), res)
	var notFound *catalog.ProductNotFoundError
	if !errors.As(err, &notFound) || notFound.ProductID != unknown || !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("reserve unknown product: err = %v, want ProductNotFoundError{%s}", err, unknown)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 10})
	wantNoReservation(t, repo, res.OrderID())
}

func testReserveShortageAllOrNothing(t *testing.T, repo catalog.Repository) {
	a, b := product(t, "A", "misc", 5), product(t, "B", "misc", 1)
	mustCreate(t, repo, a, b)
	res := reservation(t, uuid.NewString(), catalog.Line{ProductID: a.ID(), Quantity: 2}, catalog.Line{ProductID: b.ID(), Quantity: 2})
	err := repo.Reserve(context.Background(), res)
	var shortage *catalog.InsufficientStockError
	if !errors.As(err, &shortage) {
		t.Fatalf("reserve beyond stock: err = %v, want InsufficientStockError", err)
	}
	if diff := cmp.Diff(catalog.InsufficientStockError{ProductID: b.ID(), Want: 2, Have: 1}, *shortage); diff != "" {
		t.Errorf("shortage (-want +got):\n%s", diff)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 5})
	wantStock(t, repo, b.ID(), catalog.Stock{Available: 1})
	wantNoReservation(t, repo, res.OrderID())
}

func testRecordAndGetReservation(t *testing.T, repo catalog.Repository) {
	ctx := context.Background()
	wantNoReservation(t, repo, uuid.NewString())

	rejected := reservation(t, uuid.NewString(), catalog.Line{ProductID: uuid.NewString(), Quantity: 3})
	if err := rejected.Reject(catalog.InsufficientStockError{ProductID: "p1", Want: 3, Have: 1}, testEpoch); err != nil {
		t.Fatal(err)
	}
	tombstone, err := catalog.NewReleasedReservation(uuid.NewString(), testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []catalog.Reservation{rejected, tombstone} {
		if err := repo.Record(ctx, r); err != nil {
			t.Fatalf("record %s: %v", r.Status(), err)
		}
		if diff := cmp.Diff(r, mustReservation(t, repo, r.OrderID()), CmpOptions()); diff != "" {
			t.Errorf("stored %s reservation (-want +got):\n%s", r.Status(), diff)
		}
		if err := repo.Record(ctx, r); !errors.Is(err, catalog.ErrReservationExists) {
			t.Errorf("record %s twice: err = %v, want ErrReservationExists", r.Status(), err)
		}
	}
}

func testReleaseReturnsUnits(t *testing.T, repo catalog.Repository) {
	ctx := context.Background()
	a := product(t, "A", "misc", 10)
	mustCreate(t, repo, a)
	res := reservation(t, uuid.NewString(), catalog.Line{ProductID: a.ID(), Quantity: 3})
	if err := repo.Reserve(ctx, res); err != nil {
		t.Fatalf("reserve: %v", err)
	}
	if err := res.Release(testEpoch.Add(1)); err != nil {
		t.Fatal(err)
	}
	if err := repo.Release(ctx, res); err != nil {
		t.Fatalf("release: %v", err)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 10})
	if diff := cmp.Diff(res, mustReservation(t, repo, res.OrderID()), CmpOptions()); diff != "" {
		t.Errorf("stored reservation (-want +got):\n%s", diff)
	}
	if err := repo.Release(ctx, res); !errors.Is(err, catalog.ErrConflict) {
		t.Errorf("release twice: err = %v, want ErrConflict", err)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 10})
	if got := mustGet(t, repo, a.ID()).Version(); got != 3 {
		t.Errorf("version after reserve and release = %d, want 3", got)
	}
}

func testServiceReserveIdempotent(t *testing.T, repo catalog.Repository) {
	ctx := context.Background()
	svc := newService(repo, 5)
	a := product(t, "A", "misc", 10)
	mustCreate(t, repo, a)
	order := uuid.NewString()
	first, err := svc.Reserve(ctx, order, []catalog.Line{{ProductID: a.ID(), Quantity: 2}})
	if err != nil {
		t.Fatalf("reserve: %v", err)
	}
	if first.Status() != catalog.StatusReserved {
		t.Errorf("status = %s, want RESERVED", first.Status())
	}
	again, err := svc.Reserve(ctx, order, []catalog.Line{{ProductID: a.ID(), Quantity: 5}})
	if err != nil {
		t.Fatalf("replayed reserve: %v", err)
	}
	if diff := cmp.Diff(first, again, CmpOptions()); diff != "" {
		t.Errorf("replay reported (-first +replay):\n%s", diff)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 8, Reserved: 2})
}

func testServiceRejectionIdempotent(t *testing.T, repo catalog.Repository) {
	ctx := context.Background()
	svc := newService(repo, 5)
	a := product(t, "A", "misc", 1)
	mustCreate(t, repo, a)
	order := uuid.NewString()
	want := catalog.InsufficientStockError{ProductID: a.ID(), Want: 3, Have: 1}
	for attempt := range 2 {
		_, err := svc.Reserve(ctx, order, []catalog.Line{{ProductID: a.ID(), Quantity: 3}})
		var shortage *catalog.InsufficientStockError
		if !errors.As(err, &shortage) {
			t.Fatalf("reserve %d: err = %v, want InsufficientStockError", attempt, err)
		}
		if diff := cmp.Diff(want, *shortage); diff != "" {
			t.Errorf("reserve %d: shortage (-want +got):\n%s", attempt, diff)
		}
		// Restocking does not change the recorded answer for this order.
		if _, err := svc.SetInventory(ctx, a.ID(), 100); err != nil {
			t.Fatalf("set inventory: %v", err)
		}
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 100})
	if got := mustReservation(t, repo, order); got.Status() != catalog.StatusRejected {
		t.Errorf("recorded status = %s, want REJECTED", got.Status())
	}
}

func testServiceReserveUnknownProduct(t *testing.T, repo catalog.Repository) {
	svc := newService(repo, 5)
	a := product(t, "A", "misc", 10)
	mustCreate(t, repo, a)
	order, unknown := uuid.NewString(), uuid.NewString()
	_, err := svc.Reserve(context.Background(), order, []catalog.Line{{ProductID: a.ID(), Quantity: 1}, {ProductID: unknown, Quantity: 1}})
	var notFound *catalog.ProductNotFoundError
	if !errors.As(err, &notFound) || notFound.ProductID != unknown {
		t.Fatalf("reserve: err = %v, want ProductNotFoundError{%s}", err, unknown)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 10})
	wantNoReservation(t, repo, order)
}

func testServiceReleaseIdempotent(t *testing.T, repo catalog.Repository) {
	ctx := context.Background()
	svc := newService(repo, 5)
	a := product(t, "A", "misc", 10)
	mustCreate(t, repo, a)
	order := uuid.NewString()
	if _, err := svc.Reserve(ctx, order, []catalog.Line{{ProductID: a.ID(), Quantity: 4}}); err != nil {
		t.Fatalf("reserve: %v", err)
	}
	released, err := svc.Release(ctx, order)
	if err != nil {
		t.Fatalf("release: %v", err)
	}
	if released.Status() != catalog.StatusReleased || len(released.Lines()) != 1 {
		t.Errorf("released = %s with %d lines, want RELEASED with 1", released.Status(), len(released.Lines()))
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 10})
	again, err := svc.Release(ctx, order)
	if err != nil {
		t.Fatalf("release again: %v", err)
	}
	if diff := cmp.Diff(released, again, CmpOptions()); diff != "" {
		t.Errorf("second release (-first +second):\n%s", diff)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 10})
	if _, err := svc.Reserve(ctx, order, []catalog.Line{{ProductID: a.ID(), Quantity: 4}}); !errors.Is(err, catalog.ErrReservationReleased) {
		t.Errorf("reserve after release: err = %v, want ErrReservationReleased", err)
	}

	// Releasing a rejected order changes nothing.
	rejectedOrder := uuid.NewString()
	if _, err := svc.Reserve(ctx, rejectedOrder, []catalog.Line{{ProductID: a.ID(), Quantity: 11}}); err == nil {
		t.Fatal("reserve beyond stock succeeded")
	}
	got, err := svc.Release(ctx, rejectedOrder)
	if err != nil || got.Status() != catalog.StatusRejected {
		t.Errorf("release rejected: %v, %v; want the REJECTED reservation", got.Status(), err)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 10})
}

func testServiceReleaseBeforeReserve(t *testing.T, repo catalog.Repository) {
	ctx := context.Background()
	svc := newService(repo, 5)
	a := product(t, "A", "misc", 10)
	mustCreate(t, repo, a)
	order := uuid.NewString()
	tombstone, err := svc.Release(ctx, order)
	if err != nil {
		t.Fatalf("release unknown order: %v", err)
	}
	if tombstone.Status() != catalog.StatusReleased || len(tombstone.Lines()) != 0 {
		t.Errorf("tombstone = %s with %d lines, want RELEASED without lines", tombstone.Status(), len(tombstone.Lines()))
	}
	if _, err := svc.Reserve(ctx, order, []catalog.Line{{ProductID: a.ID(), Quantity: 1}}); !errors.Is(err, catalog.ErrReservationReleased) {
		t.Errorf("late reserve: err = %v, want ErrReservationReleased", err)
	}
	wantStock(t, repo, a.ID(), catalog.Stock{Available: 10})
}

func testServiceMaxLines(t *testing.T, repo catalog.Repository) {
	ctx := context.Background()
	svc := newService(repo, 5)
	var lines []catalog.Line
	for i := range catalog.MaxLines {
		p := product(t, fmt.Sprintf("P%d", i), "misc", 2)
		mustCreate(t, repo, p)
		lines = append(lines, catalog.Line{ProductID: p.ID(), Quantity: 1})
	}
	order := uuid.NewString()
	if _, err := svc.Reserve(ctx, order, lines); err != nil {
		t.Fatalf("reserve %d lines: %v", len(lines), err)
	}
	for _, l := range lines {
		wantStock(t, repo, l.ProductID, catalog.Stock{Available: 1, Reserved: 1})
	}
	if _, err := svc.Release(ctx, order); err != nil {
		t.Fatalf("release %d lines: %v", len(lines), err)
	}
	for _, l := range lines {
		wantStock(t, repo, l.ProductID, catalog.Stock{Available: 2})
	}
}
