package orderstask_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/orderstask"
	"github.com/goshop-dev/goshop/internal/sagatask"
)

func errorType(err error) string {
	var e messages.InvokeResponse_Error
	if errors.As(err, &e) {
		return e.Type
	}
	return ""
}

func TestConfirmAndCancelTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := orderstest.NewRepository()
	f := orderstest.NewFixture(t, repo)
	a, err := f.Service.Checkout(ctx, f.Request("u-1", "a"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Service.Checkout(ctx, f.Request("u-1", "b"))
	if err != nil {
		t.Fatal(err)
	}
	confirm, cancel := orderstask.Confirm(f.Service), orderstask.Cancel(f.Service)
	for range 2 {
		out, err := confirm(ctx, orderstask.ConfirmInput{OrderID: a.Order.ID(), CorrelationID: "c", PaymentID: "pay-1"})
		if err != nil || out != (orderstask.Output{OrderID: a.Order.ID(), Status: "CONFIRMED"}) {
			t.Fatalf("confirm: %+v, %v", out, err)
		}
		out, err = cancel(ctx, orderstask.CancelInput{OrderID: b.Order.ID(), CorrelationID: "c", Reason: events.ReasonPaymentDeclined})
		if err != nil || out != (orderstask.Output{OrderID: b.Order.ID(), Status: "CANCELLED"}) {
			t.Fatalf("cancel: %+v, %v", out, err)
		}
	}
	tests := []struct {
		name     string
		run      func() error
		wantType string
	}{
		{"confirm cancelled", func() error {
			_, err := confirm(ctx, orderstask.ConfirmInput{OrderID: b.Order.ID(), PaymentID: "pay-2"})
			return err
		}, sagatask.ErrOrderNotConfirmable},
		{"confirm unknown", func() error {
			_, err := confirm(ctx, orderstask.ConfirmInput{OrderID: "nope", PaymentID: "pay-2"})
			return err
		}, sagatask.ErrOrderNotConfirmable},
		{"cancel confirmed after failed confirm", func() error {
			_, err := cancel(ctx, orderstask.CancelInput{OrderID: a.Order.ID(), Reason: events.ReasonConfirmFailed})
			return err
		}, ""},
	}
	for _, tt := range tests {
		err := tt.run()
		if tt.wantType == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if got := errorType(err); got != tt.wantType {
			t.Errorf("%s: error %v of type %q, want %q", tt.name, err, got, tt.wantType)
		}
	}
	want := []string{"OrderCreated/" + a.Order.ID(), "OrderCreated/" + b.Order.ID(), "OrderConfirmed/" + a.Order.ID(), "OrderCancelled/" + b.Order.ID(), "OrderCancelled/" + a.Order.ID()}
	if diff := cmp.Diff(want, repo.Events()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func message(t *testing.T, id string, data events.Event, at time.Time) lambdaevents.SQSMessage {
	t.Helper()
	env, err := events.New(events.Meta{ID: id, OccurredAt: at, CorrelationID: "c"}, data)
	if err != nil {
		t.Fatal(err)
	}
	detail, _ := json.Marshal(env)
	body, _ := json.Marshal(map[string]any{"id": "eb-" + id, "detail-type": env.Type, "source": env.Source(), "detail": json.RawMessage(detail)})
	return lambdaevents.SQSMessage{MessageId: "m-" + id, Body: string(body)}
}

func TestUserNamesConsumerIsOrderInsensitive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := orderstest.NewRepository()
	svc := orders.NewService(repo, nil, nil, time.Now, nil)
	handler := consumer.SQSHandler(orderstask.UserNames(svc), logging.Discard(), nil)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	registered := message(t, "e-1", events.UserRegisteredV1{UserID: "u-1", Email: "a@example.com", Name: "Ada", RegisteredAt: t0}, t0)
	renamed := message(t, "e-2", events.UserUpdatedV1{UserID: "u-1", Name: "Ada Lovelace", UpdatedAt: t0.Add(time.Hour)}, t0.Add(time.Hour))
	other := message(t, "e-3", events.OrderShippedV1{OrderID: "o", UserID: "u-1", ShippedAt: t0}, t0)
	poison := lambdaevents.SQSMessage{MessageId: "m-bad", Body: "not json"}
	// Newer first, then the older registration, then the rename again.
	resp, err := handler(ctx, lambdaevents.SQSEvent{Records: []lambdaevents.SQSMessage{renamed, registered, renamed, other, poison}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]lambdaevents.SQSBatchItemFailure{{ItemIdentifier: "m-bad"}}, resp.BatchItemFailures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
	names, err := repo.UserNames(ctx, []string{"u-1"})
	if err != nil || names["u-1"] != "Ada Lovelace" {
		t.Errorf("name %q, %v; want the newer one", names["u-1"], err)
	}
}
