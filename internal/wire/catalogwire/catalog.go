// Package catalogwire builds the catalog service from a catalog function's
// environment, and serves it as the catalogrpc lookup of catalog-lookup
// and as the ReserveInventory task of catalog-reserve. The table records
// the rejections of reservations as it writes them (MeteredRepository).
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
	"github.com/goshop-dev/goshop/internal/catalogtask"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/metrics"
)

// ServiceFromEnv builds the catalog service on the DynamoDB table named by
// PRODUCTS_TABLE. Metrics go to standard output as EMF, with Service
// "catalog".
func ServiceFromEnv(ctx context.Context) (*catalog.Service, error) {
	svc, _, err := fromEnv(ctx)
	return svc, err
}

// ReserveFromEnv builds the ReserveInventory task handler of
// catalog-reserve (catalogtask.Reserve) over ServiceFromEnv's service,
// both recording into one recorder.
func ReserveFromEnv(ctx context.Context) (func(context.Context, catalogtask.ReserveInput) (catalogtask.Output, error), error) {
	svc, rec, err := fromEnv(ctx)
	if err != nil {
		return nil, err
	}
	return catalogtask.Reserve(svc, catalogtask.WithRecorder(rec)), nil
}

func fromEnv(ctx context.Context) (*catalog.Service, *metrics.Recorder, error) {
	env := envconfig.New()
	table := env.String("PRODUCTS_TABLE")
	if err := env.Err(); err != nil {
		return nil, nil, err
	}
	rec, err := metrics.FromEnv(metrics.ServiceCatalog)
	if err != nil {
		return nil, nil, fmt.Errorf("catalog: %w", err)
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("catalog: %w", err)
	}
	store := NewMeteredRepository(catalogddb.New(dynamodb.NewFromConfig(cfg), table), rec)
	return catalog.NewService(store, time.Now, uuid.NewString), rec, nil
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
