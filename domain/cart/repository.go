package cart

import "context"

// Repository stores carts.
type Repository interface {
	// Get returns the cart of userID; a user without a stored cart has an
	// empty one.
	Get(ctx context.Context, userID string) (*Cart, error)
	// Update reads the cart of userID, applies fn and stores the result
	// atomically. An error from fn is returned as it is and nothing is
	// stored. When the cart changed concurrently, Update reads it again and
	// re-applies fn, so fn must have no effect outside the cart; when that
	// keeps failing it returns ErrConflict.
	Update(ctx context.Context, userID string, fn func(*Cart) error) error
}
