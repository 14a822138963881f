// Package paymentshttp serves the payments' API routes: plain net/http
// handlers over a payments.Service, with the response shapes of the API.
package paymentshttp

import (
	"errors"
	"net/http"
	"time"

	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// Handlers returns the payments' handlers keyed by their function names in
// internal/routes.
func Handlers(svc *payments.Service) map[string]http.Handler {
	return map[string]http.Handler{
		"payments-get":          Get(svc),
		"payments-refund-admin": RefundAdmin(svc),
	}
}

// Get serves GET /payments/{id}: 200 with the payment, to its owner or an
// admin; anyone else gets the 404 of an unknown payment, so payment ids
// cannot be probed.
func Get(svc *payments.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		p, err := svc.Get(r.Context(), r.PathValue("id"))
		if err == nil && !caller.CanAccessUser(p.UserID()) {
			err = payments.ErrNotFound
		}
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toResponse(p))
	})
}

// RefundAdmin serves POST /payments/{id}/refund (admin, no body): refunds
// the charge once and answers 200 with the REFUNDED payment, also when it
// was refunded before; 409 not_refundable for a payment never charged.
func RefundAdmin(svc *payments.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := httpapi.Admin(r); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		p, err := svc.RefundPayment(r.Context(), r.PathValue("id"))
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toResponse(p))
	})
}

// paymentResponse is a payment in the API.
type paymentResponse struct {
	ID            string        `json:"id"`
	OrderID       string        `json:"orderId"`
	UserID        string        `json:"userId"`
	Amount        moneyResponse `json:"amount"`
	Status        string        `json:"status"`
	FailureReason string        `json:"failureReason,omitempty"`
	CreatedAt     string        `json:"createdAt"`
	UpdatedAt     string        `json:"updatedAt"`
}

type moneyResponse struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func toResponse(p payments.Payment) paymentResponse {
	return paymentResponse{
		ID: p.ID(), OrderID: p.OrderID(), UserID: p.UserID(),
		Amount:        moneyResponse{Amount: p.Amount().Amount(), Currency: p.Amount().Currency()},
		Status:        string(p.Status()),
		FailureReason: string(p.FailureReason()),
		CreatedAt:     p.CreatedAt().UTC().Format(time.RFC3339),
		UpdatedAt:     p.UpdatedAt().UTC().Format(time.RFC3339),
	}
}

// domainErrors maps the payments' errors to API errors, with fixed
// messages: the domain's own stay in the logs.
var domainErrors = []struct {
	err    error
	status int
	code   string
	msg    string
}{
	{payments.ErrNotFound, http.StatusNotFound, "payment_not_found", "no payment has this id"},
	{payments.ErrNotRefundable, http.StatusConflict, "not_refundable", "the payment was never charged"},
	{payments.ErrConflict, http.StatusConflict, "conflict", "the payment changed concurrently; try again"},
	{payments.ErrGatewayUnavailable, http.StatusServiceUnavailable, "gateway_unavailable", "the payment gateway is unavailable; try again"},
	{payments.ErrGatewayTimeout, http.StatusServiceUnavailable, "gateway_unavailable", "the payment gateway did not answer in time; try again"},
}

// apiError returns the *httpapi.Error for a known payments error, or err
// itself for httpapi.Fail to log and answer with a 500.
func apiError(err error) error {
	for _, m := range domainErrors {
		if errors.Is(err, m.err) {
			return httpapi.NewError(m.status, m.code, m.msg)
		}
	}
	return err
}
