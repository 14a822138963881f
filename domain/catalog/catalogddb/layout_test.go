package catalogddb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogddb"
	"github.com/goshop-dev/goshop/internal/ddbtest"
)

var epoch = time.Date(2026, 3, 1, 12, 30, 45, 123456789, time.UTC)

func newStore(t *testing.T) (*catalogddb.Store, *dynamodb.Client, string) {
	t.Helper()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, catalogddb.CreateTableInput)
	return catalogddb.New(client, table), client, table
}

func rawItem(t *testing.T, client *dynamodb.Client, table, pk, sk string) map[string]any {
	t.Helper()
	out, err := client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(table),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk},
			"sk": &types.AttributeValueMemberS{Value: sk},
		},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("get item %s: %v", pk, err)
	}
	var item map[string]any
	if err := attributevalue.UnmarshalMap(out.Item, &item); err != nil {
		t.Fatalf("unmarshal %s: %v", pk, err)
	}
	return item
}

// scanAll reads the whole test table, to check what the store wrote beyond
// what its methods show. Only tests scan.
func scanAll(t *testing.T, client *dynamodb.Client, table string) []map[string]any {
	t.Helper()
	out, err := client.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	var items []map[string]any
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return items
}

// TestStoredLayout pins the item layout documented in package catalog,
// including that only product items carry index keys.
func TestStoredLayout(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	ctx := context.Background()
	id, order := uuid.NewString(), uuid.NewString()
	p, err := catalog.NewProduct(id, catalog.NewProductParams{
		SKU: "LAMP-01", Name: "Éclair Lamp", Description: "Warm.", Category: "home",
		PriceAmount: 2999, Currency: "EUR", InitialStock: 5,
	}, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Create(ctx, p); err != nil {
		t.Fatalf("create: %v", err)
	}
	r, err := catalog.NewReservation(order, []catalog.Line{{ProductID: id, Quantity: 2}}, epoch.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Reserve(ctx, r); err != nil {
		t.Fatalf("reserve: %v", err)
	}

	tests := []struct {
		name   string
		pk, sk string
		want   map[string]any
	}{
		{"product", "PRODUCT#" + id, "PRODUCT", map[string]any{
			"pk": "PRODUCT#" + id, "sk": "PRODUCT", "type": "Product",
			"id": id, "sku": "LAMP-01", "name": "Éclair Lamp", "description": "Warm.", "category": "home",
			"priceAmount": float64(2999), "currency": "EUR", "available": float64(3), "reserved": float64(2),
			"createdAt": "2026-03-01T12:30:45.123456789Z", "updatedAt": "2026-03-01T12:30:46.123456789Z",
			"version": float64(2),
			"gsi1pk":  "CAT#home", "gsi1sk": "éclair lamp\x1f" + id,
			"gsi2pk": "NAME#é", "gsi2sk": "éclair lamp\x1f" + id,
		}},
		{"sku lock", "SKU#LAMP-01", "SKU", map[string]any{
			"pk": "SKU#LAMP-01", "sk": "SKU", "type": "SKULock", "productId": id,
		}},
		{"reservation", "RESERVATION#" + order, "RESERVATION", map[string]any{
			"pk": "RESERVATION#" + order, "sk": "RESERVATION", "type": "Reservation",
			"orderId": order, "status": "RESERVED",
			"lines":     []any{map[string]any{"productId": id, "quantity": float64(2)}},
			"createdAt": "2026-03-01T12:30:46.123456789Z", "updatedAt": "2026-03-01T12:30:46.123456789Z",
		}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, rawItem(t, client, table, tt.pk, tt.sk)); diff != "" {
			t.Errorf("%s item (-want +got):\n%s", tt.name, diff)
		}
	}

	// Both indexes hold the product and nothing else.
	for _, idx := range []struct{ name, pk, value string }{{"gsi1", "gsi1pk", "CAT#home"}, {"gsi2", "gsi2pk", "NAME#é"}} {
		out, err := client.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table), IndexName: aws.String(idx.name)})
		if err != nil {
			t.Fatalf("scan %s: %v", idx.name, err)
		}
		if len(out.Items) != 1 {
			t.Errorf("index %s holds %d items, want only the product", idx.name, len(out.Items))
		}
	}
}

// TestConcurrentCreatesWriteOneProduct races 20 creates of one SKU on an
// empty table: one wins, the others get ErrSKUTaken, and the table holds
// exactly the winner's product item and a SKU lock naming it.
func TestConcurrentCreatesWriteOneProduct(t *testing.T) {
	t.Parallel()
	const n = 20
	store, client, table := newStore(t)
	sku := "RACE-" + strings.ToUpper(uuid.NewString()[:8])
	products := make([]catalog.Product, n)
	for i := range products {
		p, err := catalog.NewProduct(uuid.NewString(), catalog.NewProductParams{
			SKU: sku, Name: fmt.Sprintf("Racer %d", i), Category: "misc", PriceAmount: 1, Currency: "USD",
		}, epoch)
		if err != nil {
			t.Fatal(err)
		}
		products[i] = p
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = store.Create(context.Background(), products[i])
		})
	}
	close(start)
	wg.Wait()

	winner := ""
	for i, err := range errs {
		switch {
		case err == nil && winner == "":
			winner = products[i].ID()
		case err == nil:
			t.Errorf("%s and %s both created sku %s", winner, products[i].ID(), sku)
		case !errors.Is(err, catalog.ErrSKUTaken):
			t.Errorf("create %d: err = %v, want ErrSKUTaken", i, err)
		}
	}
	if winner == "" {
		t.Fatal("no create succeeded")
	}
	type itemKey struct{ PK, SK, ProductID any }
	got := map[itemKey]bool{}
	items := scanAll(t, client, table)
	for _, item := range items {
		got[itemKey{item["pk"], item["sk"], item["productId"]}] = true
	}
	want := map[itemKey]bool{
		{"PRODUCT#" + winner, "PRODUCT", nil}: true,
		{"SKU#" + sku, "SKU", winner}:         true,
	}
	if diff := cmp.Diff(want, got); diff != "" || len(items) != 2 {
		t.Errorf("table holds %d items (-want +got):\n%s", len(items), diff)
	}
}

// TestCorruptItem: an item that cannot be decoded is an error, not a zero
// product or ErrNotFound.
func TestCorruptItem(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	id := uuid.NewString()
	_, err := client.PutItem(context.Background(), &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			"pk":          &types.AttributeValueMemberS{Value: "PRODUCT#" + id},
			"sk":          &types.AttributeValueMemberS{Value: "PRODUCT"},
			"id":          &types.AttributeValueMemberS{Value: id},
			"priceAmount": &types.AttributeValueMemberN{Value: "5"},
			"currency":    &types.AttributeValueMemberS{Value: "dollars"},
		},
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if _, err := store.Get(context.Background(), id); err == nil || errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("get corrupt item: err = %v, want a decoding error", err)
	}
	if _, err := store.Lookup(context.Background(), []string{id}); err == nil {
		t.Error("lookup of a corrupt item: err = nil")
	}
}
