package catalog

import (
	"context"
	"fmt"
)

// Create adds a product with a new id and its initial stock available.
// Errors: the ErrInvalid* validation errors, ErrSKUTaken, ErrConflict.
func (s *Service) Create(ctx context.Context, p NewProductParams) (Product, error) {
	product, err := NewProduct(s.newID(), p, s.now())
	if err != nil {
		return Product{}, err
	}
	// A conflict wrote nothing, so the same product can be tried again; a
	// retry that meets the SKU now taken reports ErrSKUTaken.
	if err := s.retry.Do(ctx, ErrConflict, func() error { return s.repo.Create(ctx, product) }); err != nil {
		return Product{}, fmt.Errorf("create product %s: %w", product.SKU(), err)
	}
	return product, nil
}
