package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// httpClient does not follow redirects: the API never redirects, so a
// redirect is an answer to see (and, from outside the stage, a bug).
var httpClient = &http.Client{
	Timeout:       60 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// request is one call of the API.
type request struct {
	method  string
	path    string // below the stage URL, e.g. "/users/register"
	token   string // sent as a bearer token when set
	headers map[string]string
	body    any    // encoded as JSON unless nil
	raw     []byte // sent as is when set (body is then ignored)
}

// response is the API's answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// decode unmarshals the body into v, failing the test when it is not JSON.
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("response %d is not the JSON expected: %v\n%.500s", r.status, err, r.body)
	}
}

// code is the machine-readable code of an error response, "" when the body
// is not the API's error envelope.
func (r response) code() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

func (r response) String() string { return fmt.Sprintf("%d %.600s", r.status, r.body) }

// call sends req and returns the answer; a transport error fails the test.
func call(t testing.TB, req request) response {
	t.Helper()
	res, err := send(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	return res
}

func send(req request) (response, error) {
	var body io.Reader
	switch {
	case req.raw != nil:
		body = bytes.NewReader(req.raw)
	case req.body != nil:
		b, err := json.Marshal(req.body)
		if err != nil {
			return response{}, err
		}
		body = bytes.NewReader(b)
	}
	hr, err := http.NewRequest(req.method, stack.api+req.path, body)
	if err != nil {
		return response{}, err
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if req.token != "" {
		hr.Header.Set("Authorization", "Bearer "+req.token)
	}
	for k, v := range req.headers {
		hr.Header.Set(k, v)
	}
	res, err := httpClient.Do(hr)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: res.StatusCode, header: res.Header, body: b}, nil
}

// want fails the test unless res has the status.
func want(t testing.TB, what string, res response, status int) {
	t.Helper()
	if res.status != status {
		t.Fatalf("%s = %s, want %d", what, res, status)
	}
}

// eventually polls check every 250 ms until it reports done or timeout
// passes, when it fails the test with the last state check described.
func eventually(t testing.TB, timeout time.Duration, what string, check func() (done bool, state string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		done, state := check()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; last seen: %s", what, timeout, state)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

var seq atomic.Int64

// unique returns a name no other run or test uses.
func unique(prefix string) string {
	return fmt.Sprintf("%s-%s-%d", prefix, stack.run, seq.Add(1))
}

// user is an account the suite registered and logged in.
type user struct {
	ID, Email, Password, Name, Token string
}

// newUser registers and logs in a new customer.
func newUser(t testing.TB) user {
	t.Helper()
	u := user{Email: unique("shopper") + "@example.com", Password: "correct horse battery " + unique("pw"), Name: "Ada " + stack.run}
	secret("password", u.Password)
	res := call(t, request{method: "POST", path: "/users/register", body: map[string]any{"email": u.Email, "password": u.Password, "name": u.Name}})
	want(t, "register", res, http.StatusCreated)
	return login(t, u)
}

func login(t testing.TB, u user) user {
	t.Helper()
	res := call(t, request{method: "POST", path: "/users/login", body: map[string]any{"email": u.Email, "password": u.Password}})
	want(t, "login "+u.Email, res, http.StatusOK)
	var l struct {
		Token string
		User  struct{ ID, Role, Name string }
	}
	res.decode(t, &l)
	if l.Token == "" || l.User.ID == "" {
		t.Fatalf("login %s: no token or user id: %s", u.Email, res)
	}
	u.Token, u.ID, u.Name = l.Token, l.User.ID, l.User.Name
	secret("bearer token", u.Token)
	return u
}

var adminOnce struct {
	sync.Mutex
	user user
}

// admin returns the suite's admin, registering the account on first use.
// Its email must be in the stack's adminEmails (make test-integration
// synthesizes the app so; see the package documentation for the others).
func admin(t testing.TB) user {
	t.Helper()
	adminOnce.Lock()
	defer adminOnce.Unlock()
	if adminOnce.user.Token != "" {
		return adminOnce.user
	}
	u := user{Email: stack.adminEmail, Password: stack.adminPassword, Name: "Integration Admin"}
	secret("password", u.Password)
	res := call(t, request{method: "POST", path: "/users/login", body: map[string]any{"email": u.Email, "password": u.Password}})
	if res.status == http.StatusUnauthorized {
		reg := call(t, request{method: "POST", path: "/users/register", body: map[string]any{"email": u.Email, "password": u.Password, "name": u.Name}})
		if reg.status != http.StatusCreated {
			t.Fatalf("register the admin %s = %s (a 409 means the account exists with another password: set GOSHOP_ADMIN_PASSWORD)", u.Email, reg)
		}
	}
	u = login(t, u)
	res = call(t, request{method: "GET", path: "/users/" + u.ID, token: u.Token})
	want(t, "admin profile", res, http.StatusOK)
	var p struct{ Role string }
	res.decode(t, &p)
	if p.Role != "admin" {
		t.Fatalf("%s is a %s, not an admin: add it to the stack's adminEmails (cdk -c adminEmails=...)", u.Email, p.Role)
	}
	adminOnce.user = u
	return u
}

// money is the API's amount of money.
type money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// product is the API's product.
type product struct {
	ID, SKU, Name, Category string
	Price                   money
	Stock                   struct{ Available, Reserved int64 }
}

// newProduct creates a product with stock units available, priced 12.99 USD.
func newProduct(t testing.TB, category string, stock int64) product {
	t.Helper()
	sku := strings.ToUpper(unique("IT"))
	res := call(t, request{method: "POST", path: "/products", token: admin(t).Token, body: map[string]any{
		"sku": sku, "name": "Pour-over kettle " + sku, "description": "Gooseneck, 1 l", "category": category,
		"price": map[string]any{"amount": 1299, "currency": "USD"}, "initialStock": stock,
	}})
	want(t, "create product", res, http.StatusCreated)
	var p product
	res.decode(t, &p)
	if p.ID == "" || p.Stock.Available != stock {
		t.Fatalf("created product: %s", res)
	}
	return p
}

// getProduct reads a product.
func getProduct(t testing.TB, id string) product {
	t.Helper()
	res := call(t, request{method: "GET", path: "/products/" + id})
	want(t, "get product "+id, res, http.StatusOK)
	var p product
	res.decode(t, &p)
	return p
}

// order is the API's order.
type order struct {
	ID, UserID, UserName, Status, FailureReason, PaymentID string
	Total                                                  money
	Lines                                                  []struct {
		ProductID string
		Quantity  int64
	}
	History []struct{ Status, Reason string }
}

// line is one line of a checkout.
type line struct {
	ProductID string `json:"productId"`
	Quantity  int64  `json:"quantity"`
}

// checkoutBody is a checkout of lines paid with the sandbox card token.
func checkoutBody(token string, lines ...line) map[string]any {
	secret("payment token", token)
	return map[string]any{
		"items":        lines,
		"paymentToken": token,
		"shippingAddress": map[string]any{
			"name": "Ada Shopper", "line1": "1 Loop Road", "city": "Cupertino", "postalCode": "95014", "country": "US",
		},
	}
}

// checkout posts a checkout with an idempotency key and returns the answer.
func checkout(t testing.TB, u user, key string, body map[string]any) response {
	t.Helper()
	return call(t, request{method: "POST", path: "/checkout", token: u.Token, headers: map[string]string{"Idempotency-Key": key}, body: body})
}

// placeOrder checks out and returns the accepted order's id.
func placeOrder(t testing.TB, u user, body map[string]any) string {
	t.Helper()
	res := checkout(t, u, unique("key"), body)
	want(t, "checkout", res, http.StatusAccepted)
	var a struct{ OrderID, Status string }
	res.decode(t, &a)
	if a.OrderID == "" {
		t.Fatalf("checkout: no order id: %s", res)
	}
	return a.OrderID
}

// getOrder reads an order as u.
func getOrder(t testing.TB, u user, id string) order {
	t.Helper()
	res := call(t, request{method: "GET", path: "/orders/" + id, token: u.Token})
	want(t, "get order "+id, res, http.StatusOK)
	var o order
	res.decode(t, &o)
	return o
}

// settled waits until the saga has finished with the order: CONFIRMED or
// CANCELLED.
func settled(t testing.TB, u user, id string) order {
	t.Helper()
	var o order
	eventually(t, 90*time.Second, "order "+id+" settles", func() (bool, string) {
		o = getOrder(t, u, id)
		return o.Status == "CONFIRMED" || o.Status == "CANCELLED", o.Status
	})
	return o
}

// payment is the API's payment.
type payment struct {
	ID, OrderID, UserID, Status, FailureReason string
	Amount                                     money
}

// getPayment reads a payment as u.
func getPayment(t testing.TB, u user, id string) payment {
	t.Helper()
	res := call(t, request{method: "GET", path: "/payments/" + id, token: u.Token})
	want(t, "get payment "+id, res, http.StatusOK)
	var p payment
	res.decode(t, &p)
	return p
}
