package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/goshop-dev/goshop/api"
	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/carthttp"
	"github.com/goshop-dev/goshop/domain/cart/carttest"
	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/cataloghttp"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardhttp"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardtest"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationshttp"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
	"github.com/goshop-dev/goshop/domain/notifications/notificationstest"
	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/ordershttp"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentshttp"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/payments/paymentstest"
	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/usershttp"
	"github.com/goshop-dev/goshop/domain/users/userstest"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/health"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
)

// now has nanoseconds, so that the times sent carry fractional seconds.
var now = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

const adminEmail = "admin@example.com"

var (
	admin   = &auth.Identity{UserID: "admin-1", Role: auth.RoleAdmin}
	shopper = &auth.Identity{UserID: "shopper-1", Role: auth.RoleCustomer}
)

// The products of the orders' fake catalog: the two of the documented
// checkout example, and one priced in another currency.
const (
	mugID    = "0195f3a2-7c41-7d8e-9b2a-5c3d1e0f4a6b"
	teapotID = "0195f3a2-9e07-7b51-8c4f-1a2b3c4d5e6f"
	teaID    = "tea"
)

// shop is the whole API over the in-memory fakes, every route mounted on
// its handler and wrapped in the middleware, as the Lambda functions run
// them. It checks each answer against the document. The services whose
// state the HTTP API cannot set up (the saga's steps, the events) are kept
// to be driven directly.
type shop struct {
	handler       http.Handler
	doc           map[string]any
	ops           map[string]operation
	schemas       *schemas
	checked       map[string][]int // statuses checked, by operation
	orders        *orders.Service
	saga          *orderstest.Saga
	payments      *payments.Service
	notifications *notifications.Service
	dashboard     *dashboard.Service
	dashboardDB   *dashboardReads
	tablesDown    *atomic.Bool // fails the table check of every health handler
}

// dashboardReads is the dashboard's fake table, whose reads can be made to
// fail part by part for the degraded answers. A failing profile read also
// fails the recommendations, which start from the profile.
type dashboardReads struct {
	*dashboardtest.Repository
	mu   sync.Mutex
	down map[dashboard.Part]bool
}

var errDashboardDown = errors.New("dashboard table unavailable")

// failing makes the reads of parts fail, and the others succeed.
func (r *dashboardReads) failing(parts ...dashboard.Part) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = map[dashboard.Part]bool{}
	for _, p := range parts {
		r.down[p] = true
	}
}

func (r *dashboardReads) check(part dashboard.Part) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down[part] {
		return errDashboardDown
	}
	return nil
}

func (r *dashboardReads) Profile(ctx context.Context, userID string) (dashboard.Profile, error) {
	if err := r.check(dashboard.PartProfile); err != nil {
		return dashboard.Profile{}, err
	}
	return r.Repository.Profile(ctx, userID)
}

func (r *dashboardReads) RecentOrders(ctx context.Context, userID string, limit int) ([]dashboard.Order, error) {
	if err := r.check(dashboard.PartRecentOrders); err != nil {
		return nil, err
	}
	return r.Repository.RecentOrders(ctx, userID, limit)
}

func (r *dashboardReads) TopProducts(ctx context.Context, category string, limit int) ([]dashboard.ProductSales, error) {
	if err := r.check(dashboard.PartRecommendations); err != nil {
		return nil, err
	}
	return r.Repository.TopProducts(ctx, category, limit)
}

func newShop(t *testing.T) *shop {
	t.Helper()
	clock := func() time.Time { return now }
	hasher, err := users.NewBcrypt(bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	usersSvc, err := users.NewService(userstest.NewRepository(), hasher, clock, sequence("user"), []string{adminEmail})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{
		Key: bytes.Repeat([]byte("k"), auth.MinKeyBytes), Issuer: "goshop-test", Audience: "goshop-api",
		TTL: time.Hour, Now: clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	catalogSvc := catalog.NewService(catalogtest.NewRepository(), clock, sequence("p"))
	cartSvc := cart.NewService(carttest.NewRepository(), carttest.NewCatalog(
		carttest.Product("mug", 1299, 10),
		carttest.Product("pen", 250, 0),
		cart.ProductInfo{ID: "tea", Name: "Green tea", Price: carttest.Money(800, "EUR"), Available: 5},
	), clock)
	saga := &orderstest.Saga{}
	ordersSvc := orders.NewService(orderstest.NewRepository(), orderstest.NewCatalog(
		orders.CatalogProduct{ID: mugID, Name: "Red mug", Price: price(t, 1299, "USD")},
		orders.CatalogProduct{ID: teapotID, Name: "Teapot", Price: price(t, 3450, "USD")},
		orders.CatalogProduct{ID: teaID, Name: "Green tea", Price: price(t, 800, "EUR")},
	), saga, clock, sequence("o"))
	paymentsSvc := payments.NewService(paymentstest.NewRepository(), paymentssandbox.New(), clock)
	notificationsSvc := notifications.NewService(notificationstest.NewRepository(),
		notificationssandbox.New(nil).Channels(), clock, sequence("m"))
	// The part timeout is generous: the fake answers at once, and a slow
	// run must not degrade an answer the test expects whole.
	dashboardDB := &dashboardReads{Repository: dashboardtest.NewRepository()}
	// Last good values are kept, as dashboard-get keeps them, so that
	// degraded answers show stale parts too.
	dashboardSvc := dashboard.NewService(dashboardDB, dashboardtest.NewCatalog(
		dashboard.CatalogProduct{ID: mugID, Name: "Red mug", Category: "kitchen"},
		dashboard.CatalogProduct{ID: teapotID, Name: "Teapot", Category: "kitchen"},
	), dashboard.WithPartTimeout(10*time.Second), dashboard.WithLastGood(time.Minute, 100, clock))

	handlers := map[string]http.Handler{}
	for _, set := range []map[string]http.Handler{
		usershttp.Handlers(usersSvc, tokens),
		cataloghttp.Handlers(catalogSvc),
		carthttp.Handlers(cartSvc),
		ordershttp.Handlers(ordersSvc),
		paymentshttp.Handlers(paymentsSvc),
		notificationshttp.Handlers(notificationsSvc),
		dashboardhttp.Handlers(dashboardSvc),
		api.Handlers(),
	} {
		for name, h := range set {
			handlers[name] = h
		}
	}
	tablesDown := &atomic.Bool{}
	for _, service := range healthServices {
		handlers[routes.HealthFunction(service)] = health.Handler(service, health.Check{Name: "table", Run: func(context.Context) error {
			if tablesDown.Load() {
				return health.Fail("table not found", errors.New("ResourceNotFoundException: arn:aws:dynamodb:eu-west-1:123456789012:table/x"))
			}
			return nil
		}})
	}
	router := httpapi.NewRouter()
	for _, r := range routes.All {
		h, ok := handlers[r.Function]
		if !ok {
			t.Fatalf("no handler for %s", r.Function)
		}
		router.Handle(r.Pattern(), h)
	}
	doc := loadDocument(t)
	return &shop{
		handler:       httpapi.Middleware(logging.Discard(), nil, router),
		doc:           doc,
		ops:           operations(t, doc),
		schemas:       newSchemas(t),
		checked:       map[string][]int{},
		orders:        ordersSvc,
		saga:          saga,
		payments:      paymentsSvc,
		notifications: notificationsSvc,
		dashboard:     dashboardSvc,
		dashboardDB:   dashboardDB,
		tablesDown:    tablesDown,
	}
}

// healthServices are the services with a health check.
var healthServices = []string{"users", "catalog", "cart", "orders", "payments", "notifications", "dashboard"}

func price(t *testing.T, amount int64, currency string) money.Money {
	t.Helper()
	m, err := money.New(amount, currency)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sequence(prefix string) func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("%s-%d", prefix, n.Add(1)) }
}

// request builds a request for operation id at target; body is nil, or a
// value sent as JSON.
func (s *shop) request(t *testing.T, id, target string, body any, caller *auth.Identity) *http.Request {
	t.Helper()
	op, ok := s.ops[id]
	if !ok {
		t.Fatalf("the document has no operation %s", id)
	}
	pathOnly, _, _ := strings.Cut(target, "?")
	if !regexp.MustCompile(`^` + pathTemplate(op.path) + `$`).MatchString(pathOnly) {
		t.Fatalf("%s is not a path of %s %s", target, id, op.path)
	}
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	}
	r := httptest.NewRequest(op.method, target, reader)
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if caller != nil {
		r = r.WithContext(auth.WithIdentity(r.Context(), *caller))
	}
	return r
}

// pathTemplate turns an OpenAPI path into a regular expression.
func pathTemplate(path string) string {
	var b strings.Builder
	for _, part := range strings.Split(path, "/")[1:] {
		b.WriteString("/")
		if strings.HasPrefix(part, "{") {
			b.WriteString("[^/]+")
		} else {
			b.WriteString(regexp.QuoteMeta(part))
		}
	}
	return b.String()
}

// serve runs r through the API, requires status want (0: any), and checks
// the answer against what the document says operation id answers with that
// status.
func (s *shop) serve(t *testing.T, id string, r *http.Request, want int) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, r)
	if want != 0 && rec.Code != want {
		t.Fatalf("%s %s: status %d, want %d; body %s", r.Method, r.URL, rec.Code, want, rec.Body)
	}
	s.conforms(t, id, rec)
	return rec
}

// call is request then serve.
func (s *shop) call(t *testing.T, id, target string, body any, caller *auth.Identity, want int) map[string]any {
	t.Helper()
	rec := s.serve(t, id, s.request(t, id, target, body, caller), want)
	var out map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s: body is not a JSON object: %v", id, err)
		}
	}
	return out
}

// conforms checks rec against the response operation id documents for
// rec's status: the status is listed, the headers it requires are sent, the
// body matches the schema (none for a response without content), and an
// error's code is one the response lists.
func (s *shop) conforms(t *testing.T, id string, rec *httptest.ResponseRecorder) {
	t.Helper()
	resp, ok := response(t, s.doc, s.ops[id], rec.Code)
	if !ok {
		t.Errorf("%s answered %d, which the document does not list", id, rec.Code)
		return
	}
	s.checked[id] = append(s.checked[id], rec.Code)
	for name, h := range object(resp["headers"]) {
		if follow(t, s.doc, object(h))["required"] == true && rec.Header().Get(name) == "" {
			t.Errorf("%s %d: no %s header, which the document lists", id, rec.Code, name)
		}
	}
	ref, hasBody := jsonSchemaRef(t, resp)
	if !hasBody {
		if rec.Body.Len() != 0 {
			t.Errorf("%s %d: body %q, the document says none", id, rec.Code, rec.Body)
		}
		return
	}
	if !isJSON(rec.Header()) {
		t.Errorf("%s %d: Content-Type %q", id, rec.Code, rec.Header().Get("Content-Type"))
	}
	if err := validJSON(s.schemas.at(t, ref), rec.Body.Bytes()); err != nil {
		t.Errorf("%s %d: the body does not match %s: %#v\nbody: %s", id, rec.Code, ref, err, rec.Body)
	}
	if rec.Code >= 400 && ref != healthReport {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		if codes := documentedCodes(t, s.doc, resp); !slices.Contains(codes, e.Error.Code) {
			t.Errorf("%s %d: code %q is not among the documented %v", id, rec.Code, e.Error.Code, codes)
		}
	}
}

// example returns a copy of the documented request example of id.
func (s *shop) example(t *testing.T, id string) map[string]any {
	t.Helper()
	return deepCopy(requestExample(t, s.doc, s.ops[id]))
}

// TestResponsesMatchDocument drives every operation of the API through its
// real handler, over the fakes, with the documented request examples, and
// validates each answer, success or error, against the document.
func TestResponsesMatchDocument(t *testing.T) {
	t.Parallel()
	s := newShop(t)

	// users
	reg := s.example(t, "users-register")
	ada := s.call(t, "users-register", "/users/register", reg, nil, 201)
	adaID, _ := ada["id"].(string)
	if adaID == "" {
		t.Fatalf("registration answered no id: %v", ada)
	}
	self := &auth.Identity{UserID: adaID, Role: auth.RoleCustomer}
	s.call(t, "users-register", "/users/register", map[string]any{"email": adminEmail, "password": "admin-password", "name": "Boss"}, nil, 201)
	s.call(t, "users-register", "/users/register", reg, nil, 409)
	s.call(t, "users-register", "/users/register", map[string]any{"email": "not an email", "password": "long enough", "name": "X"}, nil, 422)
	s.call(t, "users-login", "/users/login", s.example(t, "users-login"), nil, 200)
	s.call(t, "users-login", "/users/login", map[string]any{"email": reg["email"], "password": "wrong password"}, nil, 401)
	s.call(t, "users-get", "/users/"+adaID, nil, self, 200)
	s.call(t, "users-update", "/users/"+adaID, s.example(t, "users-update"), self, 200)
	got := s.call(t, "users-get", "/users/"+adaID, nil, self, 200)
	if prefs := object(got["preferences"]); prefs["currency"] == nil || prefs["phone"] == nil {
		t.Errorf("the updated profile lacks the optional preferences: %v", prefs)
	}
	s.call(t, "users-get", "/users/"+adaID, nil, shopper, 404)
	s.call(t, "users-get", "/users/"+adaID, nil, nil, 401)
	s.call(t, "users-update", "/users/"+adaID, map[string]any{"preferences": map[string]any{"phone": "555"}}, self, 422)
	s.call(t, "users-update", "/users/"+adaID, map[string]any{}, self, 422)

	// catalog
	mug := s.call(t, "catalog-create-product", "/products", s.example(t, "catalog-create-product"), admin, 201)
	mugID, _ := mug["id"].(string)
	s.call(t, "catalog-create-product", "/products", map[string]any{
		"sku": "mug-blue-350", "name": "Blue mug", "category": "Kitchen", "price": map[string]any{"amount": 1399, "currency": "USD"},
	}, admin, 201)
	s.call(t, "catalog-create-product", "/products", s.example(t, "catalog-create-product"), admin, 409)
	s.call(t, "catalog-create-product", "/products", s.example(t, "catalog-create-product"), shopper, 403)
	s.call(t, "catalog-create-product", "/products", s.example(t, "catalog-create-product"), nil, 401)
	s.call(t, "catalog-get-product", "/products/"+mugID, nil, nil, 200)
	s.call(t, "catalog-get-product", "/products/no-such-product", nil, nil, 404)
	first := s.call(t, "catalog-search", "/products/search?category=kitchen&limit=1", nil, nil, 200)
	next, _ := first["nextCursor"].(string)
	if next == "" {
		t.Fatalf("the first page of two has no nextCursor: %v", first)
	}
	last := s.call(t, "catalog-search", "/products/search?category=kitchen&limit=1&cursor="+url.QueryEscape(next), nil, nil, 200)
	if _, ok := last["nextCursor"]; ok {
		t.Errorf("the last page has a nextCursor: %v", last)
	}
	s.call(t, "catalog-search", "/products/search?q=MUG", nil, nil, 200)
	s.call(t, "catalog-search", "/products/search", nil, nil, 400)
	s.call(t, "catalog-search", "/products/search?q=mug&cursor=bogus", nil, nil, 400)
	s.call(t, "catalog-set-inventory", "/products/"+mugID+"/inventory", s.example(t, "catalog-set-inventory"), admin, 200)
	s.call(t, "catalog-set-inventory", "/products/"+mugID+"/inventory", map[string]any{"available": -1}, admin, 422)
	s.call(t, "catalog-set-inventory", "/products/no-such-product/inventory", s.example(t, "catalog-set-inventory"), admin, 404)

	// cart
	s.call(t, "cart-get", "/cart", nil, shopper, 200)
	s.call(t, "cart-put-item", "/cart/items/mug", s.example(t, "cart-put-item"), shopper, 200)
	s.call(t, "cart-put-item", "/cart/items/tea", map[string]any{"quantity": 1}, shopper, 200)
	s.call(t, "cart-save-for-later", "/cart/items/tea/save-for-later", nil, shopper, 200)
	full := s.call(t, "cart-get", "/cart", nil, shopper, 200)
	if len(full["items"].([]any)) != 1 || len(full["saved"].([]any)) != 1 {
		t.Errorf("cart %v, want one item and one saved", full)
	}
	both := s.call(t, "cart-move-to-cart", "/cart/saved/tea/move-to-cart", nil, shopper, 200)
	if len(both["subtotals"].([]any)) != 2 {
		t.Errorf("cart %v, want subtotals in two currencies", both)
	}
	s.call(t, "cart-remove-item", "/cart/items/mug", nil, shopper, 204)
	s.call(t, "cart-save-for-later", "/cart/items/tea/save-for-later", nil, shopper, 200)
	s.call(t, "cart-remove-saved", "/cart/saved/tea", nil, shopper, 204)
	s.call(t, "cart-put-item", "/cart/items/pen", map[string]any{"quantity": 1}, shopper, 422)
	s.call(t, "cart-put-item", "/cart/items/mug", map[string]any{"quantity": 100}, shopper, 422)
	s.call(t, "cart-put-item", "/cart/items/ghost", map[string]any{"quantity": 1}, shopper, 404)
	s.call(t, "cart-put-item", "/cart/items/bad_id", map[string]any{"quantity": 1}, shopper, 400)
	s.call(t, "cart-save-for-later", "/cart/items/ghost/save-for-later", nil, shopper, 404)
	s.call(t, "cart-move-to-cart", "/cart/saved/ghost/move-to-cart", nil, shopper, 404)
	s.call(t, "cart-remove-saved", "/cart/saved/bad_id", nil, shopper, 400)
	s.call(t, "cart-get", "/cart", nil, nil, 401)

	// orders
	ctx := context.Background()
	checkout := func(key string, body any, caller *auth.Identity, want int) *httptest.ResponseRecorder {
		t.Helper()
		r := s.request(t, "orders-checkout", "/checkout", body, caller)
		if key != "" {
			r.Header.Set("Idempotency-Key", key)
		}
		return s.serve(t, "orders-checkout", r, want)
	}
	placed := checkout("k-1", s.example(t, "orders-checkout"), self, 202)
	var accepted struct{ OrderID, Status string }
	if err := json.Unmarshal(placed.Body.Bytes(), &accepted); err != nil || accepted.Status != "PENDING" {
		t.Fatalf("checkout answered %s: %v", placed.Body, err)
	}
	orderID := accepted.OrderID
	if loc := placed.Header().Get("Location"); loc != "/orders/"+orderID {
		t.Errorf("checkout Location %q, want /orders/%s", loc, orderID)
	}
	if h := placed.Header().Get("Idempotent-Replayed"); h != "" {
		t.Errorf("a first checkout says Idempotent-Replayed: %q", h)
	}
	replay := checkout("k-1", s.example(t, "orders-checkout"), self, 202)
	if h := replay.Header().Get("Idempotent-Replayed"); h != "true" || !strings.Contains(replay.Body.String(), orderID) {
		t.Errorf("replay: Idempotent-Replayed %q, body %s; want true and order %s", h, replay.Body, orderID)
	}
	other := s.example(t, "orders-checkout")
	other["paymentToken"] = paymentssandbox.TokenDeclined
	checkout("k-1", other, self, 422)
	checkout("", s.example(t, "orders-checkout"), self, 400)
	checkout(strings.Repeat("k", 65), s.example(t, "orders-checkout"), self, 400)
	checkout("k-2", map[string]any{
		"items":        []any{map[string]any{"productId": mugID, "quantity": 1}, map[string]any{"productId": teaID, "quantity": 1}},
		"paymentToken": "tok_visa", "shippingAddress": s.example(t, "orders-checkout")["shippingAddress"],
	}, self, 422)
	checkout("k-2", s.example(t, "orders-checkout"), nil, 401)
	s.saga.Err = errors.New("step functions unavailable")
	checkout("k-3", s.example(t, "orders-checkout"), self, 503)
	s.saga.Err = nil
	s.call(t, "orders-get", "/orders/"+orderID, nil, self, 200)
	s.call(t, "orders-get", "/orders/"+orderID, nil, admin, 200)
	s.call(t, "orders-get", "/orders/"+orderID, nil, shopper, 404)
	s.call(t, "orders-get", "/orders/"+orderID, nil, nil, 401)
	s.call(t, "orders-get", "/orders/no-such-order", nil, self, 404)
	firstOrders := s.call(t, "orders-list", "/users/"+adaID+"/orders?limit=1", nil, self, 200)
	nextOrders, _ := firstOrders["nextCursor"].(string)
	if nextOrders == "" {
		t.Fatalf("the first page of two orders has no nextCursor: %v", firstOrders)
	}
	lastOrders := s.call(t, "orders-list", "/users/"+adaID+"/orders?limit=1&cursor="+url.QueryEscape(nextOrders), nil, admin, 200)
	if _, ok := lastOrders["nextCursor"]; ok {
		t.Errorf("the last page of orders has a nextCursor: %v", lastOrders)
	}
	s.call(t, "orders-list", "/users/"+adaID+"/orders?cursor=bogus", nil, self, 400)
	s.call(t, "orders-list", "/users/"+adaID+"/orders?limit=101", nil, self, 400)
	s.call(t, "orders-list", "/users/"+adaID+"/orders", nil, shopper, 404)
	s.call(t, "orders-list", "/users/"+adaID+"/orders", nil, nil, 401)
	// The saga's steps: the payment is taken, the order confirmed.
	paid, err := s.payments.Process(ctx, payments.ProcessRequest{
		OrderID: orderID, UserID: adaID, Amount: price(t, 2*1299+3450, "USD"), Token: paymentssandbox.TokenVisa,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.orders.Confirm(ctx, orderID, paid.ID()); err != nil {
		t.Fatal(err)
	}
	statusPath := "/orders/" + orderID + "/status"
	s.call(t, "orders-set-status", statusPath, s.example(t, "orders-set-status"), shopper, 403)
	s.call(t, "orders-set-status", statusPath, s.example(t, "orders-set-status"), nil, 401)
	shipped := s.call(t, "orders-set-status", statusPath, s.example(t, "orders-set-status"), admin, 200)
	if shipped["status"] != "SHIPPED" || shipped["paymentId"] != paid.ID() {
		t.Errorf("the shipped order is %v", shipped)
	}
	s.call(t, "orders-set-status", statusPath, s.example(t, "orders-set-status"), admin, 409)
	s.call(t, "orders-set-status", statusPath, map[string]any{"status": "CANCELLED"}, admin, 422)
	s.call(t, "orders-set-status", statusPath, map[string]any{}, admin, 400)
	s.call(t, "orders-set-status", "/orders/no-such-order/status", s.example(t, "orders-set-status"), admin, 404)
	s.call(t, "orders-set-status", statusPath, map[string]any{"status": "DELIVERED"}, admin, 200)

	// payments
	declined, err := s.payments.Process(ctx, payments.ProcessRequest{
		OrderID: "o-declined", UserID: adaID, Amount: price(t, 800, "EUR"), Token: paymentssandbox.TokenDeclined,
	})
	if !errors.Is(err, payments.ErrDeclined) {
		t.Fatalf("the declined payment: %v", err)
	}
	s.call(t, "payments-get", "/payments/"+paid.ID(), nil, self, 200)
	failed := s.call(t, "payments-get", "/payments/"+declined.ID(), nil, self, 200)
	if failed["status"] != "FAILED" || failed["failureReason"] != "declined" {
		t.Errorf("the declined payment is %v", failed)
	}
	s.call(t, "payments-get", "/payments/"+paid.ID(), nil, shopper, 404)
	s.call(t, "payments-get", "/payments/"+paid.ID(), nil, nil, 401)
	s.call(t, "payments-get", "/payments/no-such-payment", nil, admin, 404)
	refundPath := "/payments/" + paid.ID() + "/refund"
	s.call(t, "payments-refund-admin", refundPath, nil, shopper, 403)
	s.call(t, "payments-refund-admin", refundPath, nil, nil, 401)
	for range 2 {
		if refunded := s.call(t, "payments-refund-admin", refundPath, nil, admin, 200); refunded["status"] != "REFUNDED" {
			t.Errorf("the refunded payment is %v", refunded)
		}
	}
	s.call(t, "payments-refund-admin", "/payments/"+declined.ID()+"/refund", nil, admin, 409)
	s.call(t, "payments-refund-admin", "/payments/no-such-payment/refund", nil, admin, 404)

	// notifications
	for i, notice := range []notifications.Notice{
		notifications.OrderCreated{OrderID: orderID, UserID: adaID, Items: 3, Total: price(t, 2*1299+3450, "USD")},
		notifications.OrderShipped{OrderID: orderID, UserID: adaID},
	} {
		if err := s.notifications.Notify(ctx, fmt.Sprintf("e-%d", i+1), notice); err != nil {
			t.Fatal(err)
		}
	}
	notes := s.call(t, "notifications-list", "/users/"+adaID+"/notifications?limit=2", nil, self, 200)
	nextNotes, _ := notes["nextCursor"].(string)
	if len(notes["items"].([]any)) != 2 || nextNotes == "" {
		t.Fatalf("the first page of three notifications is %v", notes)
	}
	s.call(t, "notifications-list", "/users/"+adaID+"/notifications?limit=2&cursor="+url.QueryEscape(nextNotes), nil, admin, 200)
	s.call(t, "notifications-list", "/users/"+adaID+"/notifications?limit=0", nil, self, 400)
	s.call(t, "notifications-list", "/users/"+adaID+"/notifications?cursor=bogus", nil, self, 400)
	s.call(t, "notifications-list", "/users/"+adaID+"/notifications", nil, shopper, 404)
	s.call(t, "notifications-list", "/users/"+adaID+"/notifications", nil, nil, 401)

	// dashboard: its read models are fed by events, recorded here as the
	// dashboard-consumer records them.
	if err := s.dashboard.RecordProfile(ctx, dashboard.Profile{
		UserID: adaID, Name: reg["name"].(string), Categories: []string{"kitchen", "garden"}, OccurredAt: now, EventID: "d-1",
	}); err != nil {
		t.Fatal(err)
	}
	placedOrder, err := s.orders.Get(ctx, orderID)
	if err != nil {
		t.Fatal(err)
	}
	var placedLines []dashboard.Line
	for _, l := range placedOrder.Lines() {
		placedLines = append(placedLines, dashboard.Line{ProductID: l.ProductID, Name: l.Name, Quantity: l.Quantity})
	}
	if err := s.dashboard.RecordOrderCreated(ctx, dashboard.Event{ID: "d-2", OccurredAt: now}, dashboard.CreatedOrder{
		ID: orderID, UserID: adaID, Lines: placedLines, Total: placedOrder.Total(), CreatedAt: placedOrder.CreatedAt(),
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.dashboard.RecordOrderStatus(ctx, dashboard.Event{ID: "d-3", OccurredAt: now.Add(time.Second)},
		dashboard.OrderKey{UserID: adaID, OrderID: orderID}, dashboard.StatusConfirmed); err != nil {
		t.Fatal(err)
	}
	home := s.call(t, "dashboard-get", "/dashboard", nil, self, 200)
	if diff := cmp.Diff([]any{}, home["degraded"]); diff != "" {
		t.Errorf("the whole dashboard's degraded (-want +got):\n%s", diff)
	}
	if recent, _ := home["recentOrders"].([]any); len(recent) != 1 || object(recent[0])["status"] != "CONFIRMED" || object(recent[0])["items"] != 3.0 {
		t.Errorf("the dashboard's recent orders are %v, want the confirmed order of 3 items", home["recentOrders"])
	}
	if picks, _ := home["recommendations"].([]any); len(picks) != 2 || object(picks[0])["name"] != "Red mug" || object(picks[0])["category"] != "kitchen" {
		t.Errorf("the dashboard's recommendations are %v, want the mug first, in kitchen, then the teapot", home["recommendations"])
	}
	stranger := s.call(t, "dashboard-get", "/dashboard", nil, shopper, 200)
	if diff := cmp.Diff(map[string]any{"userId": shopper.UserID}, stranger["profile"]); diff != "" {
		t.Errorf("an unknown caller's profile (-want +got):\n%s", diff)
	}
	if picks, _ := stranger["recommendations"].([]any); len(picks) != 2 || object(picks[0])["category"] != nil {
		t.Errorf("an unknown caller's recommendations are %v, want the best sellers overall", stranger["recommendations"])
	}
	// Degraded parts: the caller read before gets them stale, with their
	// last good value; a caller never read gets them null.
	for i, tt := range []struct {
		down []dashboard.Part
		want []any
	}{
		{[]dashboard.Part{dashboard.PartRecentOrders}, []any{"recentOrders"}},
		{[]dashboard.Part{dashboard.PartRecommendations}, []any{"recommendations"}},
		{[]dashboard.Part{dashboard.PartProfile, dashboard.PartRecentOrders, dashboard.PartRecommendations}, []any{"profile", "recentOrders", "recommendations"}},
	} {
		s.dashboardDB.failing(tt.down...)
		newcomer := &auth.Identity{UserID: fmt.Sprint("newcomer-", i), Role: auth.RoleCustomer}
		for _, caller := range []struct {
			id        *auth.Identity
			wantStale []any
		}{{self, tt.want}, {newcomer, []any{}}} {
			degraded := s.call(t, "dashboard-get", "/dashboard", nil, caller.id, 200)
			if diff := cmp.Diff(tt.want, degraded["degraded"]); diff != "" {
				t.Errorf("%v down, %s: degraded (-want +got):\n%s", tt.down, caller.id.UserID, diff)
			}
			if diff := cmp.Diff(caller.wantStale, degraded["stale"]); diff != "" {
				t.Errorf("%v down, %s: stale (-want +got):\n%s", tt.down, caller.id.UserID, diff)
			}
			for _, part := range []string{"profile", "recentOrders", "recommendations"} {
				value, present := degraded[part]
				null := slices.Contains(tt.want, any(part)) && !slices.Contains(caller.wantStale, any(part))
				if !present || (value == nil) != null {
					t.Errorf("%v down, %s: %s is %v (present %v), want null: %v", tt.down, caller.id.UserID, part, value, present, null)
				}
				if slices.Contains(caller.wantStale, any(part)) && !cmp.Equal(home[part], value) {
					t.Errorf("%v down: stale %s is %v, want the last good %v", tt.down, part, value, home[part])
				}
			}
		}
	}
	s.dashboardDB.failing()
	s.call(t, "dashboard-get", "/dashboard", nil, nil, 401)
	s.call(t, "dashboard-get", "/dashboard", nil, &auth.Identity{UserID: "u#1", Role: auth.RoleCustomer}, 404)

	// health checks
	for _, service := range healthServices {
		id, path := routes.HealthFunction(service), "/health/"+service
		if ready := s.call(t, id, path, nil, nil, 200); ready["status"] != "ok" || len(ready["checks"].([]any)) != 1 {
			t.Errorf("%s: %v, want ok with the table check", id, ready)
		}
		s.call(t, id, path+"?probe=ready", nil, nil, 200)
		s.call(t, id, path+"?probe=live", nil, nil, 200)
		s.call(t, id, path+"?probe=deep", nil, nil, 400)
	}
	s.tablesDown.Store(true)
	down := s.call(t, "orders-health", "/health/orders", nil, nil, 503)
	if check := object(down["checks"].([]any)[0]); down["status"] != "fail" || check["error"] != "table not found" {
		t.Errorf("the failing health check answered %v", down)
	}
	s.call(t, "orders-health", "/health/orders?probe=live", nil, nil, 200)
	s.tablesDown.Store(false)

	// the document itself
	served := s.serve(t, "api-openapi", s.request(t, "api-openapi", "/openapi.json", nil, nil), 200)
	r := s.request(t, "api-openapi", "/openapi.json", nil, nil)
	r.Header.Set("If-None-Match", served.Header().Get("ETag"))
	s.serve(t, "api-openapi", r, 304)

	for _, route := range routes.All {
		if !slices.ContainsFunc(s.checked[route.Function], func(c int) bool { return c < 300 }) {
			t.Errorf("%s: no success answer was checked against the document", route.Function)
		}
	}
	for _, service := range []string{"users-", "catalog-", "cart-", "orders-", "payments-", "notifications-", "dashboard-"} {
		errorsChecked := 0
		for id, statuses := range s.checked {
			if strings.HasPrefix(id, service) {
				errorsChecked += len(slices.DeleteFunc(slices.Clone(statuses), func(c int) bool { return c < 400 }))
			}
		}
		if errorsChecked == 0 {
			t.Errorf("no error answer of %s* was checked", service)
		}
	}
}

// bodyRequests says where and as whom to send the body of each operation
// that has one, so that the handler reads the body before any other check
// can fail.
var bodyRequests = map[string]struct {
	target string
	caller *auth.Identity
	header map[string]string
}{
	"users-register":         {"/users/register", nil, nil},
	"users-login":            {"/users/login", nil, nil},
	"users-update":           {"/users/user-1", &auth.Identity{UserID: "user-1", Role: auth.RoleCustomer}, nil},
	"catalog-create-product": {"/products", admin, nil},
	"catalog-set-inventory":  {"/products/p-1/inventory", admin, nil},
	"cart-put-item":          {"/cart/items/mug", shopper, nil},
	"orders-checkout":        {"/checkout", shopper, map[string]string{"Idempotency-Key": "models-1"}},
	"orders-set-status":      {"/orders/o-1/status", admin, nil},
}

// TestHandlersAgreeWithModels sends the bodies derived from each
// documented example to the real handler: it must refuse those the model
// refuses (an unknown field, a missing required field) with the matching
// code, and must not call a field the document makes optional missing.
func TestHandlersAgreeWithModels(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for _, id := range keys(s.ops) {
		model, ok := api.RequestModel(id)
		if !ok {
			continue
		}
		where, ok := bodyRequests[id]
		if !ok {
			t.Errorf("%s: add the operation to bodyRequests", id)
			continue
		}
		for _, sample := range samples(t, s.example(t, id), model) {
			r := s.request(t, id, where.target, sample.body, where.caller)
			for k, v := range where.header {
				r.Header.Set(k, v)
			}
			if sample.accept {
				if rec := s.serve(t, id, r, 0); rec.Code == http.StatusBadRequest {
					t.Errorf("%s, %s: the model accepts it, the handler answers %s", id, sample.name, rec.Body)
				}
				continue
			}
			rec := s.serve(t, id, r, 400)
			want := "missing_field"
			if strings.HasPrefix(sample.name, "unknown field") {
				want = "unknown_field"
			}
			if !strings.Contains(rec.Body.String(), `"code":"`+want+`"`) {
				t.Errorf("%s, %s: %s, want code %s", id, sample.name, rec.Body, want)
			}
		}
	}
}
