package cartwire_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/cart"
	"github.com/goshop-dev/goshop/domain/cart/cartddb"
	"github.com/goshop-dev/goshop/domain/cart/carttest"
	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/wire/cartwire"
)

func TestCatalog(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var batches []int
	lookup := func(_ context.Context, ids []string) ([]catalogrpc.Product, error) {
		mu.Lock()
		batches = append(batches, len(ids))
		mu.Unlock()
		var out []catalogrpc.Product
		for _, id := range ids {
			if strings.HasPrefix(id, "p") {
				out = append(out, catalogrpc.Product{ID: id, Name: "Name " + id, Category: "c", PriceAmount: 1999, Currency: "EUR", Available: 7})
			}
		}
		return out, nil
	}
	ids := []string{"x-absent"}
	for i := range 150 {
		ids = append(ids, fmt.Sprintf("p%d", i))
	}
	got, err := cartwire.Catalog(lookup).Products(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 150 {
		t.Fatalf("got %d products, want 150", len(got))
	}
	if _, ok := got["x-absent"]; ok {
		t.Fatal("unknown id answered")
	}
	p := got["p7"]
	if p.ID != "p7" || p.Name != "Name p7" || p.Price.Amount() != 1999 || p.Price.Currency() != "EUR" || p.Available != 7 {
		t.Fatalf("p7 = %+v", p)
	}
	if diff := cmp.Diff([]int{catalogrpc.MaxIDs, 51}, batches); diff != "" {
		t.Fatalf("lookup batch sizes (-want +got):\n%s", diff)
	}
}

func TestCatalogErrors(t *testing.T) {
	t.Parallel()
	errDown := errors.New("down")
	tests := []struct {
		name   string
		lookup catalogrpc.LookupFunc
	}{
		{"lookup fails", func(context.Context, []string) ([]catalogrpc.Product, error) { return nil, errDown }},
		{"bad currency", func(context.Context, []string) ([]catalogrpc.Product, error) {
			return []catalogrpc.Product{{ID: "p", PriceAmount: 1, Currency: "usd"}}, nil
		}},
		{"negative price", func(context.Context, []string) ([]catalogrpc.Product, error) {
			return []catalogrpc.Product{{ID: "p", PriceAmount: -1, Currency: "USD"}}, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := cartwire.Catalog(tt.lookup).Products(context.Background(), []string{"p"})
			if err == nil || got != nil {
				t.Fatalf("Products = %v, %v; want an error", got, err)
			}
			if tt.name == "lookup fails" && !errors.Is(err, errDown) {
				t.Fatalf("error %v does not wrap the lookup's", err)
			}
		})
	}
}

// The tests below set process environment variables, so they cannot run in
// parallel with each other (t.Setenv refuses to).

// TestServiceFromEnv runs the wired service end to end: DynamoDB Local for the
// table and a stand-in for the Lambda Invoke API serving the catalog-lookup
// contract, both reached through AWS_ENDPOINT_URL_* as in devstack.
func TestServiceFromEnv(t *testing.T) {
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, cartddb.CreateTableInput)
	lookup := catalogrpc.Handler(func(_ context.Context, ids []string) ([]catalogrpc.Product, error) {
		var out []catalogrpc.Product
		for _, id := range ids {
			if id == "mug" {
				out = append(out, catalogrpc.Product{ID: "mug", Name: "Mug", PriceAmount: 1299, Currency: "USD", Available: 4})
			}
		}
		return out, nil
	})
	lambdaAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/2015-03-31/functions/catalog-lookup/invocations" {
			http.Error(w, "unexpected path "+r.URL.Path, http.StatusNotFound)
			return
		}
		var req catalogrpc.LookupRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		resp, err := lookup(r.Context(), req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(lambdaAPI.Close)

	t.Setenv("CARTS_TABLE", table)
	t.Setenv("CATALOG_LOOKUP_FUNCTION", "catalog-lookup")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", os.Getenv(ddbtest.EndpointEnv))
	t.Setenv("AWS_ENDPOINT_URL_LAMBDA", lambdaAPI.URL)
	t.Setenv("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR")

	ctx := context.Background()
	svc, err := cartwire.ServiceFromEnv(ctx)
	if err != nil {
		t.Fatalf("ServiceFromEnv: %v", err)
	}
	if _, err := svc.PutItem(ctx, "u-wire", "mug", 2); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	if _, err := svc.PutItem(ctx, "u-wire", "nope", 1); !errors.Is(err, cart.ErrProductNotFound) {
		t.Fatalf("PutItem of unknown product error = %v, want ErrProductNotFound", err)
	}
	c, err := svc.Get(ctx, "u-wire")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	want := []carttest.ItemView{{ProductID: "mug", Name: "Mug", Amount: 1299, Currency: "USD", Quantity: 2}}
	got := carttest.View(c).Items
	for i := range got {
		if got[i].AddedAt.IsZero() || !got[i].AddedAt.Equal(got[i].UpdatedAt) {
			t.Fatalf("item times %v, %v; want one non-zero time", got[i].AddedAt, got[i].UpdatedAt)
		}
		got[i].AddedAt, got[i].UpdatedAt = time.Time{}, time.Time{}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("stored items (-want +got):\n%s", diff)
	}
}

// TestServiceFromEnvWithoutCatalog builds the service of a cart function
// that does not add products (cart-get, cart-remove-item, ...): the CDK app
// gives those no CATALOG_LOOKUP_FUNCTION and no right to invoke it.
func TestServiceFromEnvWithoutCatalog(t *testing.T) {
	t.Setenv("CARTS_TABLE", "carts")
	t.Setenv("CATALOG_LOOKUP_FUNCTION", "")
	t.Setenv("AWS_REGION", "eu-west-1")
	svc, err := cartwire.ServiceFromEnv(context.Background())
	if err != nil || svc == nil {
		t.Fatalf("ServiceFromEnv = %v, %v; want a service", svc, err)
	}
	t.Setenv("CARTS_TABLE", "")
	if _, err := cartwire.ServiceFromEnv(context.Background()); err == nil || !strings.Contains(err.Error(), "CARTS_TABLE") {
		t.Fatalf("without CARTS_TABLE: %v, want an error naming it", err)
	}
}
