package catalog

import (
	"errors"
	"fmt"
)

// Sentinel errors of the catalog. Validation errors are wrapped with the
// offending value; test them with errors.Is.
var (
	// ErrNotFound is returned when no product has the id.
	// ProductNotFoundError unwraps to it.
	ErrNotFound = errors.New("product not found")
	// ErrSKUTaken is returned when another product already has the SKU.
	ErrSKUTaken = errors.New("sku already taken")
	// ErrConflict is returned when a concurrent change won and retrying did
	// not get through.
	ErrConflict = errors.New("concurrent modification")
	// ErrInvalidCursor is returned for a search cursor that is malformed or
	// belongs to another query.
	ErrInvalidCursor = errors.New("invalid cursor")

	// ErrInvalidSKU is returned for a SKU outside [A-Z0-9-]{1,40}.
	ErrInvalidSKU = errors.New("invalid sku")
	// ErrInvalidName is returned for a blank, too long or non-printable name.
	ErrInvalidName = errors.New("invalid name")
	// ErrInvalidDescription is returned for a too long or non-printable
	// description.
	ErrInvalidDescription = errors.New("invalid description")
	// ErrInvalidCategory is returned for a category that is not a slug
	// [a-z0-9-]{1,50}.
	ErrInvalidCategory = errors.New("invalid category")
	// ErrInvalidPrice is returned for a price amount that is not positive.
	ErrInvalidPrice = errors.New("invalid price")
	// ErrInvalidCurrency is returned for a currency that is not an ISO 4217
	// code.
	ErrInvalidCurrency = errors.New("invalid currency")
	// ErrInvalidStock is returned for a unit count outside [0, MaxUnits].
	ErrInvalidStock = errors.New("invalid stock")

	// ErrMissingFilter is returned for a search that names neither a
	// category nor a name prefix.
	ErrMissingFilter = errors.New("search needs a category or a name prefix")
	// ErrInvalidQuery is returned for a name prefix longer than
	// MaxQueryRunes or holding control characters.
	ErrInvalidQuery = errors.New("invalid name prefix")
	// ErrInvalidLimit is returned for a page size outside [1, MaxLimit].
	ErrInvalidLimit = errors.New("invalid limit")
	// ErrTooManyIDs is returned for a lookup of more than MaxLookupIDs ids.
	ErrTooManyIDs = fmt.Errorf("at most %d product ids per lookup", MaxLookupIDs)

	// ErrInvalidOrderID is returned for an order id that is not a valid id.
	ErrInvalidOrderID = errors.New("invalid order id")
	// ErrInvalidLines is returned for a reservation of no lines or more
	// than MaxLines.
	ErrInvalidLines = errors.New("invalid reservation lines")
	// ErrInvalidQuantity is returned for a line quantity outside
	// [1, MaxQuantity], after merging lines of the same product.
	ErrInvalidQuantity = errors.New("invalid quantity")
	// ErrInvalidProductID is returned for a line whose product id is not a
	// valid id.
	ErrInvalidProductID = errors.New("invalid product id")

	// ErrReservationNotFound is returned when no reservation is recorded
	// for the order.
	ErrReservationNotFound = errors.New("reservation not found")
	// ErrReservationExists is returned by a repository's conditional create
	// when a reservation (of any status) is already recorded for the order;
	// the Service turns it into the recorded outcome.
	ErrReservationExists = errors.New("reservation already recorded")
	// ErrReservationReleased is returned by Reserve when the order's
	// reservation was released, or released before it was ever made.
	ErrReservationReleased = errors.New("reservation already released")
	// ErrInvalidTransition is returned when a reservation cannot move to
	// the asked status.
	ErrInvalidTransition = errors.New("invalid reservation transition")
)

// ProductNotFoundError names the unknown product of a reservation line. It
// unwraps to ErrNotFound.
type ProductNotFoundError struct {
	ProductID string
}

func (e *ProductNotFoundError) Error() string {
	return fmt.Sprintf("product %s not found", e.ProductID)
}

// Unwrap makes errors.Is(err, ErrNotFound) hold.
func (e *ProductNotFoundError) Unwrap() error { return ErrNotFound }

// InsufficientStockError reports the first line of a reservation that the
// stock could not cover: the product, the units wanted and the units that
// were available when the reservation was refused.
type InsufficientStockError struct {
	ProductID string
	Want      int
	Have      int
}

func (e *InsufficientStockError) Error() string {
	return fmt.Sprintf("insufficient stock for product %s: want %d, have %d", e.ProductID, e.Want, e.Have)
}
