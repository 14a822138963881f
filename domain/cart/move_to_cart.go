package cart

import (
	"context"
	"fmt"
)

// MoveToCart moves the saved productID back to the active items of userID's
// cart with quantity 1, after checking with the catalog that the product
// still exists and has a unit available, and returns the cart.
// ErrItemNotFound when the product is not saved.
func (s *Service) MoveToCart(ctx context.Context, userID, productID string) (*Cart, error) {
	if err := validateRequest(userID, productID); err != nil {
		return nil, err
	}
	// Read first so that a product that is not saved is reported as such,
	// whatever the catalog says about it.
	current, err := s.repo.Get(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("move %s to cart: %w", productID, err)
	}
	if _, ok := current.SavedItem(productID); !ok {
		return nil, fmt.Errorf("%w: %s is not saved for later", ErrItemNotFound, productID)
	}
	p, err := s.product(ctx, productID)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	c, err := s.update(ctx, userID, func(c *Cart) error { return c.MoveToCart(p, now) })
	if err != nil {
		return nil, fmt.Errorf("move %s to cart: %w", productID, err)
	}
	return c, nil
}
