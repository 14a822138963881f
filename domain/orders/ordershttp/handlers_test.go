package ordershttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/goshop-dev/goshop/domain/orders/ordershttp"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

var (
	alice = &auth.Identity{UserID: "u-alice", Role: auth.RoleCustomer}
	bob   = &auth.Identity{UserID: "u-bob", Role: auth.RoleCustomer}
	admin = &auth.Identity{UserID: "u-admin", Role: auth.RoleAdmin}
)

type server struct {
	handler http.Handler
	fix     orderstest.Fixture
	repo    *orderstest.Repository
}

func newServer(t *testing.T) server {
	t.Helper()
	repo := orderstest.NewRepository()
	fix := orderstest.NewFixture(t, repo)
	mux := httpapi.NewRouter()
	h := ordershttp.Handlers(fix.Service)
	mux.Handle("POST /checkout", h["orders-checkout"])
	mux.Handle("GET /orders/{id}", h["orders-get"])
	mux.Handle("GET /users/{id}/orders", h["orders-list"])
	mux.Handle("PATCH /orders/{id}/status", h["orders-set-status"])
	return server{handler: mux, fix: fix, repo: repo}
}

func (s server) do(t *testing.T, id *auth.Identity, method, path, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	if id != nil {
		r = r.WithContext(auth.WithIdentity(r.Context(), *id))
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, r)
	return rec
}

func (s server) body(items string) string {
	if items == "" {
		items = fmt.Sprintf(`[{"productId":%q,"quantity":2},{"productId":%q,"quantity":1}]`, s.fix.Products[0].ID, s.fix.Products[1].ID)
	}
	return `{"items":` + items + `,"paymentToken":"tok_visa","shippingAddress":{"name":"Ada","line1":"1 Main St","city":"London","postalCode":"N1 9GU","country":"GB"}}`
}

func (s server) checkout(t *testing.T, id *auth.Identity, key string) string {
	t.Helper()
	rec := s.do(t, id, "POST", "/checkout", s.body(""), map[string]string{"Idempotency-Key": key})
	if rec.Code != http.StatusAccepted {
		t.Fatalf("checkout: %d %s", rec.Code, rec.Body)
	}
	var resp struct{ OrderID, Status string }
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || resp.OrderID == "" || resp.Status != "PENDING" {
		t.Fatalf("checkout body %s: %v", rec.Body, err)
	}
	return resp.OrderID
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var b struct {
		Error struct{ Code string } `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", rec.Body, err)
	}
	return b.Error.Code
}

func TestCheckoutErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	p0 := s.fix.Products[0].ID
	key := map[string]string{"Idempotency-Key": "k-1"}
	tests := []struct {
		name       string
		id         *auth.Identity
		body       string
		header     map[string]string
		wantStatus int
		wantCode   string
	}{
		{"anonymous", nil, s.body(""), key, 401, "unauthorized"},
		{"no key", alice, s.body(""), nil, 400, "missing_idempotency_key"},
		{"long key", alice, s.body(""), map[string]string{"Idempotency-Key": strings.Repeat("k", 65)}, 400, "invalid_idempotency_key"},
		{"malformed", alice, `{"items":`, key, 400, "malformed_json"},
		{"wrong type", alice, `{"items":"many"}`, key, 400, "invalid_field"},
		{"unknown field", alice, `{"items":[],"price":1}`, key, 400, "unknown_field"},
		{"no items", alice, `{"paymentToken":"t","shippingAddress":{}}`, key, 400, "missing_field"},
		{"no token", alice, `{"items":[],"shippingAddress":{}}`, key, 400, "missing_field"},
		{"no address", alice, `{"items":[],"paymentToken":"t"}`, key, 400, "missing_field"},
		{"no quantity", alice, s.body(`[{"productId":"p"}]`), key, 400, "missing_field"},
		{"no country", alice, `{"items":[{"productId":"p","quantity":1}],"paymentToken":"t","shippingAddress":{"name":"a","line1":"b","city":"c","postalCode":"d"}}`, key, 400, "missing_field"},
		{"client price", alice, s.body(`[{"productId":"p","quantity":1,"unitPrice":1}]`), key, 400, "unknown_field"},
		{"empty items", alice, s.body(`[]`), key, 422, "invalid_items"},
		{"quantity 0", alice, s.body(fmt.Sprintf(`[{"productId":%q,"quantity":0}]`, p0)), key, 422, "invalid_quantity"},
		{"quantity 100", alice, s.body(fmt.Sprintf(`[{"productId":%q,"quantity":100}]`, p0)), key, 422, "invalid_quantity"},
		{"bad product id", alice, s.body(`[{"productId":"a b","quantity":1}]`), key, 422, "invalid_product_id"},
		{"unknown product", alice, s.body(`[{"productId":"nope","quantity":1}]`), key, 422, "unknown_product"},
		{"blank token", alice, strings.Replace(s.body(""), `"tok_visa"`, `""`, 1), key, 422, "invalid_payment_token"},
		{"blank city", alice, strings.Replace(s.body(""), `"London"`, `" "`, 1), key, 422, "invalid_shipping_address"},
		{"bad country", alice, strings.Replace(s.body(""), `"GB"`, `"UK"`, 1), key, 422, "invalid_country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := s.do(t, tt.id, "POST", "/checkout", tt.body, tt.header)
			if rec.Code != tt.wantStatus || errorCode(t, rec) != tt.wantCode {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestCheckoutIdempotency(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	first := s.checkout(t, alice, "same")
	rec := s.do(t, alice, "POST", "/checkout", s.body(""), map[string]string{"Idempotency-Key": "same"})
	if rec.Code != 202 || !strings.Contains(rec.Body.String(), first) || rec.Header().Get(ordershttp.ReplayedHeader) != "true" {
		t.Fatalf("replay: %d %s %v", rec.Code, rec.Body, rec.Header())
	}
	other := strings.Replace(s.body(""), `"quantity":2`, `"quantity":3`, 1)
	rec = s.do(t, alice, "POST", "/checkout", other, map[string]string{"Idempotency-Key": "same"})
	if rec.Code != 422 || errorCode(t, rec) != "idempotency_key_reused" {
		t.Errorf("other body: %d %s", rec.Code, rec.Body)
	}
	// Another user's key of the same name is independent.
	if bobs := s.checkout(t, bob, "same"); bobs == first {
		t.Error("bob got alice's order")
	}
}

func TestCheckoutConcurrentIdenticalRequests(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	const n = 20
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			rec := s.do(t, alice, "POST", "/checkout", s.body(""), map[string]string{"Idempotency-Key": "race"})
			var resp struct{ OrderID string }
			if rec.Code != 202 || json.Unmarshal(rec.Body.Bytes(), &resp) != nil {
				t.Errorf("checkout %d: %d %s", i, rec.Code, rec.Body)
			}
			ids[i] = resp.OrderID
		})
	}
	wg.Wait()
	for i := range ids {
		if ids[i] != ids[0] || ids[i] == "" {
			t.Fatalf("order ids %v, want one", ids)
		}
	}
	page, err := s.fix.Service.ListByUser(context.Background(), alice.UserID, 100, "")
	if err != nil || len(page.Items) != 1 {
		t.Errorf("%d orders, %v; want 1", len(page.Items), err)
	}
	for _, start := range s.fix.Saga.Starts() {
		if start.OrderID != ids[0] {
			t.Errorf("saga started with name %s, want %s", start.OrderID, ids[0])
		}
	}
	if got := s.repo.Events(); len(got) != 1 {
		t.Errorf("events %v, want one OrderCreated", got)
	}
}

func TestCheckoutSagaNotStarted(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.fix.Saga.Err = fmt.Errorf("sfn down")
	rec := s.do(t, alice, "POST", "/checkout", s.body(""), map[string]string{"Idempotency-Key": "k"})
	if rec.Code != 503 || errorCode(t, rec) != "checkout_not_started" || strings.Contains(rec.Body.String(), "sfn down") {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

// TestCheckoutCatalogUnavailable checks that a catalog that does not
// answer (an error, a timeout, an open circuit) is a 503 the client may
// retry with the same key, and that nothing was recorded.
func TestCheckoutCatalogUnavailable(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.fix.Catalog.Err = fmt.Errorf("circuit open: secret detail")
	rec := s.do(t, alice, "POST", "/checkout", s.body(""), map[string]string{"Idempotency-Key": "k"})
	if rec.Code != 503 || errorCode(t, rec) != "catalog_unavailable" || strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	if got := s.repo.Events(); len(got) != 0 {
		t.Errorf("events %v, want none", got)
	}
	s.fix.Catalog.Err = nil
	if rec := s.do(t, alice, "POST", "/checkout", s.body(""), map[string]string{"Idempotency-Key": "k"}); rec.Code != 202 {
		t.Fatalf("the retry = %d %s, want 202", rec.Code, rec.Body)
	}
}

func TestGetOrder(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := s.checkout(t, alice, "k")
	tests := []struct {
		name       string
		who        *auth.Identity
		path       string
		wantStatus int
		wantCode   string
	}{
		{"owner", alice, "/orders/" + id, 200, ""},
		{"admin", admin, "/orders/" + id, 200, ""},
		{"other user", bob, "/orders/" + id, 404, "order_not_found"},
		{"anonymous", nil, "/orders/" + id, 401, "unauthorized"},
		{"unknown", alice, "/orders/nope", 404, "order_not_found"},
		{"bad id", alice, "/orders/" + strings.Repeat("x", 65), 404, "order_not_found"},
		{"bad characters", alice, "/orders/a%20b", 404, "order_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := s.do(t, tt.who, "GET", tt.path, "", nil)
			if rec.Code != tt.wantStatus || (tt.wantCode != "" && errorCode(t, rec) != tt.wantCode) {
				t.Fatalf("got %d %s", rec.Code, rec.Body)
			}
			if tt.wantStatus != 200 {
				return
			}
			var o struct {
				ID, UserID, Status string
				Lines              []struct {
					ProductID string
					Quantity  int
					UnitPrice struct{ Amount int64 }
				}
				Total           struct{ Amount int64 }
				ShippingAddress struct{ Country string }
				History         []struct{ Status string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil {
				t.Fatal(err)
			}
			if o.ID != id || o.UserID != alice.UserID || o.Status != "PENDING" || len(o.Lines) != 2 ||
				o.Lines[0].UnitPrice.Amount != 1999 || o.Total.Amount != 2*1999+15000 ||
				o.ShippingAddress.Country != "GB" || len(o.History) != 1 || o.History[0].Status != "PENDING" {
				t.Errorf("order %s", rec.Body)
			}
			if strings.Contains(rec.Body.String(), "tok_visa") {
				t.Error("the payment token leaks")
			}
		})
	}
}

func TestListOrders(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	ctx := context.Background()
	if err := s.fix.Service.RecordUserName(ctx, alice.UserID, "Alice", orderstest.Epoch, "e-1"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 3 {
		ids = append([]string{s.checkout(t, alice, fmt.Sprintf("k-%d", i))}, ids...)
	}
	s.checkout(t, bob, "k-bob")
	if err := s.fix.Service.RecordUserName(ctx, alice.UserID, "Alice Liddell", orderstest.Epoch.Add(1), "e-2"); err != nil {
		t.Fatal(err)
	}
	type page struct {
		Items []struct {
			ID, Status, UserName string
			Total                struct{ Amount int64 }
		}
		NextCursor string
	}
	rec := s.do(t, alice, "GET", "/users/u-alice/orders?limit=2", "", nil)
	var p1 page
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &p1) != nil || len(p1.Items) != 2 || p1.NextCursor == "" {
		t.Fatalf("page 1: %d %s", rec.Code, rec.Body)
	}
	if p1.Items[0].ID != ids[0] || p1.Items[1].ID != ids[1] || p1.Items[0].UserName != "Alice Liddell" || p1.Items[0].Status != "PENDING" {
		t.Errorf("page 1 %s, want %v first with the new name", rec.Body, ids[:2])
	}
	rec = s.do(t, admin, "GET", "/users/u-alice/orders?limit=2&cursor="+p1.NextCursor, "", nil)
	var p2 page
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &p2) != nil || len(p2.Items) != 1 || p2.Items[0].ID != ids[2] || p2.NextCursor != "" {
		t.Errorf("page 2: %d %s", rec.Code, rec.Body)
	}
	tests := []struct {
		name       string
		who        *auth.Identity
		path       string
		wantStatus int
		wantCode   string
	}{
		{"other user", bob, "/users/u-alice/orders", 404, "user_not_found"},
		{"anonymous", nil, "/users/u-alice/orders", 401, "unauthorized"},
		{"bad limit", alice, "/users/u-alice/orders?limit=0", 400, "invalid_limit"},
		{"big limit", alice, "/users/u-alice/orders?limit=101", 400, "invalid_limit"},
		{"tampered cursor", alice, "/users/u-alice/orders?cursor=abc", 400, "invalid_cursor"},
		{"foreign cursor", admin, "/users/u-bob/orders?cursor=" + p1.NextCursor, 400, "invalid_cursor"},
		{"bad user id", admin, "/users/" + strings.Repeat("u", 65) + "/orders", 404, "user_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := s.do(t, tt.who, "GET", tt.path, "", nil)
			if rec.Code != tt.wantStatus || errorCode(t, rec) != tt.wantCode {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestSetStatus(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	ctx := context.Background()
	pending := s.checkout(t, alice, "p")
	confirmed := s.checkout(t, alice, "c")
	if _, err := s.fix.Service.Confirm(ctx, confirmed, "pay-1"); err != nil {
		t.Fatal(err)
	}
	rec := s.do(t, admin, "PATCH", "/orders/"+confirmed+"/status", `{"status":"SHIPPED"}`, nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"SHIPPED"`) {
		t.Fatalf("ship: %d %s", rec.Code, rec.Body)
	}
	if got := s.repo.Events(); got[len(got)-1] != "OrderShipped/"+confirmed {
		t.Errorf("events %v, want OrderShipped last", got)
	}
	tests := []struct {
		name       string
		who        *auth.Identity
		id, body   string
		wantStatus int
		wantCode   string
	}{
		{"customer", alice, confirmed, `{"status":"DELIVERED"}`, 403, "forbidden"},
		{"anonymous", nil, confirmed, `{"status":"DELIVERED"}`, 401, "unauthorized"},
		{"ship pending", admin, pending, `{"status":"SHIPPED"}`, 409, "invalid_transition"},
		{"deliver pending", admin, pending, `{"status":"DELIVERED"}`, 409, "invalid_transition"},
		{"ship twice", admin, confirmed, `{"status":"SHIPPED"}`, 409, "invalid_transition"},
		{"cancel", admin, pending, `{"status":"CANCELLED"}`, 422, "invalid_status"},
		{"junk status", admin, pending, `{"status":"LOST"}`, 422, "invalid_status"},
		{"no status", admin, pending, `{}`, 400, "missing_field"},
		{"wrong type", admin, pending, `{"status":1}`, 400, "invalid_field"},
		{"malformed", admin, pending, `{`, 400, "malformed_json"},
		{"unknown order", admin, "nope", `{"status":"SHIPPED"}`, 404, "order_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := s.do(t, tt.who, "PATCH", "/orders/"+tt.id+"/status", tt.body, nil)
			if rec.Code != tt.wantStatus || errorCode(t, rec) != tt.wantCode {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tt.wantStatus, tt.wantCode)
			}
		})
	}
	rec = s.do(t, admin, "PATCH", "/orders/"+confirmed+"/status", `{"status":"DELIVERED"}`, nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"DELIVERED"`) {
		t.Errorf("deliver: %d %s", rec.Code, rec.Body)
	}
}
