package cart

import (
	"context"
	"fmt"
	"time"
)

// Service runs the cart's use cases for the caller that owns the cart.
type Service struct {
	repo    Repository
	catalog Catalog
	now     func() time.Time
}

// NewService returns a Service storing carts in repo, asking catalog about
// products and reading the time from now.
func NewService(repo Repository, catalog Catalog, now func() time.Time) *Service {
	return &Service{repo: repo, catalog: catalog, now: now}
}

// Get returns the cart of userID, empty if the user never used it.
func (s *Service) Get(ctx context.Context, userID string) (*Cart, error) {
	if userID == "" {
		return nil, ErrInvalidUserID
	}
	c, err := s.repo.Get(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("get cart: %w", err)
	}
	return c, nil
}

// update applies fn to the cart of userID and returns the cart as stored.
func (s *Service) update(ctx context.Context, userID string, fn func(*Cart) error) (*Cart, error) {
	var stored *Cart
	err := s.repo.Update(ctx, userID, func(c *Cart) error {
		if err := fn(c); err != nil {
			return err
		}
		stored = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	return stored, nil
}

// product asks the catalog for one product.
func (s *Service) product(ctx context.Context, id string) (ProductInfo, error) {
	found, err := s.catalog.Products(ctx, []string{id})
	if err != nil {
		return ProductInfo{}, fmt.Errorf("%w: look up product %s: %w", ErrCatalogUnavailable, id, err)
	}
	p, ok := found[id]
	if !ok {
		return ProductInfo{}, fmt.Errorf("%w: %s", ErrProductNotFound, id)
	}
	return p, nil
}

func (s *Service) clock() time.Time { return s.now().UTC() }

func validateRequest(userID, productID string) error {
	if userID == "" {
		return ErrInvalidUserID
	}
	return ValidateProductID(productID)
}
