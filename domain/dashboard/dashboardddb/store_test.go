package dashboardddb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardddb"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardtest"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/internal/ddbtest"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 500_000_000, time.UTC)

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	dashboardtest.RunRepositoryContract(t, func(t *testing.T) dashboard.Repository {
		return dashboardddb.New(client, ddbtest.Table(t, client, dashboardddb.CreateTableInput))
	})
}

// TestConcurrentProfiles races profile events of one user: the newest
// wins whatever order they land in.
func TestConcurrentProfiles(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	store := dashboardddb.New(client, ddbtest.Table(t, client, dashboardddb.CreateTableInput))
	ctx := context.Background()
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- store.PutProfile(ctx, dashboard.Profile{UserID: "u-1", Name: fmt.Sprintf("name %02d", i),
				OccurredAt: t0.Add(time.Duration(i) * time.Second), EventID: fmt.Sprintf("e-%02d", i)})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("put: %v", err)
		}
	}
	got, err := store.Profile(ctx, "u-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "name 11" || got.EventID != "e-11" {
		t.Errorf("profile %+v, want the newest (name 11, e-11)", got)
	}
}

// TestStoredLayout pins the item layout documented in package dashboard.
func TestStoredLayout(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, dashboardddb.CreateTableInput)
	svc := dashboard.NewService(dashboardddb.New(client, table),
		dashboardtest.NewCatalog(dashboard.CatalogProduct{ID: "p-1", Name: "Pen", Category: "office"}))
	ctx := context.Background()
	total, _ := money.New(398, "USD")
	if err := svc.RecordProfile(ctx, dashboard.Profile{UserID: "u-1", Name: "Ada", Categories: []string{"office"}, OccurredAt: t0, EventID: "e-1"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.RecordOrderCreated(ctx, dashboard.Event{ID: "e-2", OccurredAt: t0}, dashboard.CreatedOrder{
		ID: "o-1", UserID: "u-1", Lines: []dashboard.Line{{ProductID: "p-1", Name: "Pen", Quantity: 2}}, Total: total, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := svc.RecordOrderStatus(ctx, dashboard.Event{ID: "e-3", OccurredAt: t0.Add(time.Second)}, dashboard.OrderKey{UserID: "u-1", OrderID: "o-1"}, dashboard.StatusConfirmed); err != nil {
		t.Fatal(err)
	}
	out, err := client.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]any
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]any{}
	for _, it := range items {
		got[fmt.Sprint(it["pk"], " ", it["sk"])] = it
	}
	marker := func(id string, at time.Time) map[string]any {
		return map[string]any{"pk": "EVENT#" + id, "sk": "EVENT", "type": "EventMarker", "eventId": id,
			"occurredAt": at.Format("2006-01-02T15:04:05.000000000Z"), "expiresAt": float64(at.Add(35 * 24 * time.Hour).Unix())}
	}
	created, confirmed := "2026-03-01T12:00:00.500000000Z", "2026-03-01T12:00:01.500000000Z"
	want := map[string]map[string]any{
		"EVENT#e-1 EVENT": marker("e-1", t0),
		"EVENT#e-2 EVENT": marker("e-2", t0),
		"EVENT#e-3 EVENT": marker("e-3", t0.Add(time.Second)),
		"USER#u-1 PROFILE": {"pk": "USER#u-1", "sk": "PROFILE", "type": "Profile", "userId": "u-1", "name": "Ada",
			"categories": []any{"office"}, "occurredAt": float64(t0.UnixNano()), "eventId": "e-1"},
		"USER#u-1 ORDER#o-1": {"pk": "USER#u-1", "sk": "ORDER#o-1", "type": "Order", "id": "o-1", "userId": "u-1",
			"status": "CONFIRMED", "statusAt": confirmed, "totalAmount": float64(398), "currency": "USD", "createdAt": created,
			"lines":     []any{map[string]any{"productId": "p-1", "name": "Pen", "quantity": float64(2)}},
			"confirmed": true, "counted": true, "version": float64(3), "gsi1pk": "USER#u-1", "gsi1sk": created + "#o-1"},
		"POPULAR PRODUCT#p-1": {"pk": "POPULAR", "sk": "PRODUCT#p-1", "type": "ProductSales", "productId": "p-1", "name": "Pen",
			"category": "", "units": float64(2), "gsi2pk": "POPULAR", "gsi2sk": "0000000000000000002#p-1"},
		"POPULAR#office PRODUCT#p-1": {"pk": "POPULAR#office", "sk": "PRODUCT#p-1", "type": "ProductSales", "productId": "p-1", "name": "Pen",
			"category": "office", "units": float64(2), "gsi2pk": "POPULAR#office", "gsi2sk": "0000000000000000002#p-1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}
