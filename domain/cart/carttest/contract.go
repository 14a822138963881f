package carttest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/cart"
)

// base is the clock of the contract suite; the nanoseconds check that
// stored times keep their precision.
var base = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

// RunRepositoryContract checks that the Repository built by newRepo behaves
// as cart.Repository documents. Each case uses its own user ids.
func RunRepositoryContract(t *testing.T, newRepo func(t *testing.T) cart.Repository) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, repo cart.Repository)
	}{
		{"unknown user has an empty cart", testEmpty},
		{"update stores every field", testRoundTrip},
		{"failed fn stores nothing", testFnError},
		{"quantity change and removal", testChangeAndRemove},
		{"save for later and move back", testSaveAndMove},
		{"carts of users are isolated", testIsolation},
		{"item limit", testItemLimit},
		{"saved limit", testSavedLimit},
		{"concurrent adds stop at the limit", testRaceLimit},
		{"concurrent save and move keep one copy", testRaceSaveMove},
		{"concurrent sets of one product keep one line", testRaceSameProduct},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newRepo(t))
		})
	}
}

func newUser() string { return "u-" + uuid.NewString() }

func mustGet(t *testing.T, repo cart.Repository, userID string) CartView {
	t.Helper()
	c, err := repo.Get(context.Background(), userID)
	if err != nil {
		t.Fatalf("Get(%s): %v", userID, err)
	}
	return View(c)
}

func mustUpdate(t *testing.T, repo cart.Repository, userID string, fn func(*cart.Cart) error) {
	t.Helper()
	if err := repo.Update(context.Background(), userID, fn); err != nil {
		t.Fatalf("Update(%s): %v", userID, err)
	}
}

func set(p cart.ProductInfo, qty int, at time.Time) func(*cart.Cart) error {
	return func(c *cart.Cart) error { return c.SetItem(p, qty, at) }
}

func testEmpty(t *testing.T, repo cart.Repository) {
	user := newUser()
	want := CartView{UserID: user, Items: []ItemView{}, Saved: []SavedView{}}
	if diff := cmp.Diff(want, mustGet(t, repo, user)); diff != "" {
		t.Fatalf("empty cart (-want +got):\n%s", diff)
	}
	if _, err := repo.Get(context.Background(), ""); !errors.Is(err, cart.ErrInvalidUserID) {
		t.Fatalf("Get(\"\") error = %v, want ErrInvalidUserID", err)
	}
}

func testRoundTrip(t *testing.T, repo cart.Repository) {
	user := newUser()
	usd := cart.ProductInfo{ID: "p-usd", Name: "Mug – ☕", Price: Money(1299, "USD"), Available: 10}
	eur := cart.ProductInfo{ID: "p-eur", Name: "Tasse", Price: Money(950, "EUR"), Available: 10}
	later := base.Add(time.Minute)
	mustUpdate(t, repo, user, func(c *cart.Cart) error {
		if err := c.SetItem(usd, 3, base); err != nil {
			return err
		}
		if err := c.SetItem(eur, 1, base); err != nil {
			return err
		}
		return c.SaveForLater(eur.ID, later)
	})
	want := CartView{
		UserID: user,
		Items:  []ItemView{{ProductID: "p-usd", Name: "Mug – ☕", Amount: 1299, Currency: "USD", Quantity: 3, AddedAt: base, UpdatedAt: base}},
		Saved:  []SavedView{{ProductID: "p-eur", Name: "Tasse", Amount: 950, Currency: "EUR", SavedAt: later}},
	}
	if diff := cmp.Diff(want, mustGet(t, repo, user)); diff != "" {
		t.Fatalf("stored cart (-want +got):\n%s", diff)
	}
}

func testFnError(t *testing.T, repo cart.Repository) {
	user := newUser()
	mustUpdate(t, repo, user, set(Product("keep", 100, 5), 1, base))
	errStop := errors.New("stop")
	err := repo.Update(context.Background(), user, func(c *cart.Cart) error {
		c.RemoveItem("keep")
		if err := c.SetItem(Product("new", 100, 5), 2, base); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Update error = %v, want the fn's error", err)
	}
	got := mustGet(t, repo, user)
	if len(got.Items) != 1 || got.Items[0].ProductID != "keep" || len(got.Saved) != 0 {
		t.Fatalf("after failed fn cart = %+v, want only keep", got)
	}
}

func testChangeAndRemove(t *testing.T, repo cart.Repository) {
	user := newUser()
	a, b := Product("a", 500, 20), Product("b", 700, 20)
	mustUpdate(t, repo, user, set(a, 1, base))
	mustUpdate(t, repo, user, set(b, 2, base.Add(time.Second)))
	changed := a
	changed.Price = Money(450, "USD")
	mustUpdate(t, repo, user, set(changed, 4, base.Add(time.Hour)))
	want := CartView{UserID: user, Saved: []SavedView{}, Items: []ItemView{
		{ProductID: "a", Name: "Product a", Amount: 450, Currency: "USD", Quantity: 4, AddedAt: base, UpdatedAt: base.Add(time.Hour)},
		{ProductID: "b", Name: "Product b", Amount: 700, Currency: "USD", Quantity: 2, AddedAt: base.Add(time.Second), UpdatedAt: base.Add(time.Second)},
	}}
	if diff := cmp.Diff(want, mustGet(t, repo, user)); diff != "" {
		t.Fatalf("after change (-want +got):\n%s", diff)
	}
	mustUpdate(t, repo, user, func(c *cart.Cart) error { c.RemoveItem("a"); return nil })
	mustUpdate(t, repo, user, func(c *cart.Cart) error { c.RemoveItem("absent"); return nil })
	want.Items = want.Items[1:]
	if diff := cmp.Diff(want, mustGet(t, repo, user)); diff != "" {
		t.Fatalf("after removal (-want +got):\n%s", diff)
	}
}

func testSaveAndMove(t *testing.T, repo cart.Repository) {
	user := newUser()
	p := Product("p", 300, 5)
	mustUpdate(t, repo, user, set(p, 3, base))
	mustUpdate(t, repo, user, func(c *cart.Cart) error { return c.SaveForLater("p", base.Add(time.Minute)) })
	got := mustGet(t, repo, user)
	if len(got.Items) != 0 || len(got.Saved) != 1 || !got.Saved[0].SavedAt.Equal(base.Add(time.Minute)) {
		t.Fatalf("after save cart = %+v, want p saved only", got)
	}
	err := repo.Update(context.Background(), user, func(c *cart.Cart) error { return c.SaveForLater("p", base) })
	if !errors.Is(err, cart.ErrItemNotFound) {
		t.Fatalf("second save error = %v, want ErrItemNotFound", err)
	}
	repriced := p
	repriced.Price = Money(350, "USD")
	mustUpdate(t, repo, user, func(c *cart.Cart) error { return c.MoveToCart(repriced, base.Add(time.Hour)) })
	want := CartView{UserID: user, Saved: []SavedView{}, Items: []ItemView{
		{ProductID: "p", Name: "Product p", Amount: 350, Currency: "USD", Quantity: 1, AddedAt: base.Add(time.Hour), UpdatedAt: base.Add(time.Hour)},
	}}
	if diff := cmp.Diff(want, mustGet(t, repo, user)); diff != "" {
		t.Fatalf("after move (-want +got):\n%s", diff)
	}
	// Setting the quantity of a saved product takes it out of the saved list.
	mustUpdate(t, repo, user, func(c *cart.Cart) error { return c.SaveForLater("p", base) })
	mustUpdate(t, repo, user, set(p, 2, base.Add(2*time.Hour)))
	got = mustGet(t, repo, user)
	if len(got.Saved) != 0 || len(got.Items) != 1 || got.Items[0].Quantity != 2 {
		t.Fatalf("after set of saved product cart = %+v, want p active with 2", got)
	}
	mustUpdate(t, repo, user, func(c *cart.Cart) error { return c.SaveForLater("p", base) })
	mustUpdate(t, repo, user, func(c *cart.Cart) error { c.RemoveSaved("p"); return nil })
	if got := mustGet(t, repo, user); len(got.Items)+len(got.Saved) != 0 {
		t.Fatalf("after remove saved cart = %+v, want empty", got)
	}
}

func testIsolation(t *testing.T, repo cart.Repository) {
	alice, bob := newUser(), newUser()
	mustUpdate(t, repo, alice, set(Product("shared", 100, 5), 2, base))
	mustUpdate(t, repo, bob, func(c *cart.Cart) error { c.RemoveItem("shared"); return nil })
	if got := mustGet(t, repo, bob); len(got.Items) != 0 {
		t.Fatalf("bob's cart = %+v, want empty", got)
	}
	if got := mustGet(t, repo, alice); len(got.Items) != 1 || got.Items[0].Quantity != 2 {
		t.Fatalf("alice's cart = %+v, want shared x2", got)
	}
}

func testItemLimit(t *testing.T, repo cart.Repository) {
	user := newUser()
	for i := range cart.MaxItems {
		mustUpdate(t, repo, user, set(Product(fmt.Sprintf("p%d", i), 100, 5), 1, base))
	}
	err := repo.Update(context.Background(), user, set(Product("extra", 100, 5), 1, base))
	if !errors.Is(err, cart.ErrCartFull) {
		t.Fatalf("add past the limit error = %v, want ErrCartFull", err)
	}
	// A full cart still takes quantity changes, and room made is usable.
	mustUpdate(t, repo, user, set(Product("p0", 100, 5), 3, base))
	mustUpdate(t, repo, user, func(c *cart.Cart) error { c.RemoveItem("p1"); return nil })
	mustUpdate(t, repo, user, set(Product("extra", 100, 5), 1, base))
	if got := mustGet(t, repo, user); len(got.Items) != cart.MaxItems {
		t.Fatalf("cart holds %d items, want %d", len(got.Items), cart.MaxItems)
	}
}

func testSavedLimit(t *testing.T, repo cart.Repository) {
	user := newUser()
	saveNew := func(id string) func(*cart.Cart) error {
		return func(c *cart.Cart) error {
			if err := c.SetItem(Product(id, 100, 5), 1, base); err != nil {
				return err
			}
			return c.SaveForLater(id, base)
		}
	}
	for i := range cart.MaxSavedItems {
		mustUpdate(t, repo, user, saveNew(fmt.Sprintf("s%d", i)))
	}
	if err := repo.Update(context.Background(), user, saveNew("extra")); !errors.Is(err, cart.ErrSavedFull) {
		t.Fatalf("save past the limit error = %v, want ErrSavedFull", err)
	}
	got := mustGet(t, repo, user)
	if len(got.Saved) != cart.MaxSavedItems || len(got.Items) != 0 {
		t.Fatalf("cart holds %d saved and %d active, want %d and 0", len(got.Saved), len(got.Items), cart.MaxSavedItems)
	}
}

func testRaceLimit(t *testing.T, repo cart.Repository) {
	user := newUser()
	const workers = 60
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			errs[i] = repo.Update(context.Background(), user, set(Product(fmt.Sprintf("r%d", i), 100, 5), 1, base))
		})
	}
	wg.Wait()
	ok, full := 0, 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, cart.ErrCartFull):
			full++
		default:
			t.Errorf("worker %d: unexpected error %v", i, err)
		}
	}
	if ok != cart.MaxItems || full != workers-cart.MaxItems {
		t.Fatalf("%d added and %d refused as full, want %d and %d", ok, full, cart.MaxItems, workers-cart.MaxItems)
	}
	if got := mustGet(t, repo, user); len(got.Items) != cart.MaxItems {
		t.Fatalf("cart holds %d items, want %d", len(got.Items), cart.MaxItems)
	}
}

func testRaceSaveMove(t *testing.T, repo cart.Repository) {
	user := newUser()
	p := Product("flip", 100, 5)
	mustUpdate(t, repo, user, set(p, 2, base))
	const workers = 16
	const rounds = 5
	var mu sync.Mutex
	saves, moves := 0, 0
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range rounds {
				var err error
				if w%2 == 0 {
					err = repo.Update(context.Background(), user, func(c *cart.Cart) error { return c.SaveForLater(p.ID, base) })
				} else {
					err = repo.Update(context.Background(), user, func(c *cart.Cart) error { return c.MoveToCart(p, base) })
				}
				if err != nil && !errors.Is(err, cart.ErrItemNotFound) {
					t.Errorf("worker %d: unexpected error %v", w, err)
					return
				}
				mu.Lock()
				if err == nil && w%2 == 0 {
					saves++
				} else if err == nil {
					moves++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	got := mustGet(t, repo, user)
	if len(got.Items)+len(got.Saved) != 1 {
		t.Fatalf("cart = %+v, want the product exactly once", got)
	}
	if d := saves - moves; d != len(got.Saved) {
		t.Fatalf("%d saves and %d moves succeeded but %d saved item(s) remain", saves, moves, len(got.Saved))
	}
	if saves == 0 {
		t.Fatalf("no save succeeded")
	}
}

func testRaceSameProduct(t *testing.T, repo cart.Repository) {
	user := newUser()
	const workers = 12
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			if err := repo.Update(context.Background(), user, set(Product("same", 100, 99), i+1, base)); err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got := mustGet(t, repo, user)
	if len(got.Items) != 1 || got.Items[0].Quantity < 1 || got.Items[0].Quantity > workers {
		t.Fatalf("cart = %+v, want one line with a quantity a worker set", got)
	}
}
