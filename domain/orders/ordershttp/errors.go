package ordershttp

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// domainErrors maps the orders' errors to API errors. Messages are fixed
// here: the domain's own messages stay in the logs.
var domainErrors = []struct {
	err    error
	status int
	code   string
	msg    string
}{
	{orders.ErrInvalidIdempotencyKey, http.StatusBadRequest, "invalid_idempotency_key", fmt.Sprintf("Idempotency-Key must be 1 to %d visible ASCII characters", orders.MaxIdempotencyKeyLen)},
	{orders.ErrInvalidLines, http.StatusUnprocessableEntity, "invalid_items", fmt.Sprintf("items must hold 1 to %d lines", orders.MaxLines)},
	{orders.ErrInvalidQuantity, http.StatusUnprocessableEntity, "invalid_quantity", fmt.Sprintf("quantity must be from 1 to %d per product", orders.MaxQuantity)},
	{orders.ErrInvalidProductID, http.StatusUnprocessableEntity, "invalid_product_id", "productId must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -"},
	{orders.ErrUnknownProduct, http.StatusUnprocessableEntity, "unknown_product", "an item names a product the catalog does not have"},
	{orders.ErrMixedCurrencies, http.StatusUnprocessableEntity, "mixed_currencies", "the products are priced in different currencies; check them out separately"},
	{orders.ErrInvalidPaymentToken, http.StatusUnprocessableEntity, "invalid_payment_token", fmt.Sprintf("paymentToken must be 1 to %d printable bytes", orders.MaxPaymentTokenLen)},
	{orders.ErrInvalidCountry, http.StatusUnprocessableEntity, "invalid_country", "shippingAddress.country must be an ISO 3166-1 alpha-2 code such as GB"},
	{orders.ErrIdempotencyKeyReused, http.StatusUnprocessableEntity, "idempotency_key_reused", "this Idempotency-Key was used with another request body"},
	{orders.ErrInvalidStatus, http.StatusUnprocessableEntity, "invalid_status", "status must be SHIPPED or DELIVERED"},
	{orders.ErrInvalidTransition, http.StatusConflict, "invalid_transition", "the order cannot move to this status from its current one"},
	{orders.ErrInvalidCursor, http.StatusBadRequest, "invalid_cursor", "cursor is not a cursor of this listing; start again without it"},
	{orders.ErrInvalidLimit, http.StatusBadRequest, "invalid_limit", fmt.Sprintf("limit must be an integer from 1 to %d", orders.MaxLimit)},
	{orders.ErrNotFound, http.StatusNotFound, "order_not_found", "order not found"},
	{orders.ErrConflict, http.StatusConflict, "conflict", "the order changed concurrently; try again"},
	{orders.ErrSagaNotStarted, http.StatusServiceUnavailable, "checkout_not_started", "the order is recorded but its processing could not start; retry with the same Idempotency-Key"},
	{orders.ErrCatalogUnavailable, http.StatusServiceUnavailable, "catalog_unavailable", "the catalog did not answer; nothing was ordered, retry with the same Idempotency-Key"},
}

// apiError returns the *httpapi.Error for a known orders error, or err
// itself for httpapi.Fail to log and answer with a 500.
func apiError(err error) error {
	var addr *orders.AddressError
	if errors.As(err, &addr) {
		return httpapi.Unprocessable("invalid_shipping_address", fmt.Sprintf("shippingAddress.%s is missing, too long or not printable", addr.Field))
	}
	for _, m := range domainErrors {
		if errors.Is(err, m.err) {
			return httpapi.NewError(m.status, m.code, m.msg)
		}
	}
	return err
}

func missing(field string) error {
	return httpapi.BadRequest("missing_field", fmt.Sprintf("field %q is required", field))
}

// errOrderNotFound answers both an unknown order and another user's, so
// ids cannot be probed.
var errOrderNotFound = httpapi.NotFound("order_not_found", "order not found")

// errUserNotFound answers a listing of another user's orders, as GET
// /users/{id} does for another user.
var errUserNotFound = httpapi.NotFound("user_not_found", "user not found")
