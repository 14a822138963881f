package dashboardwire_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardhttp"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardtest"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
	"github.com/goshop-dev/goshop/internal/resilience"
	"github.com/goshop-dev/goshop/internal/wire/dashboardwire"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// orders is a dashboard table whose recent-orders read can be made slow
// (ignoring its context, the worst case), failing or stuck, and counts
// those reads.
type orders struct {
	dashboard.Repository
	mode    atomic.Value // of string: "", "slow", "failing" or "stuck"
	delay   time.Duration
	release chan struct{} // ends the slow and stuck reads
	reads   atomic.Int32
}

func newOrders(t *testing.T) *orders {
	t.Helper()
	o := &orders{Repository: seededDashboard(t), delay: 5 * time.Second, release: make(chan struct{})}
	o.mode.Store("")
	t.Cleanup(func() { close(o.release) })
	return o
}

var errOrdersDown = errors.New("orders index unavailable")

func (o *orders) RecentOrders(ctx context.Context, userID string, limit int) ([]dashboard.Order, error) {
	o.reads.Add(1)
	switch o.mode.Load() {
	case "slow":
		select {
		case <-time.After(o.delay):
		case <-o.release:
		}
	case "stuck":
		<-o.release
	case "failing":
		return nil, errOrdersDown
	}
	return o.Repository.RecentOrders(ctx, userID, limit)
}

func seededDashboard(t *testing.T) dashboard.Repository {
	t.Helper()
	ctx := context.Background()
	repo := dashboardtest.NewRepository()
	svc := dashboard.NewService(repo, dashboardtest.NewCatalog(dashboard.CatalogProduct{ID: "p-1", Name: "Pen", Category: "office"}))
	if err := svc.RecordProfile(ctx, dashboard.Profile{UserID: "u-1", Name: "Ada", Categories: []string{"office"}, OccurredAt: dashT0, EventID: "e-1"}); err != nil {
		t.Fatal(err)
	}
	total, _ := money.New(398, "USD")
	if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: "e-2", OccurredAt: dashT0}, dashboard.CreatedOrder{
		ID: "o-1", UserID: "u-1", Lines: []dashboard.Line{{ProductID: "p-1", Quantity: 2}}, Total: total, CreatedAt: dashT0}); err != nil {
		t.Fatal(err)
	}
	if err := svc.RecordOrderStatus(ctx, dashboard.Event{ID: "e-3", OccurredAt: dashT0.Add(time.Second)},
		dashboard.OrderKey{UserID: "u-1", OrderID: "o-1"}, dashboard.StatusConfirmed); err != nil {
		t.Fatal(err)
	}
	return repo
}

// get serves GET /dashboard for u-1 and returns the decoded answer and how
// long it took.
func get(t *testing.T, svc *dashboard.Service) (map[string]any, time.Duration) {
	t.Helper()
	router := httpapi.NewRouter()
	router.Handle("GET /dashboard", dashboardhttp.Get(svc))
	req := httptest.NewRequest(http.MethodGet, "/dashboard", nil)
	req = req.WithContext(auth.WithIdentity(req.Context(), auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}))
	rec := httptest.NewRecorder()
	start := time.Now()
	router.ServeHTTP(rec, req)
	took := time.Since(start)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	return body, took
}

func parts(v any) []string {
	var out []string
	for _, p := range v.([]any) {
		out = append(out, p.(string))
	}
	return out
}

// TestSlowPartAnswersPartiallyWithinBudget: a part whose read blocks far
// past its budget (5 s, ignoring its context) does not hold the answer:
// the dashboard answers within a bound well under that delay, with the
// part degraded, null before any good read and stale after one.
func TestSlowPartAnswersPartiallyWithinBudget(t *testing.T) {
	t.Parallel()
	// The bound is functional, not a benchmark: generous for a loaded
	// machine, yet a fifth of the slow read's delay.
	const budget, bound = dashboard.DefaultPartTimeout, time.Second
	repo := newOrders(t)
	rec, _ := metricstest.Recorder(t)
	svc := dashboardwire.NewService(repo, budget, time.Minute, dashboardwire.NewPartGuards(quiet, rec))

	repo.mode.Store("slow")
	body, took := get(t, svc)
	if took > bound {
		t.Errorf("the answer took %v with a slow part, want under %v (the part's delay is %v)", took, bound, repo.delay)
	}
	if got := parts(body["degraded"]); len(got) != 1 || got[0] != "recentOrders" {
		t.Errorf("degraded %v, want [recentOrders]", got)
	}
	if body["recentOrders"] != nil || len(parts(body["stale"])) != 0 {
		t.Errorf("recentOrders %v stale %v: want null, none stale (no good read yet)", body["recentOrders"], body["stale"])
	}
	if body["profile"] == nil || body["recommendations"] == nil {
		t.Errorf("the healthy parts are missing: %v", body)
	}

	repo.mode.Store("")
	if body, _ := get(t, svc); len(parts(body["degraded"])) != 0 {
		t.Fatalf("healthy answer degraded: %v", body)
	}
	repo.mode.Store("slow")
	body, took = get(t, svc)
	if took > bound {
		t.Errorf("the stale answer took %v, want under %v", took, bound)
	}
	if got := parts(body["stale"]); len(got) != 1 || got[0] != "recentOrders" {
		t.Errorf("stale %v, want [recentOrders]", got)
	}
	if orders, _ := body["recentOrders"].([]any); len(orders) != 1 {
		t.Errorf("recentOrders %v, want the last good one", body["recentOrders"])
	}
}

// TestPartBreakerOpensAndFallsBack: a part that keeps failing opens its
// own breaker (counted once as BreakerOpened): it is then refused without
// being read and shows its last good value, and the other parts are read
// as usual.
func TestPartBreakerOpensAndFallsBack(t *testing.T) {
	t.Parallel()
	repo := newOrders(t)
	rec, sink := metricstest.Recorder(t)
	svc := dashboardwire.NewService(repo, time.Second, time.Minute, dashboardwire.NewPartGuards(quiet, rec))
	get(t, svc) // a good read to fall back on

	repo.mode.Store("failing")
	for range dashboardwire.PartFailureThreshold {
		get(t, svc)
	}
	before := repo.reads.Load()
	body, _ := get(t, svc)
	if n := repo.reads.Load() - before; n != 0 {
		t.Errorf("%d reads with the breaker open, want none", n)
	}
	if got := parts(body["stale"]); len(got) != 1 || got[0] != "recentOrders" {
		t.Errorf("stale %v, want [recentOrders]", got)
	}
	if body["profile"] == nil || len(parts(body["degraded"])) != 1 {
		t.Errorf("the other parts: %v, want them read", body)
	}
	if got := sink.Sum(metrics.BreakerOpened, map[string]string{metrics.DimensionBreaker: metrics.BreakerDashboardRecentOrders}); got != 1 {
		t.Errorf("BreakerOpened{recentOrders} = %v, want 1", got)
	}
	if got := sink.Sum(metrics.BreakerOpened, nil); got != 1 {
		t.Errorf("BreakerOpened = %v, want 1: the other parts' breakers stay closed", got)
	}
	want := float64(dashboardwire.PartFailureThreshold + 1)
	if got := sink.Sum(metrics.DashboardPartFailed, map[string]string{metrics.DimensionPart: string(dashboard.PartRecentOrders)}); got != want {
		t.Errorf("DashboardPartFailed{recentOrders} = %v, want %v", got, want)
	}
}

// TestStuckPartIsBoundedByItsBulkhead: reads that ignore their context
// and never end hold at most PartBulkhead slots; past that the part is
// refused at once, without a read, and the other parts are unaffected.
func TestStuckPartIsBoundedByItsBulkhead(t *testing.T) {
	t.Parallel()
	repo := newOrders(t)
	svc := dashboardwire.NewService(repo, 50*time.Millisecond, 0, dashboardwire.NewPartGuards(quiet, nil))
	repo.mode.Store("stuck")
	ctx := context.Background()
	var wg sync.WaitGroup
	for range dashboardwire.PartBulkhead {
		wg.Go(func() {
			if _, err := svc.Dashboard(ctx, "u-1"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	v, err := svc.Dashboard(ctx, "u-1")
	if err != nil {
		t.Fatal(err)
	}
	if n := repo.reads.Load(); n != dashboardwire.PartBulkhead {
		t.Errorf("%d reads in flight, want the bulkhead's %d", n, dashboardwire.PartBulkhead)
	}
	if len(v.Failures) != 1 || v.Failures[0].Part != dashboard.PartRecentOrders || !errors.Is(v.Failures[0], resilience.ErrBulkheadFull) {
		t.Errorf("failures %v, want recentOrders refused by its bulkhead", v.Failures)
	}
}
