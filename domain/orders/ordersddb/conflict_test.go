package ordersddb_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/ordersddb"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
)

// conflictingAPI answers reads from a real table and cancels every
// transaction with a TransactionConflict on its last item, as DynamoDB
// does when another transaction holds the item.
type conflictingAPI struct {
	ordersddb.API
	calls atomic.Int32
}

func (c *conflictingAPI) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.calls.Add(1)
	reasons := make([]types.CancellationReason, len(in.TransactItems))
	for i := range reasons {
		reasons[i].Code = aws.String("None")
	}
	reasons[len(reasons)-1].Code = aws.String("TransactionConflict")
	return nil, &types.TransactionCanceledException{Message: aws.String("cancelled"), CancellationReasons: reasons}
}

// getAPI serves GetItem of one stored order.
type getAPI struct {
	ordersddb.API
	item map[string]types.AttributeValue
}

func (g getAPI) GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return &dynamodb.GetItemOutput{Item: g.item}, nil
}

func TestTransactionConflictsAreRetriedThenErrConflict(t *testing.T) {
	t.Parallel()
	o := orderstest.NewOrder(t, orderstest.NewUserID(), orderstest.Epoch)
	// Marshal the order as the store would, by storing it in a recording fake.
	rec := &recordingAPI{}
	if err := ordersddb.New(rec, "orders").Create(context.Background(), o, orderstest.IdempotencyFor(o)); err != nil {
		t.Fatal(err)
	}
	api := &conflictingAPI{API: getAPI{item: rec.orderItem}}
	svc := orders.NewService(ordersddb.New(api, "orders"), nil, nil, time.Now, nil, orders.WithRetry(4, time.Microsecond, time.Millisecond))
	if _, err := svc.Confirm(context.Background(), o.ID(), "pay-1"); !errors.Is(err, orders.ErrConflict) {
		t.Errorf("Confirm: %v, want ErrConflict", err)
	}
	if got := api.calls.Load(); got != 4 {
		t.Errorf("%d transactions, want 4 (bounded retries)", got)
	}
}

// recordingAPI keeps the order item of the last transaction.
type recordingAPI struct {
	ordersddb.API
	orderItem map[string]types.AttributeValue
}

func (r *recordingAPI) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	var head struct {
		Type string `dynamodbav:"type"`
	}
	for _, it := range in.TransactItems {
		if it.Put != nil && attributevalue.UnmarshalMap(it.Put.Item, &head) == nil && head.Type == "Order" {
			r.orderItem = it.Put.Item
		}
	}
	return &dynamodb.TransactWriteItemsOutput{}, nil
}
