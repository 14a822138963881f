package carthttp

import (
	"context"
	"net/http"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// Get serves GET /cart: the caller's cart, empty if never used.
func Get(svc *cart.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		c, err := svc.Get(r.Context(), caller.UserID)
		if err != nil {
			fail(w, r, err)
			return
		}
		respondCart(w, r, c)
	})
}

// PutItem serves PUT /cart/items/{productId} with body {"quantity": n}:
// sets the quantity of the product in the caller's cart and answers the cart.
func PutItem(svc *cart.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID, id, err := itemRequest(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		var req putItemRequest
		if err := httpapi.Decode(r, &req); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		if req.Quantity == nil {
			httpapi.Fail(w, r, httpapi.BadRequest("missing_field", `field "quantity" is required`))
			return
		}
		c, err := svc.PutItem(r.Context(), userID, id, *req.Quantity)
		if err != nil {
			fail(w, r, err)
			return
		}
		respondCart(w, r, c)
	})
}

// RemoveItem serves DELETE /cart/items/{productId}: 204 whether or not the
// item was in the caller's cart.
func RemoveItem(svc *cart.Service) http.Handler { return removal(svc.RemoveItem) }

// SaveForLater serves POST /cart/items/{productId}/save-for-later: moves the
// item to the saved list and answers the cart.
func SaveForLater(svc *cart.Service) http.Handler { return move(svc.SaveForLater) }

// MoveToCart serves POST /cart/saved/{productId}/move-to-cart: moves the
// saved item back with quantity 1 and answers the cart.
func MoveToCart(svc *cart.Service) http.Handler { return move(svc.MoveToCart) }

// RemoveSaved serves DELETE /cart/saved/{productId}: 204 whether or not the
// item was saved.
func RemoveSaved(svc *cart.Service) http.Handler { return removal(svc.RemoveSaved) }

// itemRequest reads the caller and the product id of an item route.
func itemRequest(r *http.Request) (userID, product string, err error) {
	caller, err := httpapi.Caller(r)
	if err != nil {
		return "", "", err
	}
	id, err := productID(r)
	if err != nil {
		return "", "", err
	}
	return caller.UserID, id, nil
}

// move serves a route that moves one item between the lists and answers
// the cart.
func move(op func(ctx context.Context, userID, productID string) (*cart.Cart, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID, id, err := itemRequest(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		c, err := op(r.Context(), userID, id)
		if err != nil {
			fail(w, r, err)
			return
		}
		respondCart(w, r, c)
	})
}

// removal serves a route that removes one item and answers 204.
func removal(op func(ctx context.Context, userID, productID string) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		userID, id, err := itemRequest(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		if err := op(r.Context(), userID, id); err != nil {
			fail(w, r, err)
			return
		}
		httpapi.Respond(w, http.StatusNoContent, nil)
	})
}
