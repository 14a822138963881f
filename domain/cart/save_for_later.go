package cart

import (
	"context"
	"fmt"
)

// SaveForLater moves productID from the active items of userID's cart to
// the saved list and returns the cart; ErrItemNotFound when it is not active.
func (s *Service) SaveForLater(ctx context.Context, userID, productID string) (*Cart, error) {
	if err := validateRequest(userID, productID); err != nil {
		return nil, err
	}
	now := s.clock()
	c, err := s.update(ctx, userID, func(c *Cart) error { return c.SaveForLater(productID, now) })
	if err != nil {
		return nil, fmt.Errorf("save %s for later: %w", productID, err)
	}
	return c, nil
}
