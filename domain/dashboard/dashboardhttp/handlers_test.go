package dashboardhttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardhttp"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardtest"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// pattern is the route of dashboard-get (internal/routes lists it once the
// lead adds it).
const pattern = "GET /dashboard"

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// down fails every read.
type down struct{ dashboard.Repository }

var errDown = errors.New("down")

func (down) Profile(context.Context, string) (dashboard.Profile, error) {
	return dashboard.Profile{}, errDown
}

func (down) RecentOrders(context.Context, string, int) ([]dashboard.Order, error) {
	return nil, errDown
}

func (down) TopProducts(context.Context, string, int) ([]dashboard.ProductSales, error) {
	return nil, errDown
}

func seeded(t *testing.T) dashboard.Repository {
	t.Helper()
	ctx := context.Background()
	repo := dashboardtest.NewRepository()
	svc := dashboard.NewService(repo, dashboardtest.NewCatalog(dashboard.CatalogProduct{ID: "p-1", Name: "Pen", Category: "office"}))
	if err := svc.RecordProfile(ctx, dashboard.Profile{UserID: "u-1", Name: "Ada", Categories: []string{"office"}, OccurredAt: t0, EventID: "e-1"}); err != nil {
		t.Fatal(err)
	}
	total, _ := money.New(398, "USD")
	if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: "e-2", OccurredAt: t0}, dashboard.CreatedOrder{
		ID: "o-1", UserID: "u-1", Lines: []dashboard.Line{{ProductID: "p-1", Quantity: 2}}, Total: total, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := svc.RecordOrderStatus(ctx, dashboard.Event{ID: "e-3", OccurredAt: t0.Add(time.Second)},
		dashboard.OrderKey{UserID: "u-1", OrderID: "o-1"}, dashboard.StatusConfirmed); err != nil {
		t.Fatal(err)
	}
	return repo
}

func serve(t *testing.T, repo dashboard.Repository, id *auth.Identity) *httptest.ResponseRecorder {
	t.Helper()
	return serveWith(t, dashboard.NewService(repo, nil, dashboard.WithPartTimeout(time.Second)), id)
}

func serveWith(t *testing.T, svc *dashboard.Service, id *auth.Identity) *httptest.ResponseRecorder {
	t.Helper()
	router := httpapi.NewRouter()
	for function, h := range dashboardhttp.Handlers(svc) {
		if function != "dashboard-get" {
			t.Fatalf("unexpected function %s", function)
		}
		router.Handle(pattern, h)
	}
	req := httptest.NewRequest(http.MethodGet, "/dashboard", nil)
	if id != nil {
		req = req.WithContext(auth.WithIdentity(req.Context(), *id))
	}
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	return rec
}

func TestGet(t *testing.T) {
	t.Parallel()
	repo := seeded(t)
	tests := []struct {
		name   string
		repo   dashboard.Repository
		id     *auth.Identity
		status int
		want   string
	}{
		{"anonymous", repo, nil, http.StatusUnauthorized, ""},
		{"known user", repo, &auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}, http.StatusOK, `{
			"profile": {"userId": "u-1", "name": "Ada", "categories": ["office"]},
			"recentOrders": [{"id": "o-1", "status": "CONFIRMED", "total": {"amount": 398, "currency": "USD"}, "items": 2, "createdAt": "2026-03-01T12:00:00Z"}],
			"recommendations": [{"productId": "p-1", "name": "Pen", "category": "office"}],
			"degraded": [], "stale": []}`},
		{"unknown user", repo, &auth.Identity{UserID: "u-2", Role: auth.RoleCustomer}, http.StatusOK, `{
			"profile": {"userId": "u-2"}, "recentOrders": [],
			"recommendations": [{"productId": "p-1", "name": "Pen"}], "degraded": [], "stale": []}`},
		{"everything down", down{repo}, &auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}, http.StatusOK, `{
			"profile": null, "recentOrders": null, "recommendations": null,
			"degraded": ["profile", "recentOrders", "recommendations"], "stale": []}`},
		{"caller with a bad id", repo, &auth.Identity{UserID: "u#1", Role: auth.RoleCustomer}, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(t, tt.repo, tt.id)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if tt.want == "" {
				if _, ok := got["error"]; !ok {
					t.Errorf("error response without error: %s", rec.Body)
				}
				return
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

// switchable fails the reads of the parts in down.
type switchable struct {
	dashboard.Repository
	mu   sync.Mutex
	down map[dashboard.Part]bool
}

func (r *switchable) fail(parts ...dashboard.Part) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = map[dashboard.Part]bool{}
	for _, p := range parts {
		r.down[p] = true
	}
}

func (r *switchable) check(p dashboard.Part) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down[p] {
		return errDown
	}
	return nil
}

func (r *switchable) Profile(ctx context.Context, userID string) (dashboard.Profile, error) {
	if err := r.check(dashboard.PartProfile); err != nil {
		return dashboard.Profile{}, err
	}
	return r.Repository.Profile(ctx, userID)
}

func (r *switchable) RecentOrders(ctx context.Context, userID string, limit int) ([]dashboard.Order, error) {
	if err := r.check(dashboard.PartRecentOrders); err != nil {
		return nil, err
	}
	return r.Repository.RecentOrders(ctx, userID, limit)
}

func (r *switchable) TopProducts(ctx context.Context, category string, limit int) ([]dashboard.ProductSales, error) {
	if err := r.check(dashboard.PartRecommendations); err != nil {
		return nil, err
	}
	return r.Repository.TopProducts(ctx, category, limit)
}

// TestGetStale: with last good values kept, a part that fails is given
// the value of the caller's last good read, named in degraded and stale;
// a caller with no last good value gets null.
func TestGetStale(t *testing.T) {
	t.Parallel()
	repo := &switchable{Repository: seeded(t)}
	svc := dashboard.NewService(repo, nil, dashboard.WithPartTimeout(time.Second),
		dashboard.WithLastGood(time.Minute, 100, time.Now))
	ada := &auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}
	body := func(id *auth.Identity) map[string]any {
		t.Helper()
		rec := serveWith(t, svc, id)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		var got map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		return got
	}
	healthy := body(ada)
	repo.fail(dashboard.PartRecentOrders)
	got := body(ada)
	want := map[string]any{}
	for k, v := range healthy {
		want[k] = v
	}
	want["degraded"] = []any{"recentOrders"}
	want["stale"] = []any{"recentOrders"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stale answer (-want +got):\n%s", diff)
	}
	if orders, _ := got["recentOrders"].([]any); len(orders) != 1 {
		t.Errorf("stale recentOrders %v, want the one order read before", got["recentOrders"])
	}
	stranger := body(&auth.Identity{UserID: "u-7", Role: auth.RoleCustomer})
	if stranger["recentOrders"] != nil || len(stranger["stale"].([]any)) != 0 {
		t.Errorf("a caller never read: recentOrders %v stale %v, want null and none", stranger["recentOrders"], stranger["stale"])
	}
}
