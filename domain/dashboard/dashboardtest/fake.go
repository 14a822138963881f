// Package dashboardtest holds the in-memory fake of dashboard.Repository,
// a fake catalog, and the contract suite every Repository implementation
// runs.
package dashboardtest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/goshop-dev/goshop/domain/dashboard"
)

// Repository is an in-memory dashboard.Repository, safe for concurrent
// use, with the semantics of the DynamoDB adapter.
type Repository struct {
	mu       sync.Mutex
	profiles map[string]dashboard.Profile
	orders   map[dashboard.OrderKey]dashboard.OrderState
	markers  map[string]bool
	counts   map[string]map[string]dashboard.ProductSales // category, product id
}

var _ dashboard.Repository = (*Repository)(nil)

// NewRepository returns an empty Repository.
func NewRepository() *Repository {
	return &Repository{
		profiles: map[string]dashboard.Profile{},
		orders:   map[dashboard.OrderKey]dashboard.OrderState{},
		markers:  map[string]bool{},
		counts:   map[string]map[string]dashboard.ProductSales{},
	}
}

// Profile implements dashboard.Profiles.
func (r *Repository) Profile(ctx context.Context, userID string) (dashboard.Profile, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.profiles[userID]
	if !ok {
		return dashboard.Profile{}, fmt.Errorf("profile %s: %w", userID, dashboard.ErrNotFound)
	}
	p.Categories = slices.Clone(p.Categories)
	return p, nil
}

// PutProfile implements dashboard.Repository.
func (r *Repository) PutProfile(ctx context.Context, p dashboard.Profile) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.profiles[p.UserID]; ok && !p.NewerThan(old) {
		return nil
	}
	if r.markers[p.EventID] {
		return fmt.Errorf("put profile %s: %w", p.UserID, dashboard.ErrDuplicateEvent)
	}
	r.markers[p.EventID] = true
	p.Categories = slices.Clone(p.Categories)
	r.profiles[p.UserID] = p
	return nil
}

// RecentOrders implements dashboard.Orders.
func (r *Repository) RecentOrders(ctx context.Context, userID string, limit int) ([]dashboard.Order, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []dashboard.Order
	for k, s := range r.orders {
		if k.UserID == userID && !s.CreatedAt.IsZero() {
			out = append(out, dashboard.RehydrateOrder(s))
		}
	}
	slices.SortFunc(out, func(a, b dashboard.Order) int {
		return cmp.Or(b.CreatedAt().Compare(a.CreatedAt()), cmp.Compare(b.ID(), a.ID()))
	})
	return out[:min(len(out), limit)], nil
}

// TopProducts implements dashboard.Popular.
func (r *Repository) TopProducts(ctx context.Context, category string, limit int) ([]dashboard.ProductSales, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []dashboard.ProductSales
	for _, s := range r.counts[category] {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b dashboard.ProductSales) int {
		return cmp.Or(cmp.Compare(b.Units, a.Units), cmp.Compare(b.ProductID, a.ProductID))
	})
	return out[:min(len(out), limit)], nil
}

// UpdateOrder implements dashboard.Repository.
func (r *Repository) UpdateOrder(ctx context.Context, e dashboard.Event, key dashboard.OrderKey, fn func(*dashboard.Order) ([]dashboard.ProductSales, error)) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	o := dashboard.NewOrder(key.UserID, key.OrderID)
	if s, ok := r.orders[key]; ok {
		o = dashboard.RehydrateOrder(s)
	}
	read := o.Version()
	sales, err := fn(&o)
	if err != nil {
		return err
	}
	if o.Version() == read {
		return nil
	}
	if o.ID() != key.OrderID || o.UserID() != key.UserID {
		return fmt.Errorf("update order %s: fn changed the key", key.OrderID)
	}
	if r.markers[e.ID] {
		return fmt.Errorf("update order %s: %w", key.OrderID, dashboard.ErrDuplicateEvent)
	}
	r.markers[e.ID] = true
	r.orders[key] = o.State()
	for _, s := range sales {
		r.add(dashboard.AllCategories, s)
		if s.Category != dashboard.AllCategories {
			r.add(s.Category, s)
		}
	}
	return nil
}

func (r *Repository) add(category string, s dashboard.ProductSales) {
	if r.counts[category] == nil {
		r.counts[category] = map[string]dashboard.ProductSales{}
	}
	c := r.counts[category][s.ProductID]
	c.ProductID, c.Name, c.Category, c.Units = s.ProductID, s.Name, category, c.Units+s.Units
	r.counts[category][s.ProductID] = c
}

// Catalog is a fake dashboard.Catalog over a fixed set of products,
// counting its calls.
type Catalog struct {
	mu       sync.Mutex
	products map[string]dashboard.CatalogProduct
	calls    int
	err      error
}

var _ dashboard.Catalog = (*Catalog)(nil)

// NewCatalog returns a Catalog knowing products.
func NewCatalog(products ...dashboard.CatalogProduct) *Catalog {
	c := &Catalog{products: map[string]dashboard.CatalogProduct{}}
	for _, p := range products {
		c.products[p.ID] = p
	}
	return c
}

// Fail makes every later lookup return err (nil: succeed again).
func (c *Catalog) Fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
}

// Calls returns the number of lookups made.
func (c *Catalog) Calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

// Products implements dashboard.Catalog.
func (c *Catalog) Products(ctx context.Context, ids []string) ([]dashboard.CatalogProduct, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.err != nil {
		return nil, c.err
	}
	var out []dashboard.CatalogProduct
	for _, id := range ids {
		if p, ok := c.products[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}
