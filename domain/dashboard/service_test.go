package dashboard_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardtest"
	"github.com/goshop-dev/goshop/domain/money"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// stub overrides some reads of a Repository: a nil func delegates.
type stub struct {
	dashboard.Repository
	profile func(ctx context.Context) error
	orders  func(ctx context.Context) error
	top     func(ctx context.Context) error
}

func (s stub) Profile(ctx context.Context, id string) (dashboard.Profile, error) {
	if s.profile != nil {
		if err := s.profile(ctx); err != nil {
			return dashboard.Profile{}, err
		}
	}
	return s.Repository.Profile(ctx, id)
}

func (s stub) RecentOrders(ctx context.Context, id string, limit int) ([]dashboard.Order, error) {
	if s.orders != nil {
		if err := s.orders(ctx); err != nil {
			return nil, err
		}
	}
	return s.Repository.RecentOrders(ctx, id, limit)
}

func (s stub) TopProducts(ctx context.Context, c string, limit int) ([]dashboard.ProductSales, error) {
	if s.top != nil {
		if err := s.top(ctx); err != nil {
			return nil, err
		}
	}
	return s.Repository.TopProducts(ctx, c, limit)
}

// untilDone blocks until its context ends, as a slow but well-behaved
// read model does.
func untilDone(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

var errDown = errors.New("table down")

func failing(context.Context) error { return errDown }

func usd(t *testing.T, amount int64) money.Money {
	t.Helper()
	m, err := money.New(amount, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// seeded returns a repository where u-1 prefers books, has two orders, and
// books and tools have sold.
func seeded(t *testing.T) *dashboardtest.Repository {
	t.Helper()
	ctx := context.Background()
	repo := dashboardtest.NewRepository()
	svc := dashboard.NewService(repo, dashboardtest.NewCatalog(
		dashboard.CatalogProduct{ID: "p-book", Name: "Book", Category: "books"},
		dashboard.CatalogProduct{ID: "p-saw", Name: "Saw", Category: "tools"},
	))
	if err := svc.RecordProfile(ctx, dashboard.Profile{UserID: "u-1", Name: " Ada ", Categories: []string{"books", "books", " "}, OccurredAt: t0, EventID: "e-p"}); err != nil {
		t.Fatal(err)
	}
	for i, line := range []dashboard.Line{{ProductID: "p-book", Quantity: 1}, {ProductID: "p-saw", Quantity: 3}} {
		id := []string{"o-1", "o-2"}[i]
		at := t0.Add(time.Duration(i) * time.Minute)
		if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: "e-c" + id, OccurredAt: at}, dashboard.CreatedOrder{
			ID: id, UserID: "u-1", Lines: []dashboard.Line{line}, Total: usd(t, 100), CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		if err := svc.RecordOrderStatus(ctx, dashboard.Event{ID: "e-k" + id, OccurredAt: at.Add(time.Second)},
			dashboard.OrderKey{UserID: "u-1", OrderID: id}, dashboard.StatusConfirmed); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

type summary struct {
	Profile         *dashboard.Profile
	Orders          []string
	Recommendations []string
	Degraded        []dashboard.Part
}

func summarize(v dashboard.View) summary {
	s := summary{Profile: v.Profile, Degraded: v.Degraded()}
	for _, o := range v.RecentOrders {
		s.Orders = append(s.Orders, o.ID())
	}
	for _, p := range v.Recommendations {
		s.Recommendations = append(s.Recommendations, p.ProductID)
	}
	return s
}

func TestDashboardDegradesFailingParts(t *testing.T) {
	t.Parallel()
	ada := &dashboard.Profile{UserID: "u-1", Name: "Ada", Categories: []string{"books"}, OccurredAt: t0, EventID: "e-p"}
	tests := []struct {
		name string
		user string
		stub stub
		want summary
	}{
		{"all parts", "u-1", stub{}, summary{Profile: ada, Orders: []string{"o-2", "o-1"}, Recommendations: []string{"p-book"}, Degraded: []dashboard.Part{}}},
		{"unknown user gets the global best sellers", "u-9", stub{},
			summary{Profile: &dashboard.Profile{UserID: "u-9"}, Recommendations: []string{"p-saw", "p-book"}, Degraded: []dashboard.Part{}}},
		{"slow orders", "u-1", stub{orders: untilDone},
			summary{Profile: ada, Recommendations: []string{"p-book"}, Degraded: []dashboard.Part{dashboard.PartRecentOrders}}},
		{"failing best sellers", "u-1", stub{top: failing},
			summary{Profile: ada, Orders: []string{"o-2", "o-1"}, Degraded: []dashboard.Part{dashboard.PartRecommendations}}},
		// Recommendations read the profile too.
		{"slow profile", "u-1", stub{profile: untilDone},
			summary{Orders: []string{"o-2", "o-1"}, Degraded: []dashboard.Part{dashboard.PartProfile, dashboard.PartRecommendations}}},
		{"everything down", "u-1", stub{profile: failing, orders: untilDone, top: failing},
			summary{Degraded: []dashboard.Part{dashboard.PartProfile, dashboard.PartRecentOrders, dashboard.PartRecommendations}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.stub.Repository = seeded(t)
			svc := dashboard.NewService(tt.stub, nil, dashboard.WithPartTimeout(20*time.Millisecond))
			v, err := svc.Dashboard(context.Background(), tt.user)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(v)); diff != "" {
				t.Errorf("dashboard (-want +got):\n%s", diff)
			}
			for _, f := range v.Failures {
				if f.Err == nil {
					t.Errorf("part %s degraded without an error", f.Part)
				}
			}
		})
	}
}

// TestDashboardDoesNotWaitForAStuckPart: a read model that ignores its
// context and blocks until the test releases it does not hold the
// dashboard past the part's budget.
func TestDashboardDoesNotWaitForAStuckPart(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	entered := make(chan struct{}, 1)
	stuck := func(context.Context) error {
		entered <- struct{}{}
		<-release
		return nil
	}
	svc := dashboard.NewService(stub{Repository: seeded(t), orders: stuck}, nil, dashboard.WithPartTimeout(30*time.Millisecond))
	done := make(chan dashboard.View, 1)
	go func() {
		v, _ := svc.Dashboard(context.Background(), "u-1")
		done <- v
	}()
	select {
	case v := <-done:
		<-entered
		if diff := cmp.Diff([]dashboard.Part{dashboard.PartRecentOrders}, v.Degraded()); diff != "" {
			t.Errorf("degraded (-want +got):\n%s", diff)
		}
		if v.Profile == nil || len(v.Recommendations) == 0 {
			t.Errorf("healthy parts missing: %+v", v)
		}
		if !errors.Is(v.Failures[0], context.DeadlineExceeded) {
			t.Errorf("failure %v, want a deadline", v.Failures[0])
		}
	case <-time.After(10 * time.Second):
		t.Fatal("dashboard waited for the stuck part")
	}
}

// TestDashboardHonoursRequestDeadline: a request context that ends first
// bounds every part, whatever the part timeout.
func TestDashboardHonoursRequestDeadline(t *testing.T) {
	t.Parallel()
	svc := dashboard.NewService(stub{Repository: seeded(t), profile: untilDone, orders: untilDone, top: untilDone}, nil,
		dashboard.WithPartTimeout(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	v, err := svc.Dashboard(ctx, "u-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Degraded()) != 3 {
		t.Errorf("degraded %v, want every part", v.Degraded())
	}
}

func TestDashboardRefusesBadUserID(t *testing.T) {
	t.Parallel()
	svc := dashboard.NewService(dashboardtest.NewRepository(), nil)
	for _, id := range []string{"", "a#b", string(make([]byte, 65))} {
		if _, err := svc.Dashboard(context.Background(), id); !errors.Is(err, dashboard.ErrInvalidUserID) {
			t.Errorf("user %q: %v, want ErrInvalidUserID", id, err)
		}
	}
}

func TestOrderStatusNewerWins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := dashboardtest.NewRepository()
	catalog := dashboardtest.NewCatalog(dashboard.CatalogProduct{ID: "p-1", Name: "Pen", Category: "office"})
	svc := dashboard.NewService(repo, catalog)
	key := dashboard.OrderKey{UserID: "u-1", OrderID: "o-1"}
	status := func(id string, at time.Duration, s dashboard.Status) {
		t.Helper()
		if err := svc.RecordOrderStatus(ctx, dashboard.Event{ID: id, OccurredAt: t0.Add(at)}, key, s); err != nil {
			t.Fatal(err)
		}
	}
	// Shipped arrives first, then the older confirmation, then creation.
	status("e-ship", 3*time.Second, dashboard.StatusShipped)
	status("e-confirm", 2*time.Second, dashboard.StatusConfirmed)
	catalog.Fail(errDown)
	created := dashboard.CreatedOrder{ID: "o-1", UserID: "u-1", Lines: []dashboard.Line{{ProductID: "p-1", Quantity: 2}}, Total: usd(t, 5), CreatedAt: t0}
	if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: "e-create", OccurredAt: t0}, created); !errors.Is(err, errDown) {
		t.Fatalf("created with the catalog down: %v, want its error", err)
	}
	catalog.Fail(nil)
	if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: "e-create", OccurredAt: t0}, created); err != nil {
		t.Fatal(err)
	}
	status("e-cancel-old", time.Second, dashboard.StatusCancelled)
	orders, err := repo.RecentOrders(ctx, "u-1", 5)
	if err != nil || len(orders) != 1 {
		t.Fatalf("orders %v, %v", orders, err)
	}
	want := dashboard.OrderState{ID: "o-1", UserID: "u-1", Status: dashboard.StatusShipped, StatusAt: t0.Add(3 * time.Second),
		Total: usd(t, 5), CreatedAt: t0, Lines: []dashboard.Line{{ProductID: "p-1", Quantity: 2}}, Confirmed: true, Counted: true, Version: 4}
	if diff := cmp.Diff(want, orders[0].State(), cmp.AllowUnexported(money.Money{})); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	top, err := repo.TopProducts(ctx, "office", 5)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dashboard.ProductSales{{ProductID: "p-1", Name: "Pen", Category: "office", Units: 2}}, top); diff != "" {
		t.Errorf("sales (-want +got):\n%s", diff)
	}
}

func TestInvalidEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := dashboard.NewService(dashboardtest.NewRepository(), dashboardtest.NewCatalog())
	e := dashboard.Event{ID: "e-1", OccurredAt: t0}
	key := dashboard.OrderKey{UserID: "u-1", OrderID: "o-1"}
	line := []dashboard.Line{{ProductID: "p-1", Quantity: 1}}
	tests := []struct {
		name string
		run  func() error
	}{
		{"profile without event", func() error { return svc.RecordProfile(ctx, dashboard.Profile{UserID: "u-1"}) }},
		{"profile of a bad user", func() error {
			return svc.RecordProfile(ctx, dashboard.Profile{UserID: "u#1", OccurredAt: t0, EventID: "e"})
		}},
		{"status without time", func() error {
			return svc.RecordOrderStatus(ctx, dashboard.Event{ID: "e"}, key, dashboard.StatusShipped)
		}},
		{"status pending", func() error { return svc.RecordOrderStatus(ctx, e, key, dashboard.StatusPending) }},
		{"order without lines", func() error {
			return svc.RecordOrderCreated(ctx, e, dashboard.CreatedOrder{ID: "o-1", UserID: "u-1", Total: usd(t, 1), CreatedAt: t0})
		}},
		{"order without total", func() error {
			return svc.RecordOrderCreated(ctx, e, dashboard.CreatedOrder{ID: "o-1", UserID: "u-1", Lines: line, CreatedAt: t0})
		}},
		{"order with zero quantity", func() error {
			return svc.RecordOrderCreated(ctx, e, dashboard.CreatedOrder{ID: "o-1", UserID: "u-1",
				Lines: []dashboard.Line{{ProductID: "p-1"}}, Total: usd(t, 1), CreatedAt: t0})
		}},
	}
	for _, tt := range tests {
		if err := tt.run(); !errors.Is(err, dashboard.ErrInvalidEvent) {
			t.Errorf("%s: %v, want ErrInvalidEvent", tt.name, err)
		}
	}
}
