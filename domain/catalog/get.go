package catalog

import (
	"context"
	"fmt"
)

// MaxLookupIDs bounds the ids of one Lookup.
const MaxLookupIDs = 100

// Get returns the product id, or ErrNotFound (also for an id that is not
// valid, since no product can have it).
func (s *Service) Get(ctx context.Context, id string) (Product, error) {
	if !ValidID(id) {
		return Product{}, fmt.Errorf("get product %q: %w", id, ErrNotFound)
	}
	p, err := s.repo.Get(ctx, id)
	if err != nil {
		return Product{}, fmt.Errorf("get product %s: %w", id, err)
	}
	return p, nil
}

// Lookup returns the products among ids, in the order of their first
// mention; unknown and invalid ids are simply absent. More than
// MaxLookupIDs ids is ErrTooManyIDs.
func (s *Service) Lookup(ctx context.Context, ids []string) ([]Product, error) {
	if len(ids) > MaxLookupIDs {
		return nil, ErrTooManyIDs
	}
	distinct := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if ValidID(id) && !seen[id] {
			seen[id] = true
			distinct = append(distinct, id)
		}
	}
	if len(distinct) == 0 {
		return []Product{}, nil
	}
	products, err := s.repo.Lookup(ctx, distinct)
	if err != nil {
		return nil, fmt.Errorf("lookup %d products: %w", len(distinct), err)
	}
	return products, nil
}
