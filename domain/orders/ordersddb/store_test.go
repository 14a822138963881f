package ordersddb_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/ordersddb"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/logging"
)

func TestStoreContract(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	orderstest.RunRepositoryContract(t, func(t *testing.T) orders.Repository {
		return ordersddb.New(client, ddbtest.Table(t, client, ordersddb.CreateTableInput))
	})
}

// outboxEvent reads the outbox item of the event of eventType about
// orderID; ok is false when there is none.
func outboxEvent(t *testing.T, client *dynamodb.Client, table, orderID, eventType string) (events.Envelope, bool) {
	t.Helper()
	out, err := client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(table),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "OUTBOX#" + ordersddb.EventID(orderID, eventType)},
			"sk": &types.AttributeValueMemberS{Value: "OUTBOX"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Item) == 0 {
		return events.Envelope{}, false
	}
	detail, ok := out.Item["detail"].(*types.AttributeValueMemberS)
	if !ok {
		t.Fatalf("outbox item without detail: %v", out.Item)
	}
	var env events.Envelope
	if err := json.Unmarshal([]byte(detail.Value), &env); err != nil {
		t.Fatal(err)
	}
	return env, true
}

func TestStatusChangesWriteTheirEvents(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, ordersddb.CreateTableInput)
	store := ordersddb.New(client, table)
	ctx := logging.WithIDs(context.Background(), logging.IDs{CorrelationID: "corr-1"})
	svc := orders.NewService(store, nil, nil, time.Now, nil)

	o := orderstest.NewOrder(t, orderstest.NewUserID(), orderstest.Epoch)
	if err := store.Create(ctx, o, orderstest.IdempotencyFor(o)); err != nil {
		t.Fatal(err)
	}
	created, ok := outboxEvent(t, client, table, o.ID(), events.TypeOrderCreated)
	if !ok || created.CorrelationID != "corr-1" || created.Producer != events.ProducerOrders {
		t.Fatalf("OrderCreated outbox item: %+v, %v", created, ok)
	}
	data, err := events.Decode[events.OrderCreatedV1](created)
	if err != nil || data.OrderID != o.ID() || data.Total.Amount != o.Total().Amount() || len(data.Lines) != 2 {
		t.Errorf("OrderCreated data %+v, %v", data, err)
	}
	if _, ok := outboxEvent(t, client, table, o.ID(), events.TypeOrderConfirmed); ok {
		t.Fatal("OrderConfirmed before the confirmation")
	}
	for range 2 { // the replay writes nothing more
		if _, err := svc.Confirm(ctx, o.ID(), "pay-1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := outboxEvent(t, client, table, o.ID(), events.TypeOrderConfirmed); !ok {
		t.Error("no OrderConfirmed outbox item")
	}
	if _, err := svc.SetStatus(ctx, o.ID(), orders.StatusShipped); err != nil {
		t.Fatal(err)
	}
	shipped, ok := outboxEvent(t, client, table, o.ID(), events.TypeOrderShipped)
	if !ok || shipped.ID != ordersddb.EventID(o.ID(), events.TypeOrderShipped) {
		t.Errorf("OrderShipped outbox item: %+v, %v", shipped, ok)
	}

	c := orderstest.NewOrder(t, orderstest.NewUserID(), orderstest.Epoch)
	if err := store.Create(ctx, c, orderstest.IdempotencyFor(c)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Cancel(ctx, c.ID(), "out_of_stock"); err != nil {
		t.Fatal(err)
	}
	cancelled, ok := outboxEvent(t, client, table, c.ID(), events.TypeOrderCancelled)
	if !ok {
		t.Fatal("no OrderCancelled outbox item")
	}
	if data, err := events.Decode[events.OrderCancelledV1](cancelled); err != nil || data.Reason != "out_of_stock" {
		t.Errorf("OrderCancelled data %+v, %v", data, err)
	}
}
