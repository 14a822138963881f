package dashboardtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/money"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func uniq(prefix string) string { return prefix + "-" + uuid.NewString()[:8] }

func usd(t *testing.T, amount int64) money.Money {
	t.Helper()
	m, err := money.New(amount, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// RunRepositoryContract holds a Repository to the semantics documented on
// dashboard.Repository. newRepo returns an empty repository per subtest
// (rankings over every category are global to a table). Writes go through
// the Service, which owns the order rules.
func RunRepositoryContract(t *testing.T, newRepo func(t *testing.T) dashboard.Repository) {
	t.Helper()
	ctx := context.Background()

	t.Run("profile newer event wins", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		user := uniq("u")
		if _, err := repo.Profile(ctx, user); !errors.Is(err, dashboard.ErrNotFound) {
			t.Fatalf("unknown profile: %v, want ErrNotFound", err)
		}
		put := func(event string, at time.Time, name string, categories ...string) {
			t.Helper()
			p := dashboard.Profile{UserID: user, Name: name, Categories: categories, OccurredAt: at, EventID: event}
			if err := repo.PutProfile(ctx, p); err != nil {
				t.Fatalf("put %s: %v", event, err)
			}
		}
		e2 := uniq("e2")
		put(e2, t0.Add(time.Hour), "Ada L", "books", "tools")
		put(uniq("e1"), t0, "Ada")                            // older: ignored
		put(e2, t0.Add(time.Hour), "Ada L", "books", "tools") // same event: ignored
		want := dashboard.Profile{UserID: user, Name: "Ada L", Categories: []string{"books", "tools"}, OccurredAt: t0.Add(time.Hour), EventID: e2}
		got, err := repo.Profile(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("profile (-want +got):\n%s", diff)
		}
		e3 := "zz" + e2 // same time, greater id: wins
		put(e3, t0.Add(time.Hour), "Ada Lovelace")
		got, err = repo.Profile(ctx, user)
		if err != nil {
			t.Fatal(err)
		}
		want = dashboard.Profile{UserID: user, Name: "Ada Lovelace", OccurredAt: t0.Add(time.Hour), EventID: e3}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("profile after a tie (-want +got):\n%s", diff)
		}
	})

	t.Run("recent orders newest first", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		svc := dashboard.NewService(repo, NewCatalog())
		user, other := uniq("u"), uniq("u")
		var want []string
		for i := range 7 {
			id := fmt.Sprintf("o-%d-%s", i, uuid.NewString()[:6])
			created := t0.Add(time.Duration(i) * time.Minute)
			if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: uniq("e"), OccurredAt: created}, dashboard.CreatedOrder{
				ID: id, UserID: user, Total: usd(t, int64(100*(i+1))), CreatedAt: created,
				Lines: []dashboard.Line{{ProductID: "p-1", Name: "Pen", Quantity: i + 1}},
			}); err != nil {
				t.Fatal(err)
			}
			want = append([]string{id}, want...)
		}
		created := dashboard.CreatedOrder{ID: uniq("o"), UserID: other, Total: usd(t, 1), CreatedAt: t0.Add(time.Hour),
			Lines: []dashboard.Line{{ProductID: "p-1", Quantity: 1}}}
		if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: uniq("e"), OccurredAt: t0}, created); err != nil {
			t.Fatal(err)
		}
		// Status before creation: not listed until OrderCreated arrives.
		early := dashboard.OrderKey{UserID: user, OrderID: "o-early"}
		if err := svc.RecordOrderStatus(ctx, dashboard.Event{ID: uniq("e"), OccurredAt: t0.Add(time.Hour)}, early, dashboard.StatusConfirmed); err != nil {
			t.Fatal(err)
		}
		got, err := repo.RecentOrders(ctx, user, 5)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, o := range got {
			ids = append(ids, o.ID())
		}
		if diff := cmp.Diff(want[:5], ids); diff != "" {
			t.Errorf("recent orders (-want +got):\n%s", diff)
		}
		first := got[0]
		wantState := dashboard.OrderState{ID: want[0], UserID: user, Status: dashboard.StatusPending, StatusAt: t0.Add(6 * time.Minute),
			Total: usd(t, 700), CreatedAt: t0.Add(6 * time.Minute), Lines: []dashboard.Line{{ProductID: "p-1", Name: "Pen", Quantity: 7}}, Version: 1}
		if diff := cmp.Diff(wantState, first.State(), cmp.AllowUnexported(money.Money{})); diff != "" {
			t.Errorf("newest order (-want +got):\n%s", diff)
		}
		if got, err := repo.RecentOrders(ctx, uniq("u"), 5); err != nil || len(got) != 0 {
			t.Errorf("orders of a user without any: %v, %v", got, err)
		}
	})

	t.Run("sales counted once per confirmed order", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		books, tools := uniq("books"), uniq("tools")
		catalog := NewCatalog(
			dashboard.CatalogProduct{ID: "p-a", Name: "Atlas", Category: books},
			dashboard.CatalogProduct{ID: "p-b", Name: "Bible", Category: books},
			dashboard.CatalogProduct{ID: "p-h", Name: "Hammer", Category: tools},
		)
		svc := dashboard.NewService(repo, catalog)
		user := uniq("u")
		order := func(lines ...dashboard.Line) dashboard.OrderKey {
			t.Helper()
			k := dashboard.OrderKey{UserID: user, OrderID: uniq("o")}
			err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: uniq("e"), OccurredAt: t0}, dashboard.CreatedOrder{
				ID: k.OrderID, UserID: user, Lines: lines, Total: usd(t, 10), CreatedAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		confirm := func(k dashboard.OrderKey, event string) {
			t.Helper()
			if err := svc.RecordOrderStatus(ctx, dashboard.Event{ID: event, OccurredAt: t0.Add(time.Minute)}, k, dashboard.StatusConfirmed); err != nil {
				t.Fatal(err)
			}
		}
		o1 := order(dashboard.Line{ProductID: "p-a", Name: "old", Quantity: 2}, dashboard.Line{ProductID: "p-h", Quantity: 1})
		o2 := order(dashboard.Line{ProductID: "p-b", Quantity: 3}, dashboard.Line{ProductID: "p-x", Name: "Gone", Quantity: 1})
		order(dashboard.Line{ProductID: "p-a", Quantity: 4}) // never confirmed
		e1 := uniq("e")
		confirm(o1, e1)
		confirm(o1, e1)        // duplicate delivery
		confirm(o1, uniq("e")) // another OrderConfirmed of the same order
		confirm(o2, uniq("e"))
		// Confirmed before created: counted when OrderCreated arrives.
		late := dashboard.OrderKey{UserID: user, OrderID: uniq("o")}
		confirm(late, uniq("e"))
		if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: uniq("e"), OccurredAt: t0}, dashboard.CreatedOrder{
			ID: late.OrderID, UserID: user, Lines: []dashboard.Line{{ProductID: "p-b", Quantity: 1}}, Total: usd(t, 10), CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			category string
			want     []dashboard.ProductSales
		}{
			{books, []dashboard.ProductSales{{ProductID: "p-b", Name: "Bible", Category: books, Units: 4}, {ProductID: "p-a", Name: "Atlas", Category: books, Units: 2}}},
			{tools, []dashboard.ProductSales{{ProductID: "p-h", Name: "Hammer", Category: tools, Units: 1}}},
			{dashboard.AllCategories, []dashboard.ProductSales{
				{ProductID: "p-b", Name: "Bible", Units: 4}, {ProductID: "p-a", Name: "Atlas", Units: 2},
				{ProductID: "p-x", Name: "Gone", Units: 1}, {ProductID: "p-h", Name: "Hammer", Units: 1},
			}},
			{uniq("empty"), nil},
		}
		for _, tt := range tests {
			got, err := repo.TopProducts(ctx, tt.category, 5)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("top of %q (-want +got):\n%s", tt.category, diff)
			}
		}
		if got, err := repo.TopProducts(ctx, books, 1); err != nil || len(got) != 1 || got[0].ProductID != "p-b" {
			t.Errorf("top 1 of books: %v, %v", got, err)
		}
	})

	t.Run("event id applied once", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		svc := dashboard.NewService(repo, NewCatalog())
		user, event := uniq("u"), uniq("e")
		for _, id := range []string{"o-1", "o-2"} {
			// The same event id for another order: the marker refuses it.
			if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: event, OccurredAt: t0}, dashboard.CreatedOrder{
				ID: id, UserID: user, Lines: []dashboard.Line{{ProductID: "p", Quantity: 1}}, Total: usd(t, 1), CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := repo.RecentOrders(ctx, user, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID() != "o-1" {
			t.Errorf("orders %v, want only o-1", got)
		}
		err = repo.UpdateOrder(ctx, dashboard.Event{ID: event, OccurredAt: t0}, dashboard.OrderKey{UserID: user, OrderID: "o-3"},
			func(o *dashboard.Order) ([]dashboard.ProductSales, error) {
				if diff := cmp.Diff(dashboard.NewOrder(user, "o-3").State(), o.State(), cmp.AllowUnexported(money.Money{})); diff != "" {
					t.Errorf("fn of a missing order got (-want +got):\n%s", diff)
				}
				return nil, nil
			})
		if err != nil {
			t.Errorf("update changing nothing: %v", err)
		}
		boom := errors.New("boom")
		err = repo.UpdateOrder(ctx, dashboard.Event{ID: uniq("e"), OccurredAt: t0}, dashboard.OrderKey{UserID: user, OrderID: "o-1"},
			func(*dashboard.Order) ([]dashboard.ProductSales, error) { return nil, boom })
		if !errors.Is(err, boom) {
			t.Errorf("update with a failing fn: %v, want boom", err)
		}
	})

	t.Run("concurrent confirmations count exactly", func(t *testing.T) {
		t.Parallel()
		repo := newRepo(t)
		category := uniq("c")
		svc := dashboard.NewService(repo, NewCatalog(dashboard.CatalogProduct{ID: "p-1", Name: "Pen", Category: category}))
		user := uniq("u")
		const n = 6
		keys := make([]dashboard.OrderKey, n)
		for i := range keys {
			keys[i] = dashboard.OrderKey{UserID: user, OrderID: fmt.Sprintf("o-%d", i)}
			if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: uniq("e"), OccurredAt: t0}, dashboard.CreatedOrder{
				ID: keys[i].OrderID, UserID: user, Lines: []dashboard.Line{{ProductID: "p-1", Quantity: i + 1}}, Total: usd(t, 1), CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i, k := range keys {
			event := uniq("e")
			for range 2 { // each confirmation delivered twice at once
				wg.Go(func() {
					errs <- svc.RecordOrderStatus(ctx, dashboard.Event{ID: event, OccurredAt: t0.Add(time.Duration(i+1) * time.Second)}, k, dashboard.StatusConfirmed)
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("confirm: %v", err)
			}
		}
		want := []dashboard.ProductSales{{ProductID: "p-1", Name: "Pen", Category: category, Units: n * (n + 1) / 2}}
		got, err := repo.TopProducts(ctx, category, 5)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("counts (-want +got):\n%s", diff)
		}
	})
}
