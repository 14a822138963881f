// Package carttest holds in-memory fakes of the cart's ports (Repository
// and Catalog), the contract suite every Repository passes, and a plain view
// of a cart for comparing in tests.
package carttest

import (
	"context"
	"sync"

	"github.com/goshop-dev/goshop/domain/cart"
)

// Repository is an in-memory cart.Repository, safe for concurrent use.
// Update runs under a lock, so it never conflicts.
type Repository struct {
	mu    sync.Mutex
	carts map[string]*cart.Cart
}

var _ cart.Repository = (*Repository)(nil)

// NewRepository returns an empty Repository.
func NewRepository() *Repository {
	return &Repository{carts: map[string]*cart.Cart{}}
}

// Get returns a copy of the cart of userID.
func (r *Repository) Get(ctx context.Context, userID string) (*cart.Cart, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.load(userID)
}

// Update applies fn to a copy of the cart of userID and keeps the copy when
// fn succeeds.
func (r *Repository) Update(ctx context.Context, userID string, fn func(*cart.Cart) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.load(userID)
	if err != nil {
		return err
	}
	if err := fn(c); err != nil {
		return err
	}
	r.carts[userID] = clone(c)
	return nil
}

func (r *Repository) load(userID string) (*cart.Cart, error) {
	if c, ok := r.carts[userID]; ok {
		return clone(c), nil
	}
	return cart.NewCart(userID)
}

func clone(c *cart.Cart) *cart.Cart {
	return cart.RehydrateCart(c.UserID(), c.Items(), c.Saved())
}
