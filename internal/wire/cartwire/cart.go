// Package cartwire builds the cart service from a cart function's
// environment, with the catalog reached through catalogrpc.
package cartwire

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/cartddb"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
)

// ServiceFromEnv builds the cart service from CARTS_TABLE (the carts table) and
// CATALOG_LOOKUP_FUNCTION (name or ARN of the catalog-lookup function the
// cart asks about products). Only the functions that add products to the cart
// consult the catalog, and only they may invoke it: for the others the
// variable is absent and a catalog call fails with ErrNoCatalog. Lookups go
// through the process's guard (catalogrpc.LookupGuard), whose breaker
// changes are counted as metrics with Service "cart".
func ServiceFromEnv(ctx context.Context) (*cart.Service, error) {
	env := envconfig.New()
	table := env.String("CARTS_TABLE")
	lookupFunction := env.Optional("CATALOG_LOOKUP_FUNCTION", "")
	if err := env.Err(); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, err
	}
	lookup := catalogrpc.LookupFunc(noCatalog)
	if lookupFunction != "" {
		rec, err := metrics.FromEnv(metrics.ServiceCart)
		if err != nil {
			return nil, fmt.Errorf("cart: %w", err)
		}
		guard := catalogrpc.LookupGuard(logging.ForService(metrics.ServiceCart), rec)
		lookup = catalogrpc.NewClient(lambda.NewFromConfig(cfg), lookupFunction, catalogrpc.WithGuard(guard)).Lookup
	}
	store := cartddb.New(dynamodb.NewFromConfig(cfg), table)
	return cart.NewService(store, Catalog(lookup), time.Now), nil
}

// ErrNoCatalog is the error of a catalog lookup in a cart function that was
// not given CATALOG_LOOKUP_FUNCTION.
var ErrNoCatalog = errors.New("this function does not consult the catalog (CATALOG_LOOKUP_FUNCTION is not set)")

func noCatalog(context.Context, []string) ([]catalogrpc.Product, error) { return nil, ErrNoCatalog }

// Catalog adapts a catalog lookup (the catalog-lookup function's client,
// or the catalog in process) to the cart's Catalog port.
func Catalog(lookup catalogrpc.LookupFunc) cart.Catalog {
	return cartCatalog{lookup: lookup}
}

type cartCatalog struct {
	lookup catalogrpc.LookupFunc
}

func (c cartCatalog) Products(ctx context.Context, ids []string) (map[string]cart.ProductInfo, error) {
	out := make(map[string]cart.ProductInfo, len(ids))
	for start := 0; start < len(ids); start += catalogrpc.MaxIDs {
		batch := ids[start:min(start+catalogrpc.MaxIDs, len(ids))]
		products, err := c.lookup(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("catalog lookup: %w", err)
		}
		for _, p := range products {
			price, err := money.New(p.PriceAmount, p.Currency)
			if err != nil {
				return nil, fmt.Errorf("catalog product %s price: %w", p.ID, err)
			}
			out[p.ID] = cart.ProductInfo{ID: p.ID, Name: p.Name, Price: price, Available: p.Available}
		}
	}
	return out, nil
}
