package orderswire_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/wire/catalogwire"
	"github.com/goshop-dev/goshop/internal/wire/orderswire"
)

// rpc calls the catalog-lookup handler in process, as the Lambda would.
type rpc struct {
	handler func(context.Context, catalogrpc.LookupRequest) (catalogrpc.LookupResponse, error)
}

func (r rpc) Lookup(ctx context.Context, ids []string) ([]catalogrpc.Product, error) {
	resp, err := r.handler(ctx, catalogrpc.LookupRequest{ProductIDs: ids})
	return resp.Products, err
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	id := uuid.NewString()
	svc := catalog.NewService(catalogtest.NewRepository(), time.Now, func() string { return id })
	if _, err := svc.Create(ctx, catalog.NewProductParams{SKU: "LAMP", Name: "Desk lamp", Category: "home", PriceAmount: 2999, Currency: "EUR", InitialStock: 1}); err != nil {
		t.Fatal(err)
	}
	got, err := orderswire.Catalog(rpc{catalogrpc.Handler(catalogwire.Lookup(svc))}).Lookup(ctx, []string{"unknown", id})
	if err != nil {
		t.Fatal(err)
	}
	price, _ := money.New(2999, "EUR")
	want := []orders.CatalogProduct{{ID: id, Name: "Desk lamp", Price: price}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(money.Money{})); diff != "" {
		t.Errorf("lookup (-want +got):\n%s", diff)
	}
}

func TestServiceFromEnvNeedsVariables(t *testing.T) {
	t.Setenv("ORDERS_TABLE", "")
	t.Setenv("CATALOG_LOOKUP_FUNCTION", "")
	t.Setenv("CHECKOUT_STATE_MACHINE_ARN", "")
	ctx := context.Background()
	if _, err := orderswire.ServiceFromEnv(ctx); err == nil || !strings.Contains(err.Error(), "ORDERS_TABLE") {
		t.Errorf("ServiceFromEnv: %v, want one naming ORDERS_TABLE", err)
	}
	_, err := orderswire.CheckoutFromEnv(ctx, nil)
	for _, name := range []string{"ORDERS_TABLE", "CATALOG_LOOKUP_FUNCTION", "CHECKOUT_STATE_MACHINE_ARN"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("CheckoutFromEnv: %v, want one naming %s", err, name)
		}
	}
}
