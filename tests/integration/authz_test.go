package integration

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

// TestAuthzOtherUsersData: user B can neither read nor change user A's
// profile, orders, payment, notifications or cart; each attempt is answered
// as the contract documents for the route (another user's resource looks
// exactly like one that does not exist), and A's data reads back unchanged.
func TestAuthzOtherUsersData(t *testing.T) {
	t.Parallel()
	a, b := newUser(t), newUser(t)
	category := unique("authz")
	bought, carted := newProduct(t, category, 5), newProduct(t, category, 5)
	want(t, "A puts an item in the cart", call(t, request{method: "PUT", path: "/cart/items/" + carted.ID, token: a.Token, body: map[string]any{"quantity": 2}}), http.StatusOK)
	o := settled(t, a, placeOrder(t, a, checkoutBody("tok_visa", line{ProductID: bought.ID, Quantity: 1})))
	if o.Status != "CONFIRMED" || o.PaymentID == "" {
		t.Fatalf("A's order %s is %s (%s) with payment %q, want CONFIRMED with a payment", o.ID, o.Status, o.FailureReason, o.PaymentID)
	}
	if p := getPayment(t, a, o.PaymentID); p.Status != "SUCCEEDED" || p.OrderID != o.ID || p.UserID != a.ID {
		t.Fatalf("A's payment: %+v, want SUCCEEDED for order %s of %s", p, o.ID, a.ID)
	}
	// Wait for what arrives through events, so that A's data is at rest
	// before the attempts: a notification, and the order listed under A's
	// name.
	eventually(t, 60*time.Second, "A has notifications", func() (bool, string) {
		ns := notificationIDs(t, a, a.ID)
		return len(ns) > 0, strings.Join(ns, ",")
	})
	eventually(t, 60*time.Second, "A's order is listed under A's name", func() (bool, string) {
		res := call(t, request{method: "GET", path: "/users/" + a.ID + "/orders", token: a.Token})
		var page struct {
			Items []struct{ ID, Status, UserName string }
		}
		res.decode(t, &page)
		for _, s := range page.Items {
			if s.ID == o.ID {
				return s.Status == "CONFIRMED" && s.UserName == a.Name, res.String()
			}
		}
		return false, res.String()
	})
	before := readOwnData(t, a, o.ID, o.PaymentID)
	notesBefore := notificationIDs(t, a, a.ID)

	unknown := uuid.NewString()
	attempts := []struct {
		what    string
		req     request
		unknown string // the same request for a resource nobody has; "" when the answer is not a not-found
		status  int
		code    string
	}{
		{"read A's profile", request{method: "GET", path: "/users/" + a.ID}, "/users/" + unknown, http.StatusNotFound, "user_not_found"},
		{"rename A", request{method: "PUT", path: "/users/" + a.ID, body: map[string]any{"name": "Mallory"}}, "/users/" + unknown, http.StatusNotFound, "user_not_found"},
		{"read A's order", request{method: "GET", path: "/orders/" + o.ID}, "/orders/" + unknown, http.StatusNotFound, "order_not_found"},
		{"list A's orders", request{method: "GET", path: "/users/" + a.ID + "/orders"}, "/users/" + unknown + "/orders", http.StatusNotFound, "user_not_found"},
		{"ship A's order", request{method: "PATCH", path: "/orders/" + o.ID + "/status", body: map[string]any{"status": "SHIPPED"}}, "", http.StatusForbidden, "forbidden"},
		{"read A's payment", request{method: "GET", path: "/payments/" + o.PaymentID}, "/payments/" + unknown, http.StatusNotFound, "payment_not_found"},
		{"refund A's payment", request{method: "POST", path: "/payments/" + o.PaymentID + "/refund"}, "", http.StatusForbidden, "forbidden"},
		{"list A's notifications", request{method: "GET", path: "/users/" + a.ID + "/notifications"}, "/users/" + unknown + "/notifications", http.StatusNotFound, "user_not_found"},
	}
	for _, at := range attempts {
		at.req.token = b.Token
		res := call(t, at.req)
		if res.status != at.status || res.code() != at.code {
			t.Errorf("B tries to %s: %s %s = %s, want %d %s", at.what, at.req.method, at.req.path, res, at.status, at.code)
			continue
		}
		if problem := envelopeProblem(res); problem != "" {
			t.Errorf("B tries to %s: %s", at.what, problem)
		}
		if at.unknown == "" {
			continue
		}
		other := at.req
		other.path = at.unknown
		nobody := call(t, other)
		if nobody.status != res.status {
			t.Errorf("B tries to %s: %d, but %s %s = %s: another user's resource must look unknown", at.what, res.status, other.method, other.path, nobody)
		} else if diff := cmp.Diff(withoutRequestID(t, nobody), withoutRequestID(t, res)); diff != "" {
			t.Errorf("B tries to %s: the answer differs from an unknown resource's (-unknown +A's):\n%s", at.what, diff)
		}
	}

	// The cart routes name no user: B only ever reaches B's own cart.
	if c := getCart(t, b); len(c.Items) != 0 || len(c.Saved) != 0 {
		t.Errorf("B's cart is not empty: %+v", c)
	}
	res := call(t, request{method: "DELETE", path: "/cart/items/" + carted.ID, token: b.Token})
	if res.status != http.StatusNoContent {
		t.Errorf("B removes A's product from B's cart = %s, want 204 (removing what is not there succeeds)", res)
	}
	res = call(t, request{method: "POST", path: "/cart/items/" + carted.ID + "/save-for-later", token: b.Token})
	if res.status != http.StatusNotFound || res.code() != "item_not_found" {
		t.Errorf("B saves A's cart item for later = %s, want 404 item_not_found", res)
	}
	res = call(t, request{method: "DELETE", path: "/cart/saved/" + carted.ID, token: b.Token})
	if res.status != http.StatusNoContent {
		t.Errorf("B removes A's product from B's saved list = %s, want 204", res)
	}
	if c := getCart(t, b); len(c.Items) != 0 || len(c.Saved) != 0 {
		t.Errorf("B's cart after the attempts: %+v, want empty", c)
	}

	after := readOwnData(t, a, o.ID, o.PaymentID)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("A's data changed through B's attempts (-before +after):\n%s", diff)
	}
	if c := after["cart"].(map[string]any); len(c["items"].([]any)) != 1 {
		t.Errorf("A's cart lost its item: %v", c)
	}
	notesAfter := map[string]bool{}
	for _, id := range notificationIDs(t, a, a.ID) {
		notesAfter[id] = true
	}
	for _, id := range notesBefore {
		if !notesAfter[id] {
			t.Errorf("A's notification %s is gone", id)
		}
	}
}

// readOwnData reads, as u, everything of u's that B attempts to reach.
func readOwnData(t testing.TB, u user, orderID, paymentID string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for name, path := range map[string]string{
		"profile": "/users/" + u.ID,
		"order":   "/orders/" + orderID,
		"orders":  "/users/" + u.ID + "/orders",
		"payment": "/payments/" + paymentID,
		"cart":    "/cart",
	} {
		res := call(t, request{method: "GET", path: path, token: u.Token})
		want(t, "read own "+name, res, http.StatusOK)
		var v any
		res.decode(t, &v)
		out[name] = v
	}
	return out
}

// notificationIDs lists the ids of the first page of id's notifications, as u.
func notificationIDs(t testing.TB, u user, id string) []string {
	t.Helper()
	res := call(t, request{method: "GET", path: "/users/" + id + "/notifications?limit=100", token: u.Token})
	want(t, "list notifications", res, http.StatusOK)
	var page struct{ Items []struct{ ID string } }
	res.decode(t, &page)
	var out []string
	for _, n := range page.Items {
		out = append(out, n.ID)
	}
	return out
}

// TestAuthzNoValidToken: every operation the OpenAPI document marks as
// authenticated answers 401 `unauthorized` without a token, with garbage,
// and with a JWT whose signature, claims or algorithm were tampered with;
// and the attempts change nothing.
func TestAuthzNoValidToken(t *testing.T) {
	t.Parallel()
	doc := fetchAPIDocument(t)
	a := newUser(t)
	p := newProduct(t, unique("authn"), 5)
	want(t, "put an item in the cart", call(t, request{method: "PUT", path: "/cart/items/" + p.ID, token: a.Token, body: map[string]any{"quantity": 1}}), http.StatusOK)
	o := settled(t, a, placeOrder(t, a, checkoutBody("tok_visa", line{ProductID: p.ID, Quantity: 1})))
	if o.Status != "CONFIRMED" || o.PaymentID == "" {
		t.Fatalf("order %s is %s (%s), want CONFIRMED with a payment", o.ID, o.Status, o.FailureReason)
	}
	eventually(t, 60*time.Second, "the order is listed under the user's name", func() (bool, string) {
		res := call(t, request{method: "GET", path: "/users/" + a.ID + "/orders", token: a.Token})
		var page struct {
			Items []struct{ ID, UserName string }
		}
		res.decode(t, &page)
		return len(page.Items) == 1 && page.Items[0].UserName == a.Name, res.String()
	})
	before := readOwnData(t, a, o.ID, o.PaymentID)

	tokens := []struct{ name, token string }{
		{"no token", ""},
		{"a garbage token", "garbage"},
	}
	parts := strings.Split(a.Token, ".")
	if len(parts) != 3 {
		t.Errorf("the login token is not a JWT of three parts: %.40q", a.Token)
	} else {
		sig := []byte(parts[2])
		i := len(sig) / 2
		if sig[i] == 'A' {
			sig[i] = 'B'
		} else {
			sig[i] = 'A'
		}
		tokens = append(tokens,
			struct{ name, token string }{"a token with a tampered signature", parts[0] + "." + parts[1] + "." + string(sig)},
			struct{ name, token string }{"a token whose claims make it an admin", parts[0] + "." + adminClaims(t, parts[1]) + "." + parts[2]},
			struct{ name, token string }{"an unsigned token (alg none)", b64(`{"alg":"none","typ":"JWT"}`) + "." + parts[1] + "."},
		)
	}
	ids := validIDs{user: a.ID, product: p.ID, order: o.ID, payment: o.PaymentID, category: p.Category}
	ops := doc.operations(t)
	checked := 0
	for _, op := range ops {
		if !op.authenticated {
			continue
		}
		checked++
		path, err := ids.fill(op, "", "")
		if err != nil {
			t.Errorf("%s %s: %v", op.method, op.path, err)
			continue
		}
		for _, tok := range tokens {
			req := request{method: op.method, path: path, token: tok.token, headers: map[string]string{}}
			if op.body != nil {
				req.raw = op.example
			}
			for _, param := range op.params {
				if param.In == "header" && param.Required {
					req.headers[param.Name] = unique("authn")
				}
			}
			res, err := send(req)
			if err != nil {
				t.Errorf("%s %s with %s: %v", op.method, op.path, tok.name, err)
				continue
			}
			if res.status != http.StatusUnauthorized || res.code() != "unauthorized" {
				t.Errorf("%s %s with %s = %s, want 401 unauthorized", op.method, op.path, tok.name, res)
			} else if problem := envelopeProblem(res); problem != "" {
				t.Errorf("%s %s with %s: %s", op.method, op.path, tok.name, problem)
			}
		}
	}
	if checked == 0 {
		t.Fatal("the OpenAPI document marks no operation as authenticated")
	}
	if diff := cmp.Diff(before, readOwnData(t, a, o.ID, o.PaymentID)); diff != "" {
		t.Errorf("requests without a valid token changed the user's data (-before +after):\n%s", diff)
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// adminClaims returns the JWT payload with every claim that looks like a
// role set to admin (or a role claim added).
func adminClaims(t testing.TB, payload string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Errorf("the token's payload is not base64url: %v", err)
		return payload
	}
	var claims map[string]any
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Errorf("the token's payload is not a JSON object: %v", err)
		return payload
	}
	set := false
	for k := range claims {
		if strings.Contains(strings.ToLower(k), "role") {
			claims[k], set = "admin", true
		}
	}
	if !set {
		claims["role"] = "admin"
	}
	b, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(b)
}
