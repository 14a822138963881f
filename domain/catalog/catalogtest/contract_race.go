package catalogtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
)

// runConcurrently calls fn(0..n-1) from n goroutines released together.
func runConcurrently(n int, fn func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// testRaceUpdate: concurrent optimistic updates without retries. Every
// update either lands or reports ErrConflict, and the version counts
// exactly the ones that landed.
func testRaceUpdate(t *testing.T, repo catalog.Repository) {
	p := product(t, "Contended", "misc", 0)
	mustCreate(t, repo, p)
	const n = 20
	errs := make([]error, n)
	runConcurrently(n, func(i int) {
		errs[i] = repo.Update(context.Background(), p.ID(), func(got *catalog.Product) error {
			return got.SetAvailable(i+1, testEpoch)
		})
	})
	landed := map[int]bool{}
	for i, err := range errs {
		switch {
		case err == nil:
			landed[i+1] = true
		case !errors.Is(err, catalog.ErrConflict):
			t.Errorf("update %d: err = %v, want nil or ErrConflict", i, err)
		}
	}
	got := mustGet(t, repo, p.ID())
	if len(landed) == 0 {
		t.Fatal("no update landed")
	}
	if got.Version() != int64(1+len(landed)) {
		t.Errorf("version = %d after %d landed updates, want %d", got.Version(), len(landed), 1+len(landed))
	}
	if !landed[got.Stock().Available] {
		t.Errorf("available = %d, not the value of a landed update %v", got.Stock().Available, landed)
	}
}

// testRaceReserveOneProduct: 50 orders of 1 to 3 units compete for the 10
// units of one product.
func testRaceReserveOneProduct(t *testing.T, repo catalog.Repository) {
	const initial, n = 10, 50
	svc := newService(repo, 10)
	p := product(t, "Scarce", "misc", initial)
	mustCreate(t, repo, p)
	orders := make([]string, n)
	want := make([]int, n)
	errs := make([]error, n)
	for i := range n {
		orders[i], want[i] = uuid.NewString(), 1+i%3
	}
	runConcurrently(n, func(i int) {
		_, errs[i] = svc.Reserve(context.Background(), orders[i], []catalog.Line{{ProductID: p.ID(), Quantity: want[i]}})
	})
	reserved, winners := 0, 0
	for i, err := range errs {
		var shortage *catalog.InsufficientStockError
		switch {
		case err == nil:
			reserved += want[i]
			winners++
			if got := mustReservation(t, repo, orders[i]); got.Status() != catalog.StatusReserved {
				t.Errorf("winner %d recorded as %s", i, got.Status())
			}
		case errors.As(err, &shortage):
			if shortage.ProductID != p.ID() || shortage.Want != want[i] || shortage.Have >= want[i] || shortage.Have < 0 {
				t.Errorf("order %d: shortage %+v for %d units", i, *shortage, want[i])
			}
			if got := mustReservation(t, repo, orders[i]); got.Status() != catalog.StatusRejected {
				t.Errorf("loser %d recorded as %s", i, got.Status())
			}
		case errors.Is(err, catalog.ErrConflict):
		default:
			t.Errorf("order %d: err = %v, want nil, InsufficientStockError or ErrConflict", i, err)
		}
	}
	if reserved > initial || winners == 0 {
		t.Errorf("%d winners reserved %d units of %d", winners, reserved, initial)
	}
	wantStock(t, repo, p.ID(), catalog.Stock{Available: initial - reserved, Reserved: reserved})
}

// testRaceReserveAndRelease: for each order, Reserves and Releases of the
// same order id race. Whoever wins, units are conserved, and since every
// order ends released, nothing stays reserved.
func testRaceReserveAndRelease(t *testing.T, repo catalog.Repository) {
	const initial, orders, callsPerOrder = 30, 8, 4
	svc := newService(repo, 10)
	p := product(t, "Raced", "misc", initial)
	mustCreate(t, repo, p)
	ids := make([]string, orders)
	for i := range ids {
		ids[i] = uuid.NewString()
	}
	errs := make([]error, orders*callsPerOrder)
	runConcurrently(len(errs), func(i int) {
		order := ids[i/callsPerOrder]
		if i%2 == 0 {
			_, err := svc.Reserve(context.Background(), order, []catalog.Line{{ProductID: p.ID(), Quantity: 1 + i%3}})
			if err != nil && !errors.Is(err, catalog.ErrReservationReleased) {
				errs[i] = fmt.Errorf("reserve: %w", err)
			}
			return
		}
		if _, err := svc.Release(context.Background(), order); err != nil {
			errs[i] = fmt.Errorf("release: %w", err)
		}
	})
	releasedAll := true
	for i, err := range errs {
		if err == nil {
			continue
		}
		if !errors.Is(err, catalog.ErrConflict) {
			t.Errorf("call %d: %v", i, err)
		}
		releasedAll = false
	}
	got := mustGet(t, repo, p.ID()).Stock()
	if got.Available+got.Reserved != initial || got.Available < 0 || got.Reserved < 0 {
		t.Errorf("stock %+v does not conserve %d units", got, initial)
	}
	if releasedAll {
		if got.Reserved != 0 {
			t.Errorf("stock %+v: units stay reserved after every order was released", got)
		}
		for _, id := range ids {
			if r := mustReservation(t, repo, id); r.Status() != catalog.StatusReleased {
				t.Errorf("order %s ends %s, want RELEASED", id, r.Status())
			}
		}
	}
}

// testRaceCreateSameSKU: concurrent creates of one SKU; exactly one wins.
func testRaceCreateSameSKU(t *testing.T, repo catalog.Repository) {
	const n = 20
	svc := newService(repo, 10)
	sku, cat := "RACE-"+uuid.NewString()[:8], unique("cat-")
	created := make([]catalog.Product, n)
	errs := make([]error, n)
	runConcurrently(n, func(i int) {
		created[i], errs[i] = svc.Create(context.Background(), catalog.NewProductParams{
			SKU: sku, Name: fmt.Sprintf("Racer %d", i), Category: cat, PriceAmount: 100, Currency: "USD",
		})
	})
	var winner string
	for i, err := range errs {
		switch {
		case err == nil:
			if winner != "" {
				t.Errorf("second winner %d for sku %s", i, sku)
			}
			winner = created[i].ID()
		case !errors.Is(err, catalog.ErrSKUTaken) && !errors.Is(err, catalog.ErrConflict):
			t.Errorf("create %d: err = %v, want ErrSKUTaken", i, err)
		}
	}
	if winner == "" {
		t.Fatal("no create won")
	}
	page := search(t, repo, catalog.Query{Category: cat, Limit: n})
	if len(page.Items) != 1 || page.Items[0].ID() != winner {
		t.Errorf("stored products of the sku: %v, want only %s", names(page.Items), winner)
	}
}
