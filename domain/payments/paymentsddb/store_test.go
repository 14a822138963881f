package paymentsddb_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentsddb"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/payments/paymentstest"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/outbox"
)

func TestStoreContract(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	paymentstest.RunRepositoryContract(t, func(t *testing.T) payments.Repository {
		return paymentsddb.New(client, ddbtest.Table(t, client, paymentsddb.CreateTableInput))
	})
}

// outboxEvent reads the outbox item of event id and returns its envelope,
// or false when there is none.
func outboxEvent(t *testing.T, client *dynamodb.Client, table, id string) (events.Envelope, bool) {
	t.Helper()
	out, err := client.GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String(table), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "OUTBOX#" + id},
			"sk": &types.AttributeValueMemberS{Value: "OUTBOX"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Item) == 0 {
		return events.Envelope{}, false
	}
	if got := out.Item[outbox.TTLAttribute]; got == nil {
		t.Errorf("outbox item %s has no %s", id, outbox.TTLAttribute)
	}
	detail, ok := out.Item["detail"].(*types.AttributeValueMemberS)
	if !ok {
		t.Fatalf("outbox item %s has no detail", id)
	}
	var env events.Envelope
	if err := json.Unmarshal([]byte(detail.Value), &env); err != nil {
		t.Fatal(err)
	}
	return env, true
}

func TestStatusChangesWriteTheirEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, paymentsddb.CreateTableInput)
	svc := payments.NewService(paymentsddb.New(client, table), paymentssandbox.New(), time.Now)
	amount, _ := money.New(2500, "EUR")

	paid := payments.ProcessRequest{OrderID: uuid.NewString(), UserID: "u-1", CorrelationID: "corr-1", Amount: amount, Token: paymentssandbox.TokenVisa}
	p, err := svc.Process(ctx, paid)
	if err != nil {
		t.Fatal(err)
	}
	env, ok := outboxEvent(t, client, table, paymentsddb.EventID(paid.OrderID, events.TypePaymentSucceeded))
	if !ok {
		t.Fatal("no PaymentSucceeded outbox item")
	}
	if env.CorrelationID != "corr-1" || env.Producer != events.ProducerPayments {
		t.Errorf("envelope correlation %q producer %q, want corr-1 payments", env.CorrelationID, env.Producer)
	}
	succeeded, err := events.Decode[events.PaymentSucceededV1](env)
	if err != nil {
		t.Fatal(err)
	}
	want := events.PaymentSucceededV1{PaymentID: p.ID(), OrderID: paid.OrderID, UserID: "u-1", Amount: events.Money{Amount: 2500, Currency: "EUR"}, ProcessedAt: p.UpdatedAt()}
	if diff := cmp.Diff(want, succeeded); diff != "" {
		t.Errorf("PaymentSucceeded (-want +got):\n%s", diff)
	}

	if _, err := svc.Refund(ctx, paid.OrderID); err != nil {
		t.Fatal(err)
	}
	if _, ok := outboxEvent(t, client, table, paymentsddb.EventID(paid.OrderID, events.TypePaymentRefunded)); !ok {
		t.Error("no PaymentRefunded outbox item")
	}

	declined := paid
	declined.OrderID, declined.Token = uuid.NewString(), paymentssandbox.TokenDeclined
	if _, err := svc.Process(ctx, declined); !errors.Is(err, payments.ErrDeclined) {
		t.Fatalf("declined: err = %v", err)
	}
	env, ok = outboxEvent(t, client, table, paymentsddb.EventID(declined.OrderID, events.TypePaymentFailed))
	if !ok {
		t.Fatal("no PaymentFailed outbox item")
	}
	failed, err := events.Decode[events.PaymentFailedV1](env)
	if err != nil || failed.Reason != "declined" {
		t.Errorf("PaymentFailed reason %q (%v), want declined", failed.Reason, err)
	}

	// A PENDING change (a counted attempt) publishes nothing.
	transient := paid
	transient.OrderID, transient.Token = uuid.NewString(), paymentssandbox.TokenProcessingError
	if _, err := svc.Process(ctx, transient); !errors.Is(err, payments.ErrGatewayUnavailable) {
		t.Fatalf("transient: err = %v", err)
	}
	for _, typ := range []string{events.TypePaymentSucceeded, events.TypePaymentFailed} {
		if _, ok := outboxEvent(t, client, table, paymentsddb.EventID(transient.OrderID, typ)); ok {
			t.Errorf("%s written for a payment still PENDING", typ)
		}
	}
}

// conflictingAPI reads from a real store but cancels every transaction with
// a TransactionConflict, as DynamoDB does when another transaction holds
// the item.
type conflictingAPI struct {
	paymentsddb.API
	transactions int
}

func (c *conflictingAPI) TransactWriteItems(_ context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.transactions++
	reasons := make([]types.CancellationReason, len(in.TransactItems))
	for i := range reasons {
		reasons[i].Code = aws.String("None")
	}
	reasons[0].Code = aws.String("TransactionConflict")
	return nil, &types.TransactionCanceledException{Message: aws.String("cancelled"), CancellationReasons: reasons}
}

func TestTransactionConflictIsRetriedThenErrConflict(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, paymentsddb.CreateTableInput)
	api := &conflictingAPI{API: client}
	svc := payments.NewService(paymentsddb.New(api, table), paymentssandbox.New(), time.Now,
		payments.WithRetry(3, time.Microsecond, time.Millisecond))
	amount, _ := money.New(100, "USD")
	_, err := svc.Process(context.Background(), payments.ProcessRequest{OrderID: uuid.NewString(), UserID: "u", Amount: amount, Token: paymentssandbox.TokenVisa})
	if !errors.Is(err, payments.ErrConflict) {
		t.Errorf("err = %v, want ErrConflict", err)
	}
	if api.transactions != 3 {
		t.Errorf("%d transactions, want 3 (bounded retries)", api.transactions)
	}
}
