// Package orderswire builds the orders service from an orders function's
// environment: the table alone for most functions, plus the catalog and the
// checkout saga for orders-checkout. The table records the orders'
// business metrics as it writes (MeteredRepository), and the catalog is
// looked up through the process's guard (catalogrpc.LookupGuard).
package orderswire

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/ordersddb"
	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
)

// ServiceFromEnv builds the orders service on the DynamoDB table named by
// ORDERS_TABLE, without catalog or saga: enough for every function but
// orders-checkout (get, list, set-status, confirm, cancel, user-updated).
// Metrics go to standard output as EMF, with Service "orders".
func ServiceFromEnv(ctx context.Context) (*orders.Service, error) {
	env := envconfig.New()
	table := env.String("ORDERS_TABLE")
	if err := env.Err(); err != nil {
		return nil, err
	}
	rec, err := metrics.FromEnv(metrics.ServiceOrders)
	if err != nil {
		return nil, fmt.Errorf("orders: %w", err)
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("orders: %w", err)
	}
	store := NewMeteredRepository(ordersddb.New(dynamodb.NewFromConfig(cfg), table), rec)
	return orders.NewService(store, nil, nil, time.Now, newOrderID), nil
}

// SagaStarterFunc builds the checkout saga's starter of a state machine
// from the SDK configuration (sfnstarter.FromConfig). It is passed in so
// that only orders-checkout links the Step Functions client.
type SagaStarterFunc func(cfg aws.Config, stateMachineARN string) orders.SagaStarter

// CheckoutFromEnv builds the orders service of orders-checkout:
// ORDERS_TABLE, CATALOG_LOOKUP_FUNCTION (the catalog-lookup function,
// invoked for names and prices through catalogrpc.LookupGuard) and
// CHECKOUT_STATE_MACHINE_ARN (the saga started per order, through
// newSaga), all required.
func CheckoutFromEnv(ctx context.Context, newSaga SagaStarterFunc) (*orders.Service, error) {
	env := envconfig.New()
	table := env.String("ORDERS_TABLE")
	lookup := env.String("CATALOG_LOOKUP_FUNCTION")
	stateMachine := env.String("CHECKOUT_STATE_MACHINE_ARN")
	if err := env.Err(); err != nil {
		return nil, err
	}
	rec, err := metrics.FromEnv(metrics.ServiceOrders)
	if err != nil {
		return nil, fmt.Errorf("orders: %w", err)
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("orders: %w", err)
	}
	store := NewMeteredRepository(ordersddb.New(dynamodb.NewFromConfig(cfg), table), rec)
	guard := catalogrpc.LookupGuard(logging.ForService(metrics.ServiceOrders), rec)
	catalog := Catalog(catalogrpc.NewClient(lambda.NewFromConfig(cfg), lookup, catalogrpc.WithGuard(guard)))
	saga := newSaga(cfg, stateMachine)
	return orders.NewService(store, catalog, saga, time.Now, newOrderID), nil
}

// newOrderID returns a UUIDv7: time-ordered, so ids sort by checkout.
func newOrderID() string { return uuid.Must(uuid.NewV7()).String() }

// catalogLooker is the caller's side of catalogrpc.
type catalogLooker interface {
	Lookup(ctx context.Context, ids []string) ([]catalogrpc.Product, error)
}

// Catalog adapts the catalogrpc client to the orders' Catalog port.
func Catalog(client catalogLooker) orders.Catalog { return catalogAdapter{client} }

type catalogAdapter struct{ client catalogLooker }

func (c catalogAdapter) Lookup(ctx context.Context, ids []string) ([]orders.CatalogProduct, error) {
	products, err := c.client.Lookup(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]orders.CatalogProduct, 0, len(products))
	for _, p := range products {
		price, err := money.New(p.PriceAmount, p.Currency)
		if err != nil {
			return nil, fmt.Errorf("catalog product %s: %w", p.ID, err)
		}
		out = append(out, orders.CatalogProduct{ID: p.ID, Name: p.Name, Price: price})
	}
	return out, nil
}
