package notificationswire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationsddb"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
	"github.com/goshop-dev/goshop/domain/notifications/notificationstest"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/wire/notificationswire"
)

var noteTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type notifier struct {
	handle consumer.Handle
	sender *notificationssandbox.Sender
	logs   *syncBuffer
}

func newNotifier(repo notifications.Repository) notifier {
	logs := &syncBuffer{}
	logger := logging.New(logs, "notifications", slog.LevelDebug)
	sender := notificationssandbox.New(logger)
	svc := notifications.NewService(repo, sender.Channels(), func() time.Time { return noteTime }, uuid.NewString)
	return notifier{handle: notificationswire.Handle(svc, logger), sender: sender, logs: logs}
}

func envelope(t *testing.T, data events.Event) events.Envelope {
	t.Helper()
	env, err := events.New(events.Meta{ID: uuid.NewString(), OccurredAt: noteTime, CorrelationID: "c-1"}, data)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

type sent struct {
	Channel notifications.Channel
	UserID  string
	Type    string
	Subject string
}

func (n notifier) sent() []sent {
	var out []sent
	for _, m := range n.sender.Sent() {
		out = append(out, sent{m.Channel(), m.UserID(), m.EventType(), m.Subject()})
	}
	return out
}

func TestHandleMapsEvents(t *testing.T) {
	t.Parallel()
	usd := events.Money{Amount: 1299, Currency: "USD"}
	tests := []struct {
		name string
		data events.Event
		want []sent
	}{
		{"user registered", events.UserRegisteredV1{UserID: "u-1", Email: "ada@example.com", Name: "Ada", RegisteredAt: noteTime},
			[]sent{{"email", "u-1", "UserRegistered", "Welcome to goshop"}}},
		{"order created", events.OrderCreatedV1{OrderID: "o-1", UserID: "u-1", Total: usd, CreatedAt: noteTime,
			Lines: []events.OrderLine{{ProductID: "p-1", Quantity: 2}, {ProductID: "p-2", Quantity: 1}}},
			[]sent{{"email", "u-1", "OrderCreated", "We received your order o-1"}}},
		{"order confirmed", events.OrderConfirmedV1{OrderID: "o-1", UserID: "u-1", Total: usd},
			[]sent{{"email", "u-1", "OrderConfirmed", "Your order o-1 is confirmed"}, {"push", "u-1", "OrderConfirmed", "Your order o-1 is confirmed"}}},
		{"order cancelled", events.OrderCancelledV1{OrderID: "o-1", UserID: "u-1", Reason: events.ReasonPaymentDeclined},
			[]sent{{"email", "u-1", "OrderCancelled", "Your order o-1 was cancelled"}, {"push", "u-1", "OrderCancelled", "Your order o-1 was cancelled"}}},
		{"order shipped", events.OrderShippedV1{OrderID: "o-1", UserID: "u-1"},
			[]sent{{"email", "u-1", "OrderShipped", "Your order o-1 has shipped"}, {"push", "u-1", "OrderShipped", "Your order o-1 has shipped"}}},
		{"payment succeeded", events.PaymentSucceededV1{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1", Amount: usd},
			[]sent{{"email", "u-1", "PaymentSucceeded", "Payment received for order o-1"}}},
		{"payment failed", events.PaymentFailedV1{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1", Amount: usd, Reason: "declined"},
			[]sent{{"email", "u-1", "PaymentFailed", "Payment failed for order o-1"}}},
		{"payment refunded", events.PaymentRefundedV1{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1", Amount: usd},
			[]sent{{"email", "u-1", "PaymentRefunded", "Refund issued for order o-1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := newNotifier(notificationstest.NewRepository())
			if err := n.handle(context.Background(), envelope(t, tt.data)); err != nil {
				t.Fatalf("handle: %v", err)
			}
			if diff := cmp.Diff(tt.want, n.sent()); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandleBodies(t *testing.T) {
	t.Parallel()
	n := newNotifier(notificationstest.NewRepository())
	ctx := context.Background()
	for _, data := range []events.Event{
		events.OrderCreatedV1{OrderID: "o-1", UserID: "u-1", Total: events.Money{Amount: 1299, Currency: "USD"},
			Lines: []events.OrderLine{{ProductID: "p-1", Quantity: 2}, {ProductID: "p-2", Quantity: 1}}},
		events.OrderCancelledV1{OrderID: "o-2", UserID: "u-1", Reason: events.ReasonOutOfStock},
		events.PaymentFailedV1{PaymentID: "p-1", OrderID: "o-3", UserID: "u-1", Amount: events.Money{Amount: 500, Currency: "EUR"}, Reason: "error"},
	} {
		if err := n.handle(ctx, envelope(t, data)); err != nil {
			t.Fatal(err)
		}
	}
	var bodies []string
	for _, m := range n.sender.Sent() {
		if m.Channel() == notifications.ChannelEmail {
			bodies = append(bodies, m.Body())
		}
	}
	want := []string{
		"Thank you for your order o-1: 3 items for 12.99 USD. We will let you know as soon as it is confirmed.",
		"We are sorry: your order o-2 was cancelled because some items are out of stock. You have not been charged.",
		"Your payment of 5.00 EUR for order o-3 could not be processed. Nothing was charged.",
	}
	if diff := cmp.Diff(want, bodies); diff != "" {
		t.Errorf("email bodies (-want +got):\n%s", diff)
	}
}

func TestHandleIgnoresUnknownTypes(t *testing.T) {
	t.Parallel()
	n := newNotifier(notificationstest.NewRepository())
	for _, env := range []events.Envelope{
		envelope(t, events.InventoryReservedV1{OrderID: "o-1"}),
		envelope(t, events.UserUpdatedV1{UserID: "u-1", Name: "Ada"}),
		{ID: "e-new", Type: "GiftCardIssued", Version: 1, Data: json.RawMessage(`{}`)},
	} {
		if err := n.handle(context.Background(), env); err != nil {
			t.Errorf("%s: err = %v, want nil (ignored)", env.Type, err)
		}
		if !strings.Contains(n.logs.String(), `"msg":"event ignored"`) || !strings.Contains(n.logs.String(), env.Type) {
			t.Errorf("%s: no log says it was ignored: %s", env.Type, n.logs)
		}
	}
	if len(n.sender.Sent()) != 0 {
		t.Errorf("sent %d messages for ignored events", len(n.sender.Sent()))
	}
}

func TestHandlePoison(t *testing.T) {
	t.Parallel()
	shipped := envelope(t, events.OrderShippedV1{OrderID: "o-1", UserID: "u-1"})
	tests := []struct {
		name string
		env  events.Envelope
	}{
		{"malformed data", events.Envelope{ID: "e-1", Type: events.TypeOrderShipped, Version: 1, Data: json.RawMessage(`{"orderId": 7}`)}},
		{"not json", events.Envelope{ID: "e-2", Type: events.TypePaymentSucceeded, Version: 1, Data: json.RawMessage(`nope`)}},
		{"unknown version", events.Envelope{ID: "e-3", Type: events.TypeOrderShipped, Version: 2, Data: shipped.Data}},
		{"no user", envelope(t, events.OrderShippedV1{OrderID: "o-1"})},
		{"bad currency", envelope(t, events.PaymentRefundedV1{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1", Amount: events.Money{Amount: 1, Currency: "dollars"}})},
		{"negative amount", envelope(t, events.OrderConfirmedV1{OrderID: "o-1", UserID: "u-1", Total: events.Money{Amount: -1, Currency: "USD"}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := newNotifier(notificationstest.NewRepository())
			if err := n.handle(context.Background(), tt.env); !errors.Is(err, consumer.ErrPoison) {
				t.Errorf("err = %v, want ErrPoison", err)
			}
			if len(n.sender.Sent()) != 0 {
				t.Errorf("sent %d messages for a poison event", len(n.sender.Sent()))
			}
		})
	}
}

// TestNotificationsConsumerRetriesFailedChannel runs the consumer's Lambda
// handler: a failing push channel reports the message as a batch item
// failure (not poison), and the redelivery sends push only.
func TestNotificationsConsumerRetriesFailedChannel(t *testing.T) {
	t.Parallel()
	n := newNotifier(notificationstest.NewRepository())
	lambda := consumer.SQSHandler(n.handle, logging.Discard(), nil)
	env := envelope(t, events.OrderShippedV1{OrderID: "o-1", UserID: "u-1"})
	batch := lambdaevents.SQSEvent{Records: []lambdaevents.SQSMessage{
		{MessageId: "msg-1", Body: bridgeBody(t, env)},
		{MessageId: "msg-2", Body: `{"detail-type": "OrderShipped", "detail": "garbage"}`},
	}}
	n.sender.Fail(notifications.ChannelPush, errors.New("push down"))
	resp, err := lambda(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	failed := []lambdaevents.SQSBatchItemFailure{{ItemIdentifier: "msg-1"}, {ItemIdentifier: "msg-2"}}
	if diff := cmp.Diff(failed, resp.BatchItemFailures); diff != "" {
		t.Fatalf("failures (-want +got):\n%s", diff)
	}
	n.sender.Fail(notifications.ChannelPush, nil)
	resp, err = lambda(context.Background(), lambdaevents.SQSEvent{Records: batch.Records[:1]})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("redelivery: %v, failures %v", err, resp.BatchItemFailures)
	}
	want := []sent{
		{"email", "u-1", "OrderShipped", "Your order o-1 has shipped"},
		{"push", "u-1", "OrderShipped", "Your order o-1 has shipped"},
	}
	if diff := cmp.Diff(want, n.sent()); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
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

// TestHandleDuplicateOnDynamoDB delivers one event three
// times, twice at once, against DynamoDB Local: one email and one push.
func TestHandleDuplicateOnDynamoDB(t *testing.T) {
	t.Parallel()
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, notificationsddb.CreateTableInput)
	n := newNotifier(notificationsddb.New(client, table))
	env := envelope(t, events.OrderConfirmedV1{OrderID: "o-1", UserID: "u-1", Total: events.Money{Amount: 100, Currency: "USD"}})
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { _ = n.handle(context.Background(), env) })
	}
	wg.Wait()
	if err := n.handle(context.Background(), env); err != nil {
		t.Fatalf("redelivery: %v", err)
	}
	want := []sent{
		{"email", "u-1", "OrderConfirmed", "Your order o-1 is confirmed"},
		{"push", "u-1", "OrderConfirmed", "Your order o-1 is confirmed"},
	}
	if diff := cmp.Diff(want, n.sent()); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
}

func TestServiceFromEnvNeedsTable(t *testing.T) {
	t.Setenv("NOTIFICATIONS_TABLE", "")
	_, err := notificationswire.ServiceFromEnv(context.Background(), logging.Discard())
	if err == nil || !strings.Contains(err.Error(), "NOTIFICATIONS_TABLE") {
		t.Errorf("err = %v, want one naming NOTIFICATIONS_TABLE", err)
	}
}
