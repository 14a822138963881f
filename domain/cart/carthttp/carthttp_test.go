package carthttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/carthttp"
	"github.com/goshop-dev/goshop/domain/cart/carttest"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/routes"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type server struct {
	router  *httpapi.Router
	catalog *carttest.Catalog
}

func newServer(t *testing.T) server {
	t.Helper()
	catalog := carttest.NewCatalog(
		carttest.Product("mug", 1299, 10),
		carttest.Product("pen", 250, 3),
		cart.ProductInfo{ID: "tea", Name: "Tea", Price: carttest.Money(800, "EUR"), Available: 0},
	)
	return newServerWith(t, carttest.NewRepository(), catalog)
}

func newServerWith(t *testing.T, repo cart.Repository, catalog *carttest.Catalog) server {
	t.Helper()
	svc := cart.NewService(repo, catalog, func() time.Time { return now })
	router := httpapi.NewRouter()
	for name, h := range carthttp.Handlers(svc) {
		router.Handle(routes.Pattern(name), h)
	}
	return server{router: router, catalog: catalog}
}

// do sends a request as user ("" for no identity).
func (s server) do(t *testing.T, user, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		r = r.WithContext(auth.WithIdentity(r.Context(), auth.Identity{UserID: user, Role: auth.RoleCustomer}))
	}
	w := httptest.NewRecorder()
	s.router.ServeHTTP(w, r)
	return w
}

func (s server) must(t *testing.T, user, method, path, body string, status int) *httptest.ResponseRecorder {
	t.Helper()
	w := s.do(t, user, method, path, body)
	if w.Code != status {
		t.Fatalf("%s %s = %d %s, want %d", method, path, w.Code, w.Body, status)
	}
	return w
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func decodeError(t *testing.T, w *httptest.ResponseRecorder) errorBody {
	t.Helper()
	var body errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", w.Body, err)
	}
	return body
}

type cartBody struct {
	Items []struct {
		ProductID string `json:"productId"`
		Quantity  int    `json:"quantity"`
	} `json:"items"`
	Saved []struct {
		ProductID string `json:"productId"`
	} `json:"saved"`
	ItemCount int `json:"itemCount"`
}

func decodeCart(t *testing.T, w *httptest.ResponseRecorder) cartBody {
	t.Helper()
	var body cartBody
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("cart body %q: %v", w.Body, err)
	}
	return body
}

func TestHandlersCoverCartRoutes(t *testing.T) {
	t.Parallel()
	var want []string
	for _, r := range routes.All {
		if strings.HasPrefix(r.Function, "cart-") && r.Function != routes.HealthFunction("cart") { // health: internal/health
			want = append(want, r.Function)
		}
	}
	var got []string
	for name := range carthttp.Handlers(nil) {
		got = append(got, name)
	}
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("handler names (-routes +handlers):\n%s", diff)
	}
}

func TestGetShape(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	empty := s.must(t, "alice", "GET", "/cart", "", http.StatusOK)
	assertJSON(t, empty.Body.String(), `{"items":[],"saved":[],"subtotals":[],"itemCount":0}`)

	s.catalog.Set(cart.ProductInfo{ID: "tea", Name: "Tea", Price: carttest.Money(800, "EUR"), Available: 5})
	s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":2}`, http.StatusOK)
	s.must(t, "alice", "PUT", "/cart/items/tea", `{"quantity":1}`, http.StatusOK)
	s.must(t, "alice", "PUT", "/cart/items/pen", `{"quantity":3}`, http.StatusOK)
	s.must(t, "alice", "POST", "/cart/items/pen/save-for-later", "", http.StatusOK)
	got := s.must(t, "alice", "GET", "/cart", "", http.StatusOK)
	at := now.Format(time.RFC3339)
	assertJSON(t, got.Body.String(), fmt.Sprintf(`{
		"items":[
			{"productId":"mug","name":"Product mug","quantity":2,"unitPrice":{"amount":1299,"currency":"USD"},"lineTotal":{"amount":2598,"currency":"USD"},"addedAt":%[1]q,"updatedAt":%[1]q},
			{"productId":"tea","name":"Tea","quantity":1,"unitPrice":{"amount":800,"currency":"EUR"},"lineTotal":{"amount":800,"currency":"EUR"},"addedAt":%[1]q,"updatedAt":%[1]q}
		],
		"saved":[{"productId":"pen","name":"Product pen","unitPrice":{"amount":250,"currency":"USD"},"savedAt":%[1]q}],
		"subtotals":[{"amount":800,"currency":"EUR"},{"amount":2598,"currency":"USD"}],
		"itemCount":3}`, at))
	if ct := got.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q", ct)
	}
}

func assertJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q: %v", want, err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Fatalf("body (-want +got):\n%s", diff)
	}
}

func TestPutItem(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for range 2 { // idempotent
		body := decodeCart(t, s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":4}`, http.StatusOK))
		if len(body.Items) != 1 || body.Items[0].Quantity != 4 || body.ItemCount != 4 {
			t.Fatalf("cart = %+v, want mug x4", body)
		}
	}
	body := decodeCart(t, s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":1}`, http.StatusOK))
	if body.Items[0].Quantity != 1 {
		t.Fatalf("cart = %+v, want mug x1", body)
	}
	// Putting a saved product takes it out of the saved list.
	s.must(t, "alice", "POST", "/cart/items/mug/save-for-later", "", http.StatusOK)
	body = decodeCart(t, s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":2}`, http.StatusOK))
	if len(body.Items) != 1 || len(body.Saved) != 0 {
		t.Fatalf("cart = %+v, want mug active only", body)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	fill := func(t *testing.T, s server) {
		t.Helper()
		for i := range cart.MaxItems {
			id := fmt.Sprintf("p%d", i)
			s.catalog.Set(carttest.Product(id, 100, 5))
			s.must(t, "alice", "PUT", "/cart/items/"+id, `{"quantity":1}`, http.StatusOK)
		}
	}
	saveMug := func(t *testing.T, s server) {
		t.Helper()
		s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":1}`, http.StatusOK)
		s.must(t, "alice", "POST", "/cart/items/mug/save-for-later", "", http.StatusOK)
	}
	long := strings.Repeat("a", 65)
	tests := []struct {
		name   string
		setup  func(t *testing.T, s server)
		method string
		path   string
		body   string
		status int
		code   string
	}{
		{"put product id too long", nil, "PUT", "/cart/items/" + long, `{"quantity":1}`, 400, "invalid_product_id"},
		{"put product id bad character", nil, "PUT", "/cart/items/bad%21id", `{"quantity":1}`, 400, "invalid_product_id"},
		{"put product id escaped slash", nil, "PUT", "/cart/items/a%2Fb", `{"quantity":1}`, 400, "invalid_product_id"},
		{"put malformed json", nil, "PUT", "/cart/items/mug", `{"quantity":`, 400, "malformed_json"},
		{"put array body", nil, "PUT", "/cart/items/mug", `[1]`, 400, "malformed_json"},
		{"put empty body", nil, "PUT", "/cart/items/mug", "", 400, "empty_body"},
		{"put unknown field", nil, "PUT", "/cart/items/mug", `{"quantity":1,"userId":"bob"}`, 400, "unknown_field"},
		{"put quantity string", nil, "PUT", "/cart/items/mug", `{"quantity":"2"}`, 400, "invalid_field"},
		{"put quantity fraction", nil, "PUT", "/cart/items/mug", `{"quantity":1.5}`, 400, "invalid_field"},
		{"put quantity missing", nil, "PUT", "/cart/items/mug", `{}`, 400, "missing_field"},
		{"put quantity null", nil, "PUT", "/cart/items/mug", `{"quantity":null}`, 400, "missing_field"},
		{"put quantity zero", nil, "PUT", "/cart/items/mug", `{"quantity":0}`, 422, "invalid_quantity"},
		{"put quantity negative", nil, "PUT", "/cart/items/mug", `{"quantity":-3}`, 422, "invalid_quantity"},
		{"put quantity 100", nil, "PUT", "/cart/items/mug", `{"quantity":100}`, 422, "invalid_quantity"},
		{"put unknown product", nil, "PUT", "/cart/items/nope", `{"quantity":1}`, 404, "product_not_found"},
		{"put above stock", nil, "PUT", "/cart/items/pen", `{"quantity":4}`, 422, "insufficient_stock"},
		{"put into full cart", fill, "PUT", "/cart/items/mug", `{"quantity":1}`, 422, "cart_full"},
		{"remove item bad id", nil, "DELETE", "/cart/items/" + long, "", 400, "invalid_product_id"},
		{"save absent item", nil, "POST", "/cart/items/mug/save-for-later", "", 404, "item_not_found"},
		{"save bad id", nil, "POST", "/cart/items/a.b/save-for-later", "", 400, "invalid_product_id"},
		{"move unsaved item", nil, "POST", "/cart/saved/mug/move-to-cart", "", 404, "item_not_found"},
		{"move bad id", nil, "POST", "/cart/saved/a%20b/move-to-cart", "", 400, "invalid_product_id"},
		{"move deleted product", func(t *testing.T, s server) { saveMug(t, s); s.catalog.Delete("mug") },
			"POST", "/cart/saved/mug/move-to-cart", "", 404, "product_not_found"},
		{"move sold-out product", func(t *testing.T, s server) { saveMug(t, s); s.catalog.Set(carttest.Product("mug", 1299, 0)) },
			"POST", "/cart/saved/mug/move-to-cart", "", 422, "insufficient_stock"},
		{"move into full cart", func(t *testing.T, s server) { saveMug(t, s); fill(t, s) },
			"POST", "/cart/saved/mug/move-to-cart", "", 422, "cart_full"},
		{"remove saved bad id", nil, "DELETE", "/cart/saved/" + long, "", 400, "invalid_product_id"},
		{"catalog down", func(t *testing.T, s server) { s.catalog.Fail(errors.New("catalog down: secret detail")) },
			"PUT", "/cart/items/mug", `{"quantity":1}`, 503, "catalog_unavailable"},
		{"catalog down on move", func(t *testing.T, s server) {
			saveMug(t, s)
			s.catalog.Fail(errors.New("circuit open: secret detail"))
		}, "POST", "/cart/saved/mug/move-to-cart", "", 503, "catalog_unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			if tt.setup != nil {
				tt.setup(t, s)
			}
			w := s.do(t, "alice", tt.method, tt.path, tt.body)
			body := decodeError(t, w)
			if w.Code != tt.status || body.Error.Code != tt.code {
				t.Fatalf("%s %s = %d %q, want %d %q (%s)", tt.method, tt.path, w.Code, body.Error.Code, tt.status, tt.code, w.Body)
			}
			if strings.Contains(w.Body.String(), "secret") {
				t.Fatalf("error body leaks internals: %s", w.Body)
			}
		})
	}
}

func TestInsufficientStockSaysWhatIsAvailable(t *testing.T) {
	t.Parallel()
	w := newServer(t).must(t, "alice", "PUT", "/cart/items/pen", `{"quantity":5}`, http.StatusUnprocessableEntity)
	if msg := decodeError(t, w).Error.Message; !strings.Contains(msg, "3") {
		t.Fatalf("message %q does not say 3 units are available", msg)
	}
}

func TestSavedFull(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for i := range cart.MaxSavedItems {
		id := fmt.Sprintf("s%d", i)
		s.catalog.Set(carttest.Product(id, 100, 5))
		s.must(t, "alice", "PUT", "/cart/items/"+id, `{"quantity":1}`, http.StatusOK)
		s.must(t, "alice", "POST", "/cart/items/"+id+"/save-for-later", "", http.StatusOK)
	}
	s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":1}`, http.StatusOK)
	w := s.must(t, "alice", "POST", "/cart/items/mug/save-for-later", "", http.StatusUnprocessableEntity)
	if code := decodeError(t, w).Error.Code; code != "saved_full" {
		t.Fatalf("code = %q, want saved_full", code)
	}
}

func TestSaveMoveRemoveFlow(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":3}`, http.StatusOK)
	body := decodeCart(t, s.must(t, "alice", "POST", "/cart/items/mug/save-for-later", "", http.StatusOK))
	if len(body.Items) != 0 || len(body.Saved) != 1 || body.Saved[0].ProductID != "mug" {
		t.Fatalf("after save cart = %+v", body)
	}
	body = decodeCart(t, s.must(t, "alice", "POST", "/cart/saved/mug/move-to-cart", "", http.StatusOK))
	if len(body.Saved) != 0 || len(body.Items) != 1 || body.Items[0].Quantity != 1 {
		t.Fatalf("after move cart = %+v, want mug x1", body)
	}
	s.must(t, "alice", "POST", "/cart/items/mug/save-for-later", "", http.StatusOK)
	for range 2 {
		if w := s.must(t, "alice", "DELETE", "/cart/saved/mug", "", http.StatusNoContent); w.Body.Len() != 0 {
			t.Fatalf("204 with body %q", w.Body)
		}
	}
	s.must(t, "alice", "PUT", "/cart/items/pen", `{"quantity":1}`, http.StatusOK)
	for range 2 {
		s.must(t, "alice", "DELETE", "/cart/items/pen", "", http.StatusNoContent)
	}
	body = decodeCart(t, s.must(t, "alice", "GET", "/cart", "", http.StatusOK))
	if len(body.Items)+len(body.Saved) != 0 {
		t.Fatalf("cart = %+v, want empty", body)
	}
}

func TestUnauthenticated(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tests := []struct{ method, path, body string }{
		{"GET", "/cart", ""},
		{"PUT", "/cart/items/mug", `{"quantity":1}`},
		{"DELETE", "/cart/items/mug", ""},
		{"POST", "/cart/items/mug/save-for-later", ""},
		{"POST", "/cart/saved/mug/move-to-cart", ""},
		{"DELETE", "/cart/saved/mug", ""},
	}
	for _, tt := range tests {
		w := s.do(t, "", tt.method, tt.path, tt.body)
		if code := decodeError(t, w).Error.Code; w.Code != http.StatusUnauthorized || code != "unauthorized" {
			t.Errorf("%s %s without identity = %d %q, want 401 unauthorized", tt.method, tt.path, w.Code, code)
		}
	}
}

func TestCartsAreIsolated(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":2}`, http.StatusOK)
	s.must(t, "alice", "PUT", "/cart/items/pen", `{"quantity":1}`, http.StatusOK)
	s.must(t, "alice", "POST", "/cart/items/pen/save-for-later", "", http.StatusOK)

	bob := decodeCart(t, s.must(t, "bob", "GET", "/cart", "", http.StatusOK))
	if len(bob.Items)+len(bob.Saved) != 0 {
		t.Fatalf("bob sees %+v, want an empty cart", bob)
	}
	s.must(t, "bob", "DELETE", "/cart/items/mug", "", http.StatusNoContent)
	s.must(t, "bob", "DELETE", "/cart/saved/pen", "", http.StatusNoContent)
	if code := decodeError(t, s.do(t, "bob", "POST", "/cart/items/mug/save-for-later", "")).Error.Code; code != "item_not_found" {
		t.Fatalf("bob saving alice's item: code %q, want item_not_found", code)
	}
	if code := decodeError(t, s.do(t, "bob", "POST", "/cart/saved/pen/move-to-cart", "")).Error.Code; code != "item_not_found" {
		t.Fatalf("bob moving alice's saved item: code %q, want item_not_found", code)
	}
	s.must(t, "bob", "PUT", "/cart/items/mug", `{"quantity":7}`, http.StatusOK)

	alice := decodeCart(t, s.must(t, "alice", "GET", "/cart", "", http.StatusOK))
	if len(alice.Items) != 1 || alice.Items[0].Quantity != 2 || len(alice.Saved) != 1 {
		t.Fatalf("alice's cart = %+v, want mug x2 and pen saved", alice)
	}
}

// conflictRepo loses every race.
type conflictRepo struct{ cart.Repository }

func (conflictRepo) Update(context.Context, string, func(*cart.Cart) error) error {
	return cart.ErrConflict
}

func TestConflict(t *testing.T) {
	t.Parallel()
	s := newServerWith(t, conflictRepo{carttest.NewRepository()}, carttest.NewCatalog(carttest.Product("mug", 100, 5)))
	w := s.must(t, "alice", "PUT", "/cart/items/mug", `{"quantity":1}`, http.StatusConflict)
	if code := decodeError(t, w).Error.Code; code != "conflict" {
		t.Fatalf("code = %q, want conflict", code)
	}
}
