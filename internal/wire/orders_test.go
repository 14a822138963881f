package wire_test

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
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/wire"
)

// rpc calls the catalog-lookup handler in process, as the Lambda would.
type rpc struct {
	handler func(context.Context, catalogrpc.LookupRequest) (catalogrpc.LookupResponse, error)
}

func (r rpc) Lookup(ctx context.Context, ids []string) ([]catalogrpc.Product, error) {
	resp, err := r.handler(ctx, catalogrpc.LookupRequest{ProductIDs: ids})
	return resp.Products, err
}

func TestOrdersCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	id := uuid.NewString()
	svc := catalog.NewService(catalogtest.NewRepository(), time.Now, func() string { return id })
	if _, err := svc.Create(ctx, catalog.NewProductParams{SKU: "LAMP", Name: "Desk lamp", Category: "home", PriceAmount: 2999, Currency: "EUR", InitialStock: 1}); err != nil {
		t.Fatal(err)
	}
	got, err := wire.OrdersCatalog(rpc{catalogrpc.Handler(wire.CatalogLookup(svc))}).Lookup(ctx, []string{"unknown", id})
	if err != nil {
		t.Fatal(err)
	}
	price, _ := money.New(2999, "EUR")
	want := []orders.CatalogProduct{{ID: id, Name: "Desk lamp", Price: price}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(money.Money{})); diff != "" {
		t.Errorf("lookup (-want +got):\n%s", diff)
	}
}

func TestOrdersFromEnvNeedsVariables(t *testing.T) {
	t.Setenv("ORDERS_TABLE", "")
	t.Setenv("CATALOG_LOOKUP_FUNCTION", "")
	t.Setenv("CHECKOUT_STATE_MACHINE_ARN", "")
	t.Setenv("EVENT_BUS_NAME", "")
	ctx := context.Background()
	if _, err := wire.OrdersFromEnv(ctx); err == nil || !strings.Contains(err.Error(), "ORDERS_TABLE") {
		t.Errorf("OrdersFromEnv: %v, want one naming ORDERS_TABLE", err)
	}
	_, err := wire.OrdersCheckoutFromEnv(ctx, nil)
	for _, name := range []string{"ORDERS_TABLE", "CATALOG_LOOKUP_FUNCTION", "CHECKOUT_STATE_MACHINE_ARN"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("OrdersCheckoutFromEnv: %v, want one naming %s", err, name)
		}
	}
	if _, err := wire.OutboxFromEnv(ctx, logging.Discard()); err == nil || !strings.Contains(err.Error(), "EVENT_BUS_NAME") {
		t.Errorf("OutboxFromEnv: %v, want one naming EVENT_BUS_NAME", err)
	}
}
