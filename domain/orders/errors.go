package orders

import (
	"errors"
	"fmt"
)

// Sentinel errors of the orders context. Validation errors are wrapped with
// the offending value; test them with errors.Is.
var (
	// ErrNotFound is returned when no order has the id.
	ErrNotFound = errors.New("order not found")
	// ErrConflict is returned when a concurrent change won and retrying did
	// not get through.
	ErrConflict = errors.New("concurrent modification")
	// ErrInvalidCursor is returned for a listing cursor that is malformed or
	// belongs to another user's listing.
	ErrInvalidCursor = errors.New("invalid cursor")
	// ErrInvalidLimit is returned for a page size outside [1, MaxLimit].
	ErrInvalidLimit = errors.New("invalid limit")

	// ErrIdempotencyNotFound is returned by Repository.Idempotency when the
	// key was never used by the user.
	ErrIdempotencyNotFound = errors.New("idempotency key not recorded")
	// ErrIdempotencyKeyExists is returned by Repository.Create when the
	// user's idempotency key is already recorded (nothing was written).
	ErrIdempotencyKeyExists = errors.New("idempotency key already recorded")
	// ErrIdempotencyKeyReused is returned by Checkout for a key already used
	// by the user with another request body.
	ErrIdempotencyKeyReused = errors.New("idempotency key reused with another request")
	// ErrInvalidIdempotencyKey is returned for a key that is not 1 to
	// MaxIdempotencyKeyLen visible ASCII characters.
	ErrInvalidIdempotencyKey = errors.New("invalid idempotency key")

	// ErrInvalidID is returned for an order or user id that is not 1 to 64
	// characters of [A-Za-z0-9_-].
	ErrInvalidID = errors.New("invalid id")
	// ErrInvalidProductID is returned for a line whose product id is not a
	// valid id.
	ErrInvalidProductID = errors.New("invalid product id")
	// ErrInvalidLines is returned for an order of no lines or more than
	// MaxLines.
	ErrInvalidLines = errors.New("invalid order lines")
	// ErrInvalidQuantity is returned for a line quantity outside
	// [1, MaxQuantity], after merging lines of the same product.
	ErrInvalidQuantity = errors.New("invalid quantity")
	// ErrUnknownProduct is returned when the catalog does not know a
	// product. UnknownProductError unwraps to it.
	ErrUnknownProduct = errors.New("unknown product")
	// ErrMixedCurrencies is returned when the products of an order are not
	// all priced in one currency.
	ErrMixedCurrencies = errors.New("products priced in different currencies")
	// ErrInvalidPaymentToken is returned for a blank, too long or
	// non-printable payment token.
	ErrInvalidPaymentToken = errors.New("invalid payment token")
	// ErrInvalidAddress is returned for a shipping address with a missing,
	// too long or non-printable field. AddressError unwraps to it.
	ErrInvalidAddress = errors.New("invalid shipping address")
	// ErrInvalidCountry is returned for a country that is not an ISO 3166-1
	// alpha-2 code.
	ErrInvalidCountry = errors.New("invalid country")

	// ErrInvalidStatus is returned for a status that is not one of the
	// order statuses, or one an admin may not set.
	ErrInvalidStatus = errors.New("invalid status")
	// ErrInvalidTransition is returned when an order cannot move to the
	// asked status. InvalidTransitionError unwraps to it.
	ErrInvalidTransition = errors.New("invalid status transition")
	// ErrNotConfirmable is returned by Confirm for a cancelled order.
	ErrNotConfirmable = errors.New("order not confirmable")
	// ErrInvalidPaymentID is returned by Confirm for an invalid payment id.
	ErrInvalidPaymentID = errors.New("invalid payment id")
	// ErrInvalidReason is returned by Cancel for a reason that is not 1 to
	// 64 characters of [a-z0-9_].
	ErrInvalidReason = errors.New("invalid cancellation reason")
	// ErrInvalidName is returned for a replicated user name longer than
	// MaxUserNameRunes or holding control characters.
	ErrInvalidName = errors.New("invalid user name")

	// ErrSagaNotStarted is returned by Checkout when the order was recorded
	// but the saga could not be started; retrying the same request starts
	// it.
	ErrSagaNotStarted = errors.New("checkout saga not started")
	// ErrCatalogUnavailable is returned by Checkout when the catalog could
	// not be asked for the products' prices (it failed, timed out, or its
	// circuit is open); nothing was recorded and the request may be retried.
	ErrCatalogUnavailable = errors.New("catalog unavailable")
)

// InvalidTransitionError reports a refused status change. It unwraps to
// ErrInvalidTransition.
type InvalidTransitionError struct {
	From Status
	To   Status
}

func (e *InvalidTransitionError) Error() string {
	return fmt.Sprintf("order cannot go from %s to %s", e.From, e.To)
}

// Unwrap makes errors.Is(err, ErrInvalidTransition) hold.
func (e *InvalidTransitionError) Unwrap() error { return ErrInvalidTransition }

// UnknownProductError names a product the catalog does not know. It
// unwraps to ErrUnknownProduct.
type UnknownProductError struct {
	ProductID string
}

func (e *UnknownProductError) Error() string {
	return fmt.Sprintf("product %s not found in the catalog", e.ProductID)
}

// Unwrap makes errors.Is(err, ErrUnknownProduct) hold.
func (e *UnknownProductError) Unwrap() error { return ErrUnknownProduct }

// AddressError names the invalid field of a shipping address. It unwraps
// to ErrInvalidAddress.
type AddressError struct {
	Field string
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("invalid shipping address: %s", e.Field)
}

// Unwrap makes errors.Is(err, ErrInvalidAddress) hold.
func (e *AddressError) Unwrap() error { return ErrInvalidAddress }
