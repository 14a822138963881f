package cart

import (
	"errors"
	"fmt"
)

// Sentinel errors of the cart.
var (
	// ErrInvalidUserID is returned for an empty owner.
	ErrInvalidUserID = errors.New("invalid user id")
	// ErrInvalidProductID is returned for a product id outside the allowed
	// length and alphabet.
	ErrInvalidProductID = errors.New("invalid product id")
	// ErrInvalidQuantity is returned for a quantity outside MinQuantity..MaxQuantity.
	ErrInvalidQuantity = errors.New("invalid quantity")
	// ErrProductNotFound is returned when the catalog does not know the product.
	ErrProductNotFound = errors.New("product not found")
	// ErrItemNotFound is returned when the cart has no such active or saved item.
	ErrItemNotFound = errors.New("item not found")
	// ErrCartFull is returned when adding an item would exceed MaxItems.
	ErrCartFull = fmt.Errorf("cart holds the maximum of %d items", MaxItems)
	// ErrSavedFull is returned when saving an item would exceed MaxSavedItems.
	ErrSavedFull = fmt.Errorf("saved-for-later list holds the maximum of %d items", MaxSavedItems)
	// ErrConflict is returned when concurrent changes kept a change from
	// being applied; the caller may retry.
	ErrConflict = errors.New("cart changed concurrently")
	// ErrCatalogUnavailable is returned when the catalog could not be
	// asked about a product (it failed, timed out, or its circuit is open);
	// the cart is unchanged and the caller may retry later.
	ErrCatalogUnavailable = errors.New("catalog unavailable")
)

// InsufficientStockError is returned when the catalog has fewer units of a
// product available than requested.
type InsufficientStockError struct {
	ProductID string
	Requested int
	Available int
}

func (e *InsufficientStockError) Error() string {
	return fmt.Sprintf("product %s: %d requested, %d available", e.ProductID, e.Requested, e.Available)
}
