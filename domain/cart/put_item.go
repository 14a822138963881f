package cart

import (
	"context"
	"fmt"
)

// PutItem sets the quantity of productID in the cart of userID, taking the
// product's name and price from the catalog, and returns the cart. A product
// saved for later leaves the saved list in the same change.
func (s *Service) PutItem(ctx context.Context, userID, productID string, quantity int) (*Cart, error) {
	if err := validateRequest(userID, productID); err != nil {
		return nil, err
	}
	if err := ValidateQuantity(quantity); err != nil {
		return nil, err
	}
	p, err := s.product(ctx, productID)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	c, err := s.update(ctx, userID, func(c *Cart) error { return c.SetItem(p, quantity, now) })
	if err != nil {
		return nil, fmt.Errorf("put %s: %w", productID, err)
	}
	return c, nil
}
