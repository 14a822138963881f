package catalogwire_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/wire/catalogwire"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := catalog.NewService(catalogtest.NewRepository(), time.Now, func() string { return "p-1" })
	if _, err := svc.Create(ctx, catalog.NewProductParams{
		SKU: "LAMP", Name: "Desk lamp", Category: "home", PriceAmount: 2999, Currency: "EUR", InitialStock: 7,
	}); err != nil {
		t.Fatal(err)
	}
	handler := catalogrpc.Handler(catalogwire.Lookup(svc))
	resp, err := handler(ctx, catalogrpc.LookupRequest{ProductIDs: []string{"unknown", "p-1"}})
	if err != nil {
		t.Fatalf("lookup: %v", err)
	}
	want := catalogrpc.LookupResponse{Products: []catalogrpc.Product{
		{ID: "p-1", Name: "Desk lamp", Category: "home", PriceAmount: 2999, Currency: "EUR", Available: 7},
	}}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("lookup (-want +got):\n%s", diff)
	}
	resp, err = handler(ctx, catalogrpc.LookupRequest{ProductIDs: []string{"nothing"}})
	if err != nil || resp.Products == nil || len(resp.Products) != 0 {
		t.Errorf("lookup of unknown ids = %#v, %v; want an empty list", resp.Products, err)
	}
}

func TestServiceFromEnvNeedsTable(t *testing.T) {
	t.Setenv("PRODUCTS_TABLE", "")
	_, err := catalogwire.ServiceFromEnv(context.Background())
	if err == nil || !strings.Contains(err.Error(), "PRODUCTS_TABLE") {
		t.Errorf("err = %v, want one naming PRODUCTS_TABLE", err)
	}
}
