package carttest

import (
	"context"
	"sync"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/money"
)

// Catalog is an in-memory cart.Catalog, safe for concurrent use.
type Catalog struct {
	mu       sync.Mutex
	products map[string]cart.ProductInfo
	err      error
}

var _ cart.Catalog = (*Catalog)(nil)

// NewCatalog returns a Catalog holding products.
func NewCatalog(products ...cart.ProductInfo) *Catalog {
	c := &Catalog{products: map[string]cart.ProductInfo{}}
	for _, p := range products {
		c.products[p.ID] = p
	}
	return c
}

// Set adds or replaces p.
func (c *Catalog) Set(p cart.ProductInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.products[p.ID] = p
}

// Delete removes the product id.
func (c *Catalog) Delete(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.products, id)
}

// Fail makes every later lookup return err (nil restores answers).
func (c *Catalog) Fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = err
}

// Products returns the known products among ids.
func (c *Catalog) Products(ctx context.Context, ids []string) (map[string]cart.ProductInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return nil, c.err
	}
	out := make(map[string]cart.ProductInfo, len(ids))
	for _, id := range ids {
		if p, ok := c.products[id]; ok {
			out[id] = p
		}
	}
	return out, nil
}

// Product returns a product named "Product <id>" priced amount minor units
// of USD with available units.
func Product(id string, amount int64, available int) cart.ProductInfo {
	return cart.ProductInfo{ID: id, Name: "Product " + id, Price: Money(amount, "USD"), Available: available}
}

// Money returns money.New(amount, currency) and panics on invalid input,
// which only a test's literal can cause.
func Money(amount int64, currency string) money.Money {
	m, err := money.New(amount, currency)
	if err != nil {
		panic(err)
	}
	return m
}
