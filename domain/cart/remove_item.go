package cart

import (
	"context"
	"fmt"
)

// RemoveItem removes productID from the active items of userID's cart. It
// is idempotent: removing an absent item succeeds.
func (s *Service) RemoveItem(ctx context.Context, userID, productID string) error {
	if err := validateRequest(userID, productID); err != nil {
		return err
	}
	err := s.repo.Update(ctx, userID, func(c *Cart) error {
		c.RemoveItem(productID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove %s: %w", productID, err)
	}
	return nil
}
