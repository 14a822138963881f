package dashboardwire_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/domain/dashboard"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardddb"
	"github.com/goshop-dev/goshop/domain/dashboard/dashboardtest"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/wire/catalogwire"
	"github.com/goshop-dev/goshop/internal/wire/dashboardwire"
)

var dashT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func dashMessage(t *testing.T, id string, at time.Time, data events.Event) lambdaevents.SQSMessage {
	t.Helper()
	env, err := events.New(events.Meta{ID: id, OccurredAt: at, CorrelationID: "c-1"}, data)
	if err != nil {
		t.Fatal(err)
	}
	return lambdaevents.SQSMessage{MessageId: "m-" + id + "-" + uuid.NewString()[:4], Body: bridgeBody(t, env)}
}

// rpc calls the catalog-lookup handler in process, as the Lambda would.
type rpc struct {
	handler func(context.Context, catalogrpc.LookupRequest) (catalogrpc.LookupResponse, error)
}

func (r rpc) Lookup(ctx context.Context, ids []string) ([]catalogrpc.Product, error) {
	resp, err := r.handler(ctx, catalogrpc.LookupRequest{ProductIDs: ids})
	return resp.Products, err
}

func bridgeBody(t *testing.T, env events.Envelope) string {
	t.Helper()
	detail, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{
		"id": "eb-1", "detail-type": env.Type, "source": env.Source(), "detail": json.RawMessage(detail),
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	id := uuid.NewString()
	svc := catalog.NewService(catalogtest.NewRepository(), time.Now, func() string { return id })
	if _, err := svc.Create(ctx, catalog.NewProductParams{SKU: "LAMP", Name: "Desk lamp", Category: "home", PriceAmount: 2999, Currency: "EUR", InitialStock: 1}); err != nil {
		t.Fatal(err)
	}
	got, err := dashboardwire.Catalog(rpc{catalogrpc.Handler(catalogwire.Lookup(svc))}).Products(ctx, []string{"unknown", id})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dashboard.CatalogProduct{{ID: id, Name: "Desk lamp", Category: "home"}}, got); diff != "" {
		t.Errorf("lookup (-want +got):\n%s", diff)
	}
}

// TestDashboardConsumerOnDynamoDB runs a batch of events, some twice and
// some out of order, through the consumer into DynamoDB Local and reads
// the dashboard they build.
func TestDashboardConsumerOnDynamoDB(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	store := dashboardddb.New(client, ddbtest.Table(t, client, dashboardddb.CreateTableInput))
	catalogFake := dashboardtest.NewCatalog(
		dashboard.CatalogProduct{ID: "p-1", Name: "Pen", Category: "office"},
		dashboard.CatalogProduct{ID: "p-2", Name: "Lamp", Category: "home"},
	)
	svc := dashboard.NewService(store, catalogFake)
	handler := consumer.SQSHandler(dashboardwire.Handle(svc, logging.Discard()), logging.Discard(), nil)
	line := func(id string, q int) events.OrderLine {
		return events.OrderLine{ProductID: id, Name: id, Quantity: q, UnitPrice: events.Money{Amount: 100, Currency: "USD"}}
	}
	total := events.Money{Amount: 300, Currency: "USD"}
	confirm1 := dashMessage(t, "e-k1", dashT0.Add(time.Minute), events.OrderConfirmedV1{OrderID: "o-1", UserID: "u-1", Total: total, ConfirmedAt: dashT0})
	batch := lambdaevents.SQSEvent{Records: []lambdaevents.SQSMessage{
		dashMessage(t, "e-u2", dashT0.Add(time.Hour), events.UserUpdatedV1{UserID: "u-1", Name: "Ada L", Categories: []string{"office"}, UpdatedAt: dashT0}),
		dashMessage(t, "e-u1", dashT0, events.UserRegisteredV1{UserID: "u-1", Email: "a@example.com", Name: "Ada", RegisteredAt: dashT0}),
		dashMessage(t, "e-c1", dashT0, events.OrderCreatedV1{OrderID: "o-1", UserID: "u-1", Lines: []events.OrderLine{line("p-1", 2), line("p-2", 1)}, Total: total, CreatedAt: dashT0}),
		confirm1,
		confirm1, // redelivered
		// o-2 is shipped before its confirmation and creation arrive.
		dashMessage(t, "e-s2", dashT0.Add(3*time.Minute), events.OrderShippedV1{OrderID: "o-2", UserID: "u-1", ShippedAt: dashT0}),
		dashMessage(t, "e-k2", dashT0.Add(2*time.Minute), events.OrderConfirmedV1{OrderID: "o-2", UserID: "u-1", Total: total, ConfirmedAt: dashT0}),
		dashMessage(t, "e-c2", dashT0.Add(time.Second), events.OrderCreatedV1{OrderID: "o-2", UserID: "u-1", Lines: []events.OrderLine{line("p-1", 3)}, Total: total, CreatedAt: dashT0.Add(time.Second)}),
		dashMessage(t, "e-x3", dashT0.Add(time.Minute), events.OrderCancelledV1{OrderID: "o-3", UserID: "u-1", Reason: events.ReasonOutOfStock, CancelledAt: dashT0}),
		dashMessage(t, "e-pay", dashT0, events.PaymentSucceededV1{PaymentID: "pay", OrderID: "o-1", UserID: "u-1", Amount: total, ProcessedAt: dashT0}),
		{MessageId: "m-poison", Body: "not json"},
		dashMessage(t, "e-bad", dashT0, events.OrderCreatedV1{OrderID: "o#4", UserID: "u-1", Lines: []events.OrderLine{line("p-1", 1)}, Total: total, CreatedAt: dashT0}),
	}}
	resp, err := handler(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	if len(failed) != 2 || failed[0] != "m-poison" || !strings.HasPrefix(failed[1], "m-e-bad-") {
		t.Errorf("failures %v, want the poison and the invalid order", failed)
	}
	v, err := svc.Dashboard(context.Background(), "u-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Failures) != 0 || v.Profile == nil {
		t.Fatalf("degraded dashboard: %+v", v.Failures)
	}
	if v.Profile.Name != "Ada L" || !cmp.Equal(v.Profile.Categories, []string{"office"}) {
		t.Errorf("profile %+v, want the update's", v.Profile)
	}
	var orders []string
	for _, o := range v.RecentOrders {
		orders = append(orders, o.ID()+" "+string(o.Status()))
	}
	if diff := cmp.Diff([]string{"o-2 SHIPPED", "o-1 CONFIRMED"}, orders); diff != "" {
		t.Errorf("orders (-want +got):\n%s", diff)
	}
	want := []dashboard.ProductSales{{ProductID: "p-1", Name: "Pen", Category: "office", Units: 5}}
	if diff := cmp.Diff(want, v.Recommendations); diff != "" {
		t.Errorf("recommendations (-want +got):\n%s", diff)
	}
	all, err := store.TopProducts(context.Background(), dashboard.AllCategories, 5)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]dashboard.ProductSales{{ProductID: "p-1", Name: "Pen", Units: 5}, {ProductID: "p-2", Name: "Lamp", Units: 1}}, all); diff != "" {
		t.Errorf("overall (-want +got):\n%s", diff)
	}
}

func TestServiceFromEnvNeedsVariables(t *testing.T) {
	t.Setenv("DASHBOARD_TABLE", "")
	t.Setenv("CATALOG_LOOKUP_FUNCTION", "")
	ctx := context.Background()
	if _, err := dashboardwire.ServiceFromEnv(ctx); err == nil || !strings.Contains(err.Error(), "DASHBOARD_TABLE") {
		t.Errorf("ServiceFromEnv: %v, want one naming DASHBOARD_TABLE", err)
	}
	_, err := dashboardwire.ConsumerFromEnv(ctx)
	for _, name := range []string{"DASHBOARD_TABLE", "CATALOG_LOOKUP_FUNCTION"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("ConsumerFromEnv: %v, want one naming %s", err, name)
		}
	}
}
