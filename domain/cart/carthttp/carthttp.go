// Package carthttp serves the cart over HTTP: one handler per operation of
// the cart service. Every operation acts on the cart of the authenticated
// caller; no path or body names a user.
package carthttp

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// Handlers returns the handler of every cart route, keyed by the function
// names of internal/routes.
func Handlers(svc *cart.Service) map[string]http.Handler {
	return map[string]http.Handler{
		"cart-get":            Get(svc),
		"cart-put-item":       PutItem(svc),
		"cart-remove-item":    RemoveItem(svc),
		"cart-save-for-later": SaveForLater(svc),
		"cart-move-to-cart":   MoveToCart(svc),
		"cart-remove-saved":   RemoveSaved(svc),
	}
}

// productID reads and validates the {productId} path parameter.
func productID(r *http.Request) (string, error) {
	id := r.PathValue("productId")
	if err := cart.ValidateProductID(id); err != nil {
		return "", httpapi.BadRequest("invalid_product_id",
			fmt.Sprintf("product id must be 1 to %d letters, digits or '-'", cart.MaxProductIDLength))
	}
	return id, nil
}

// fail answers err, mapping the cart's errors to the API's codes.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.Fail(w, r, apiError(err))
}

func apiError(err error) error {
	var stock *cart.InsufficientStockError
	switch {
	case errors.As(err, &stock):
		return httpapi.Unprocessable("insufficient_stock",
			fmt.Sprintf("only %d unit(s) of product %s are available; %d requested", stock.Available, stock.ProductID, stock.Requested))
	case errors.Is(err, cart.ErrInvalidProductID):
		return httpapi.BadRequest("invalid_product_id",
			fmt.Sprintf("product id must be 1 to %d letters, digits or '-'", cart.MaxProductIDLength))
	case errors.Is(err, cart.ErrInvalidQuantity):
		return httpapi.Unprocessable("invalid_quantity",
			fmt.Sprintf("quantity must be an integer from %d to %d", cart.MinQuantity, cart.MaxQuantity))
	case errors.Is(err, cart.ErrCartFull):
		return httpapi.Unprocessable("cart_full",
			fmt.Sprintf("the cart already holds the maximum of %d distinct items", cart.MaxItems))
	case errors.Is(err, cart.ErrSavedFull):
		return httpapi.Unprocessable("saved_full",
			fmt.Sprintf("the saved-for-later list already holds the maximum of %d items", cart.MaxSavedItems))
	case errors.Is(err, cart.ErrProductNotFound):
		return httpapi.NotFound("product_not_found", "no such product in the catalog")
	case errors.Is(err, cart.ErrItemNotFound):
		return httpapi.NotFound("item_not_found", "no such item in the cart")
	case errors.Is(err, cart.ErrConflict):
		return httpapi.Conflict("conflict", "the cart was changed concurrently; retry the request")
	case errors.Is(err, cart.ErrCatalogUnavailable):
		return httpapi.NewError(http.StatusServiceUnavailable, "catalog_unavailable", "the catalog did not answer; the cart is unchanged, retry later")
	}
	return err
}
