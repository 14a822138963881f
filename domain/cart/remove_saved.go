package cart

import (
	"context"
	"fmt"
)

// RemoveSaved removes productID from the saved list of userID's cart. It is
// idempotent: removing an absent item succeeds.
func (s *Service) RemoveSaved(ctx context.Context, userID, productID string) error {
	if err := validateRequest(userID, productID); err != nil {
		return err
	}
	err := s.repo.Update(ctx, userID, func(c *Cart) error {
		c.RemoveSaved(productID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove saved %s: %w", productID, err)
	}
	return nil
}
