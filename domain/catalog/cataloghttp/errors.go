package cataloghttp

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// domainErrors maps the catalog's errors to API errors. Messages are fixed
// here: the domain's own messages stay in the logs.
var domainErrors = []struct {
	err    error
	status int
	code   string
	msg    string
}{
	{catalog.ErrInvalidSKU, http.StatusUnprocessableEntity, "invalid_sku", fmt.Sprintf("sku must be 1 to %d characters of A-Z, 0-9 and -", catalog.MaxSKULen)},
	{catalog.ErrInvalidName, http.StatusUnprocessableEntity, "invalid_name", fmt.Sprintf("name must be 1 to %d printable characters", catalog.MaxNameRunes)},
	{catalog.ErrInvalidDescription, http.StatusUnprocessableEntity, "invalid_description", fmt.Sprintf("description must be at most %d printable characters", catalog.MaxDescriptionRunes)},
	{catalog.ErrInvalidCategory, http.StatusUnprocessableEntity, "invalid_category", fmt.Sprintf("category must be a slug of 1 to %d characters of a-z, 0-9 and -", catalog.MaxCategoryLen)},
	{catalog.ErrInvalidPrice, http.StatusUnprocessableEntity, "invalid_price", "price amount must be a positive number of minor units"},
	{catalog.ErrInvalidCurrency, http.StatusUnprocessableEntity, "invalid_currency", "price currency must be an ISO 4217 code such as USD"},
	{catalog.ErrInvalidStock, http.StatusUnprocessableEntity, "invalid_stock", fmt.Sprintf("units must be from 0 to %d", catalog.MaxUnits)},
	{catalog.ErrInvalidQuery, http.StatusBadRequest, "invalid_query", fmt.Sprintf("q must be 1 to %d printable characters", catalog.MaxQueryRunes)},
	{catalog.ErrMissingFilter, http.StatusBadRequest, "missing_filter", "give a category, a name prefix (q), or both"},
	{catalog.ErrInvalidLimit, http.StatusBadRequest, "invalid_limit", fmt.Sprintf("limit must be an integer from 1 to %d", catalog.MaxLimit)},
	{catalog.ErrInvalidCursor, http.StatusBadRequest, "invalid_cursor", "cursor is not a cursor of this search; start again without it"},
	{catalog.ErrNotFound, http.StatusNotFound, "product_not_found", "no product has this id"},
	{catalog.ErrSKUTaken, http.StatusConflict, "sku_taken", "another product already has this sku"},
	{catalog.ErrConflict, http.StatusConflict, "conflict", "the product changed concurrently; try again"},
}

// apiError returns the *httpapi.Error for a known catalog error, or err
// itself for httpapi.Fail to log and answer with a 500.
func apiError(err error) error {
	for _, m := range domainErrors {
		if errors.Is(err, m.err) {
			return httpapi.NewError(m.status, m.code, m.msg)
		}
	}
	return err
}

// searchError is apiError for the query parameters of a search, which are
// 400s like an invalid limit.
func searchError(err error) error {
	if errors.Is(err, catalog.ErrInvalidCategory) {
		return httpapi.BadRequest("invalid_category", fmt.Sprintf("category must be a slug of 1 to %d characters of a-z, 0-9 and -", catalog.MaxCategoryLen))
	}
	return apiError(err)
}

func missing(field string) error {
	return httpapi.BadRequest("missing_field", fmt.Sprintf("field %q is required", field))
}
