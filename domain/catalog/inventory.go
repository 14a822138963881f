package catalog

import (
	"context"
	"fmt"
)

// SetInventory sets the units of product id that are available to sell;
// reserved units are untouched. The change is optimistic: a concurrent
// change to the product (another update, a reservation) makes it start
// over from the fresh product, a bounded number of times.
// Errors: ErrInvalidStock, ErrNotFound, ErrConflict.
func (s *Service) SetInventory(ctx context.Context, id string, available int) (Product, error) {
	if err := validUnits(available); err != nil {
		return Product{}, err
	}
	if !ValidID(id) {
		return Product{}, fmt.Errorf("set inventory of %q: %w", id, ErrNotFound)
	}
	var updated Product
	err := s.retry.Do(ctx, ErrConflict, func() error {
		return s.repo.Update(ctx, id, func(p *Product) error {
			if err := p.SetAvailable(available, s.now()); err != nil {
				return err
			}
			updated = *p
			return nil
		})
	})
	if err != nil {
		return Product{}, fmt.Errorf("set inventory of %s: %w", id, err)
	}
	return updated, nil
}
