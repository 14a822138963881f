package paymentshttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentshttp"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/payments/paymentstest"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

var (
	now      = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	admin    = &auth.Identity{UserID: "u-admin", Role: auth.RoleAdmin}
	owner    = &auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}
	stranger = &auth.Identity{UserID: "u-2", Role: auth.RoleCustomer}
)

// patterns are the routes' patterns as internal/routes will list them.
var patterns = map[string]string{
	"payments-get":          "GET /payments/{id}",
	"payments-refund-admin": "POST /payments/{id}/refund",
}

// unavailableRefunds is the sandbox with refunds failing transiently.
type unavailableRefunds struct{ *paymentssandbox.Gateway }

func (unavailableRefunds) Refund(context.Context, string, money.Money) error {
	return fmt.Errorf("refund: %w", payments.ErrGatewayUnavailable)
}

type fixture struct {
	h        http.Handler
	paid     string // SUCCEEDED payment of owner
	declined string // FAILED payment of owner
}

func newFixture(t *testing.T, gw payments.PaymentGateway) fixture {
	t.Helper()
	svc := payments.NewService(paymentstest.NewRepository(), gw, func() time.Time { return now })
	router := httpapi.NewRouter()
	handlers := paymentshttp.Handlers(svc)
	if len(handlers) != len(patterns) {
		t.Fatalf("%d handlers, want %d", len(handlers), len(patterns))
	}
	for function, h := range handlers {
		pattern, ok := patterns[function]
		if !ok {
			t.Fatalf("handler for unknown function %s", function)
		}
		router.Handle(pattern, h)
	}
	amount, _ := money.New(1999, "USD")
	ctx := context.Background()
	if _, err := svc.Process(ctx, payments.ProcessRequest{OrderID: "o-paid", UserID: owner.UserID, Amount: amount, Token: paymentssandbox.TokenVisa}); err != nil {
		t.Fatal(err)
	}
	_, _ = svc.Process(ctx, payments.ProcessRequest{OrderID: "o-declined", UserID: owner.UserID, Amount: amount, Token: paymentssandbox.TokenDeclined})
	return fixture{h: router, paid: payments.PaymentID("o-paid"), declined: payments.PaymentID("o-declined")}
}

func do(t *testing.T, h http.Handler, method, target string, id *auth.Identity) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(""))
	if id != nil {
		req = req.WithContext(auth.WithIdentity(req.Context(), *id))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

type payment struct {
	ID      string `json:"id"`
	OrderID string `json:"orderId"`
	UserID  string `json:"userId"`
	Amount  struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	} `json:"amount"`
	Status        string `json:"status"`
	FailureReason string `json:"failureReason"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
}

func decodePayment(t *testing.T, rec *httptest.ResponseRecorder) payment {
	t.Helper()
	var p payment
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("decode payment: %v", err)
	}
	return p
}

func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	return body.Error.Code
}

func TestGet(t *testing.T) {
	t.Parallel()
	f := newFixture(t, paymentssandbox.New())
	tests := []struct {
		name     string
		id       string
		caller   *auth.Identity
		status   int
		code     string
		wantStat string
	}{
		{"owner", f.paid, owner, http.StatusOK, "", "SUCCEEDED"},
		{"admin", f.paid, admin, http.StatusOK, "", "SUCCEEDED"},
		{"declined", f.declined, owner, http.StatusOK, "", "FAILED"},
		{"stranger", f.paid, stranger, http.StatusNotFound, "payment_not_found", ""},
		{"anonymous", f.paid, nil, http.StatusUnauthorized, "unauthorized", ""},
		{"unknown", "4f9c2b7e-0000-5000-8000-000000000000", admin, http.StatusNotFound, "payment_not_found", ""},
		{"bad id", "bad%20id", admin, http.StatusNotFound, "payment_not_found", ""},
		{"too long", strings.Repeat("a", 65), admin, http.StatusNotFound, "payment_not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(t, f.h, http.MethodGet, "/payments/"+tt.id, tt.caller)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.code != "" {
				if got := errorCode(t, rec); got != tt.code {
					t.Errorf("code %q, want %q", got, tt.code)
				}
				return
			}
			if got := decodePayment(t, rec); got.Status != tt.wantStat || got.ID != tt.id {
				t.Errorf("payment %s %s, want %s %s", got.ID, got.Status, tt.id, tt.wantStat)
			}
		})
	}
}

func TestGetShape(t *testing.T) {
	t.Parallel()
	f := newFixture(t, paymentssandbox.New())
	rec := do(t, f.h, http.MethodGet, "/payments/"+f.declined, owner)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("status %d content type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": f.declined, "orderId": "o-declined", "userId": "u-1",
		"amount": map[string]any{"amount": 1999.0, "currency": "USD"},
		"status": "FAILED", "failureReason": "declined",
		"createdAt": "2026-03-01T12:00:00Z", "updatedAt": "2026-03-01T12:00:00Z",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	rec = do(t, f.h, http.MethodGet, "/payments/"+f.paid, owner)
	if strings.Contains(rec.Body.String(), "failureReason") {
		t.Errorf("a SUCCEEDED payment carries a failureReason: %s", rec.Body)
	}
}

func TestRefundAdmin(t *testing.T) {
	t.Parallel()
	f := newFixture(t, paymentssandbox.New())
	tests := []struct {
		name   string
		id     string
		caller *auth.Identity
		status int
		code   string
	}{
		{"anonymous", f.paid, nil, http.StatusUnauthorized, "unauthorized"},
		{"customer", f.paid, owner, http.StatusForbidden, "forbidden"},
		{"never charged", f.declined, admin, http.StatusConflict, "not_refundable"},
		{"unknown", "4f9c2b7e-0000-5000-8000-000000000000", admin, http.StatusNotFound, "payment_not_found"},
		{"bad id", "bad%21id", admin, http.StatusNotFound, "payment_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(t, f.h, http.MethodPost, "/payments/"+tt.id+"/refund", tt.caller)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if got := errorCode(t, rec); got != tt.code {
				t.Errorf("code %q, want %q", got, tt.code)
			}
		})
	}
}

func TestRefundAdminIsIdempotent(t *testing.T) {
	t.Parallel()
	gw := paymentssandbox.New()
	f := newFixture(t, gw)
	for i := range 2 {
		rec := do(t, f.h, http.MethodPost, "/payments/"+f.paid+"/refund", admin)
		if rec.Code != http.StatusOK {
			t.Fatalf("refund %d: status %d: %s", i, rec.Code, rec.Body)
		}
		if got := decodePayment(t, rec); got.Status != "REFUNDED" || got.ID != f.paid {
			t.Errorf("refund %d: %s %s, want %s REFUNDED", i, got.ID, got.Status, f.paid)
		}
	}
	if charges := gw.Charges("o-paid"); len(charges) != 1 || !charges[0].Refunded {
		t.Errorf("charges %+v, want one, refunded", charges)
	}
}

func TestRefundAdminGatewayUnavailable(t *testing.T) {
	t.Parallel()
	f := newFixture(t, unavailableRefunds{paymentssandbox.New()})
	rec := do(t, f.h, http.MethodPost, "/payments/"+f.paid+"/refund", admin)
	if rec.Code != http.StatusServiceUnavailable || errorCode(t, rec) != "gateway_unavailable" {
		t.Errorf("status %d body %s, want 503 gateway_unavailable", rec.Code, rec.Body)
	}
	rec = do(t, f.h, http.MethodGet, "/payments/"+f.paid, admin)
	if got := decodePayment(t, rec); got.Status != "SUCCEEDED" {
		t.Errorf("status %s after a failed refund, want SUCCEEDED", got.Status)
	}
}
