package catalogtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
)

func testCreateThenGet(t *testing.T, repo catalog.Repository) {
	p := product(t, "Trail Runner", unique("shoes-"), 5)
	mustCreate(t, repo, p)
	if diff := cmp.Diff(p, mustGet(t, repo, p.ID()), CmpOptions()); diff != "" {
		t.Errorf("get after create (-want +got):\n%s", diff)
	}
}

func testGetUnknown(t *testing.T, repo catalog.Repository) {
	_, err := repo.Get(context.Background(), uuid.NewString())
	if !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("get unknown: err = %v, want ErrNotFound", err)
	}
}

func testCreateDuplicateSKU(t *testing.T, repo catalog.Repository) {
	first := product(t, "First", "misc", 1)
	mustCreate(t, repo, first)
	second, err := catalog.NewProduct(uuid.NewString(), catalog.NewProductParams{
		SKU: first.SKU(), Name: "Second", Category: "misc", PriceAmount: 5, Currency: "USD",
	}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Create(context.Background(), second); !errors.Is(err, catalog.ErrSKUTaken) {
		t.Fatalf("create duplicate sku: err = %v, want ErrSKUTaken", err)
	}
	if _, err := repo.Get(context.Background(), second.ID()); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("loser of the sku was stored: err = %v", err)
	}
	if diff := cmp.Diff(first, mustGet(t, repo, first.ID()), CmpOptions()); diff != "" {
		t.Errorf("winner changed (-want +got):\n%s", diff)
	}
}

func testCreateDuplicateID(t *testing.T, repo catalog.Repository) {
	first := product(t, "First", "misc", 1)
	mustCreate(t, repo, first)
	sku := "DUP-" + strings.ToUpper(uuid.NewString()[:8])
	same, err := catalog.NewProduct(first.ID(), catalog.NewProductParams{
		SKU: sku, Name: "Same id", Category: "misc", PriceAmount: 5, Currency: "USD",
	}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Create(context.Background(), same); err == nil {
		t.Fatal("create with an existing id: err = nil")
	}
	// The failed create must not have claimed its SKU.
	other, err := catalog.NewProduct(uuid.NewString(), catalog.NewProductParams{
		SKU: sku, Name: "Other", Category: "misc", PriceAmount: 5, Currency: "USD",
	}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Create(context.Background(), other); err != nil {
		t.Errorf("sku of a failed create stayed claimed: %v", err)
	}
	if got := mustGet(t, repo, first.ID()).Name(); got != "First" {
		t.Errorf("existing product renamed to %q", got)
	}
}

func testUpdateApplies(t *testing.T, repo catalog.Repository) {
	p := product(t, "Lamp", "home", 3)
	mustCreate(t, repo, p)
	later := testEpoch.Add(time.Hour)
	var seen catalog.Product
	err := repo.Update(context.Background(), p.ID(), func(got *catalog.Product) error {
		seen = *got
		return got.SetAvailable(42, later)
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if diff := cmp.Diff(p, seen, CmpOptions()); diff != "" {
		t.Errorf("fn saw (-want +got):\n%s", diff)
	}
	got := mustGet(t, repo, p.ID())
	want := p
	if err := want.SetAvailable(42, later); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, CmpOptions()); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	if got.Version() != 2 {
		t.Errorf("version = %d, want 2", got.Version())
	}
}

func testUpdateUnknown(t *testing.T, repo catalog.Repository) {
	called := false
	err := repo.Update(context.Background(), uuid.NewString(), func(*catalog.Product) error {
		called = true
		return nil
	})
	if !errors.Is(err, catalog.ErrNotFound) || called {
		t.Errorf("update unknown: err = %v, fn called = %v; want ErrNotFound, not called", err, called)
	}
}

func testUpdateFnError(t *testing.T, repo catalog.Repository) {
	p := product(t, "Lamp", "home", 3)
	mustCreate(t, repo, p)
	boom := errors.New("boom")
	err := repo.Update(context.Background(), p.ID(), func(got *catalog.Product) error {
		if err := got.SetAvailable(9, testEpoch); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("update: err = %v, want fn's error", err)
	}
	if diff := cmp.Diff(p, mustGet(t, repo, p.ID()), CmpOptions()); diff != "" {
		t.Errorf("failed update stored something (-want +got):\n%s", diff)
	}
}

func testUpdateWithoutChange(t *testing.T, repo catalog.Repository) {
	p := product(t, "Lamp", "home", 3)
	mustCreate(t, repo, p)
	if err := repo.Update(context.Background(), p.ID(), func(*catalog.Product) error { return nil }); err != nil {
		t.Fatalf("update: %v", err)
	}
	if got := mustGet(t, repo, p.ID()).Version(); got != 1 {
		t.Errorf("version after no-op update = %d, want 1", got)
	}
}

// testUpdateKeepsConcurrentReservation checks that a reservation made
// between Update's read and write makes the write fail instead of
// overwriting the reserved units.
func testUpdateKeepsConcurrentReservation(t *testing.T, repo catalog.Repository) {
	ctx := context.Background()
	p := product(t, "Lamp", "home", 10)
	mustCreate(t, repo, p)
	res, err := catalog.NewReservation(uuid.NewString(), []catalog.Line{{ProductID: p.ID(), Quantity: 4}}, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	err = repo.Update(ctx, p.ID(), func(got *catalog.Product) error {
		if err := repo.Reserve(ctx, res); err != nil {
			return fmt.Errorf("reserve inside update: %w", err)
		}
		return got.SetAvailable(20, testEpoch)
	})
	if !errors.Is(err, catalog.ErrConflict) {
		t.Errorf("update racing a reservation: err = %v, want ErrConflict", err)
	}
	wantStock(t, repo, p.ID(), catalog.Stock{Available: 6, Reserved: 4})
}

func testLookup(t *testing.T, repo catalog.Repository) {
	a, b, c := product(t, "A", "misc", 1), product(t, "B", "misc", 2), product(t, "C", "misc", 3)
	mustCreate(t, repo, a, b, c)
	got, err := repo.Lookup(context.Background(), []string{c.ID(), uuid.NewString(), a.ID()})
	if err != nil {
		t.Fatalf("lookup: %v", err)
	}
	if diff := cmp.Diff([]catalog.Product{c, a}, got, CmpOptions()); diff != "" {
		t.Errorf("lookup (-want +got):\n%s", diff)
	}
	got, err = repo.Lookup(context.Background(), []string{uuid.NewString()})
	if err != nil || len(got) != 0 {
		t.Errorf("lookup of unknown ids = %v, %v; want none", got, err)
	}

	// A full lookup: catalog.MaxLookupIDs ids, a third of them known.
	var ids []string
	var want []catalog.Product
	for i := range catalog.MaxLookupIDs {
		if i%3 != 0 {
			ids = append(ids, uuid.NewString())
			continue
		}
		p := product(t, fmt.Sprintf("Item %d", i), "misc", i)
		mustCreate(t, repo, p)
		ids = append(ids, p.ID())
		want = append(want, p)
	}
	got, err = repo.Lookup(context.Background(), ids)
	if err != nil {
		t.Fatalf("lookup %d ids: %v", len(ids), err)
	}
	if diff := cmp.Diff(want, got, CmpOptions()); diff != "" {
		t.Errorf("lookup %d ids (-want +got):\n%s", len(ids), diff)
	}
}
