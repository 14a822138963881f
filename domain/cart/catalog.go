package cart

import (
	"context"

	"github.com/goshop-dev/goshop/domain/money"
)

// ProductInfo is what the cart needs to know of a catalog product.
type ProductInfo struct {
	ID        string
	Name      string
	Price     money.Money
	Available int
}

// Catalog answers questions about products. The cart never reads the
// catalog's table; an adapter asks the catalog service.
type Catalog interface {
	// Products returns the products among ids that exist, keyed by id.
	// Unknown ids are absent from the map, not an error.
	Products(ctx context.Context, ids []string) (map[string]ProductInfo, error)
}
