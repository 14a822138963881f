// Package catalogwire builds the catalog service from a catalog function's
// environment, and serves it as the catalogrpc lookup of catalog-lookup.
package catalogwire

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogddb"
	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/envconfig"
)

// ServiceFromEnv builds the catalog service on the DynamoDB table named by
// PRODUCTS_TABLE.
func ServiceFromEnv(ctx context.Context) (*catalog.Service, error) {
	env := envconfig.New()
	table := env.String("PRODUCTS_TABLE")
	if err := env.Err(); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	store := catalogddb.New(dynamodb.NewFromConfig(cfg), table)
	return catalog.NewService(store, time.Now, uuid.NewString), nil
}

// Lookup is the catalog-lookup function's side of catalogrpc: the
// service's Lookup, mapped to the contract's products.
func Lookup(svc *catalog.Service) catalogrpc.LookupFunc {
	return func(ctx context.Context, ids []string) ([]catalogrpc.Product, error) {
		products, err := svc.Lookup(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make([]catalogrpc.Product, 0, len(products))
		for _, p := range products {
			out = append(out, catalogrpc.Product{
				ID:          p.ID(),
				Name:        p.Name(),
				Category:    p.Category(),
				PriceAmount: p.Price().Amount(),
				Currency:    p.Price().Currency(),
				Available:   p.Stock().Available,
			})
		}
		return out, nil
	}
}
