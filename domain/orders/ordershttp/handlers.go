// Package ordershttp serves the orders' API routes: plain net/http
// handlers over an orders.Service, with the request and response shapes of
// the API.
package ordershttp

import (
	"errors"
	"net/http"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// IdempotencyHeader carries the client's key of a checkout.
const IdempotencyHeader = "Idempotency-Key"

// ReplayedHeader is set to "true" on a checkout answered from an earlier
// request with the same key.
const ReplayedHeader = "Idempotent-Replayed"

// Handlers returns the orders' handlers keyed by their function names in
// internal/routes.
func Handlers(svc *orders.Service) map[string]http.Handler {
	return map[string]http.Handler{
		"orders-checkout":   Checkout(svc),
		"orders-get":        Get(svc),
		"orders-list":       List(svc),
		"orders-set-status": SetStatus(svc),
	}
}

// Checkout serves POST /checkout (authenticated): 202 with the order id and
// status, the same for a replay of the same request under the same
// Idempotency-Key.
func Checkout(svc *orders.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		key, ok := r.Header[http.CanonicalHeaderKey(IdempotencyHeader)]
		if !ok || len(key) == 0 || key[0] == "" {
			httpapi.Fail(w, r, httpapi.BadRequest("missing_idempotency_key", "the Idempotency-Key header is required"))
			return
		}
		var body checkoutRequest
		if err := httpapi.Decode(r, &body); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		req, err := body.toCheckout(caller.UserID, key[0])
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		res, err := svc.Checkout(r.Context(), req)
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		if res.Replayed {
			w.Header().Set(ReplayedHeader, "true")
		}
		w.Header().Set("Location", "/orders/"+res.Order.ID())
		httpapi.Respond(w, http.StatusAccepted, checkoutResponse{
			OrderID: res.Order.ID(), Status: string(res.Order.Status()),
			Links: links{Self: "/orders/" + res.Order.ID()},
		})
	})
}

// Get serves GET /orders/{id} (the order's user or an admin): 200 with the
// order; 404 for an unknown order and for another user's.
func Get(svc *orders.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		o, err := svc.Get(r.Context(), r.PathValue("id"))
		if errors.Is(err, orders.ErrNotFound) || (err == nil && !caller.CanAccessUser(o.UserID())) {
			httpapi.Fail(w, r, errOrderNotFound)
			return
		}
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toOrderResponse(o))
	})
}

// List serves GET /users/{id}/orders (the user or an admin): 200 with one
// page of the user's orders, newest first; limit (1 to 100, default 20)
// and cursor query parameters.
func List(svc *orders.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		userID := r.PathValue("id")
		if !orders.ValidID(userID) || !caller.CanAccessUser(userID) {
			httpapi.Fail(w, r, errUserNotFound)
			return
		}
		limit, err := httpapi.Limit(r, orders.DefaultLimit, orders.MaxLimit)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		page, err := svc.ListByUser(r.Context(), userID, limit, r.URL.Query().Get("cursor"))
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toListResponse(page))
	})
}

// SetStatus serves PATCH /orders/{id}/status (admin): 200 with the order
// once SHIPPED (from CONFIRMED) or DELIVERED (from SHIPPED).
func SetStatus(svc *orders.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := httpapi.Admin(r); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		var req setStatusRequest
		if err := httpapi.Decode(r, &req); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		if req.Status == nil {
			httpapi.Fail(w, r, missing("status"))
			return
		}
		to, err := orders.ParseAdminStatus(*req.Status)
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		o, err := svc.SetStatus(r.Context(), r.PathValue("id"), to)
		if err != nil {
			httpapi.Fail(w, r, apiError(err))
			return
		}
		httpapi.Respond(w, http.StatusOK, toOrderResponse(o))
	})
}
