package consumer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/logging"
)

// golden returns the published sample of an OrderCreated event.
func golden(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", "testdata", "OrderCreated.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bridgeBody is the SQS message body EventBridge delivers to a queue
// target: the whole event, the envelope in its detail.
func bridgeBody(detailType, source string, detail []byte) string {
	return `{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"` + detailType +
		`","source":"` + source + `","account":"123456789012","time":"2026-03-06T10:02:12Z",` +
		`"region":"eu-west-1","resources":[],"detail":` + string(detail) + `}`
}

func envelopeBody(t *testing.T, env events.Envelope) string {
	t.Helper()
	detail, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return bridgeBody(env.Type, env.Source(), detail)
}

func TestDecode(t *testing.T) {
	t.Parallel()
	sample := golden(t)
	var want events.Envelope
	if err := json.Unmarshal(sample, &want); err != nil {
		t.Fatal(err)
	}
	got, err := consumer.Decode(bridgeBody(events.TypeOrderCreated, events.SourceOrders, sample))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("envelope (-want +got):\n%s", diff)
	}
	data, err := events.Decode[events.OrderCreatedV1](got)
	if err != nil {
		t.Fatalf("decode data: %v", err)
	}
	if data.OrderID != "7c9e6679-7425-40de-944b-e07fc1f90ae7" || data.Total != (events.Money{Amount: 6199, Currency: "USD"}) || len(data.Lines) != 2 {
		t.Errorf("data = %+v", data)
	}
}

func TestDecodePoison(t *testing.T) {
	t.Parallel()
	sample := golden(t)
	without := func(field string) []byte {
		var m map[string]any
		if err := json.Unmarshal(sample, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, field)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name string
		body string
	}{
		{"empty", ""},
		{"not JSON", "OrderCreated 7c9e6679"},
		{"JSON array", `[1,2]`},
		{"no detail", `{"detail-type":"OrderCreated","source":"goshop.orders"}`},
		{"null detail", bridgeBody(events.TypeOrderCreated, events.SourceOrders, []byte(`null`))},
		{"detail a string", bridgeBody(events.TypeOrderCreated, events.SourceOrders, []byte(`"hello"`))},
		{"detail not an envelope", bridgeBody(events.TypeOrderCreated, events.SourceOrders, []byte(`{"orderId":"o-1"}`))},
		{"detail with a bad time", bridgeBody(events.TypeOrderCreated, events.SourceOrders, []byte(`{"id":"x","type":"OrderCreated","version":1,"occurredAt":"soon"}`))},
		{"missing id", bridgeBody(events.TypeOrderCreated, events.SourceOrders, without("id"))},
		{"missing type", bridgeBody(events.TypeOrderCreated, events.SourceOrders, without("type"))},
		{"detail-type mismatch", bridgeBody(events.TypeOrderConfirmed, events.SourceOrders, sample)},
		{"SQS message that is not from EventBridge", `{"orderId":"o-1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env, err := consumer.Decode(tt.body)
			if !errors.Is(err, consumer.ErrPoison) {
				t.Fatalf("Decode = %+v, %v; want ErrPoison", env, err)
			}
		})
	}
}

var occurred = time.Date(2026, 3, 6, 10, 2, 13, 15e6, time.UTC)

// seen records what the handler was called with.
type seen struct {
	mu  sync.Mutex
	ids map[string]logging.IDs // by event id
}

func (s *seen) record(ctx context.Context, env events.Envelope) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids[env.ID] = logging.IDsFrom(ctx)
}

// event returns an OrderConfirmed envelope; its id tells the test handler
// how to behave.
func event(t *testing.T, id string) events.Envelope {
	t.Helper()
	env, err := events.New(events.Meta{ID: id, OccurredAt: occurred, CorrelationID: "corr-" + id},
		events.OrderConfirmedV1{OrderID: "o-" + id, UserID: "u-1", Total: events.Money{Amount: 100, Currency: "EUR"}})
	if err != nil {
		t.Fatal(err)
	}
	return env
}

func message(id, body string) lambdaevents.SQSMessage {
	return lambdaevents.SQSMessage{
		MessageId: id, ReceiptHandle: "rh-" + id, Body: body, EventSource: "aws:sqs",
		EventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:notifications-consumer",
		Attributes:     map[string]string{"ApproximateReceiveCount": "1"},
	}
}

func testHandler(s *seen) consumer.Handle {
	return func(ctx context.Context, env events.Envelope) error {
		s.record(ctx, env)
		switch {
		case strings.HasPrefix(env.ID, "fail"):
			return errors.New("table unavailable")
		case strings.HasPrefix(env.ID, "poison"):
			return fmt.Errorf("%w: unknown version", consumer.ErrPoison)
		case strings.HasPrefix(env.ID, "panic"):
			var list []int
			_ = list[len(env.ID)] // an index out of range: a real runtime panic
		}
		return nil
	}
}

func TestSQSHandler(t *testing.T) {
	t.Parallel()
	s := &seen{ids: map[string]logging.IDs{}}
	batch := lambdaevents.SQSEvent{Records: []lambdaevents.SQSMessage{
		message("m1", envelopeBody(t, event(t, "ok-1"))),
		message("m2", "not json"),
		message("m3", envelopeBody(t, event(t, "fail-1"))),
		message("m4", envelopeBody(t, event(t, "panic-1"))),
		message("m5", bridgeBody(events.TypeOrderShipped, events.SourceOrders, mustJSON(t, event(t, "mismatch-1")))),
		message("m6", envelopeBody(t, event(t, "poison-1"))),
		message("m7", envelopeBody(t, event(t, "ok-2"))),
	}}
	resp, err := consumer.SQSHandler(testHandler(s), logging.Discard(), nil)(context.Background(), batch)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	want := []lambdaevents.SQSBatchItemFailure{{ItemIdentifier: "m2"}, {ItemIdentifier: "m3"}, {ItemIdentifier: "m4"}, {ItemIdentifier: "m5"}, {ItemIdentifier: "m6"}}
	if diff := cmp.Diff(want, resp.BatchItemFailures); diff != "" {
		t.Errorf("batch item failures (-want +got):\n%s", diff)
	}
	// Every decodable message reached the handler, with the event's
	// correlation id and the message id in its context; the others did not.
	wantIDs := map[string]logging.IDs{
		"ok-1":     {CorrelationID: "corr-ok-1", RequestID: "m1"},
		"fail-1":   {CorrelationID: "corr-fail-1", RequestID: "m3"},
		"panic-1":  {CorrelationID: "corr-panic-1", RequestID: "m4"},
		"poison-1": {CorrelationID: "corr-poison-1", RequestID: "m6"},
		"ok-2":     {CorrelationID: "corr-ok-2", RequestID: "m7"},
	}
	if diff := cmp.Diff(wantIDs, s.ids); diff != "" {
		t.Errorf("handler calls (-want +got):\n%s", diff)
	}
}

func TestSQSHandlerAllSucceed(t *testing.T) {
	t.Parallel()
	s := &seen{ids: map[string]logging.IDs{}}
	batch := lambdaevents.SQSEvent{Records: []lambdaevents.SQSMessage{
		message("m1", envelopeBody(t, event(t, "ok-1"))),
		message("m2", envelopeBody(t, event(t, "ok-2"))),
	}}
	resp, err := consumer.SQSHandler(testHandler(s), logging.Discard(), nil)(context.Background(), batch)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	if len(resp.BatchItemFailures) != 0 {
		t.Errorf("failures = %v, want none", resp.BatchItemFailures)
	}
	if len(s.ids) != 2 {
		t.Errorf("handler called for %d events, want 2", len(s.ids))
	}
}

// TestSQSHandlerLogs checks that failures are logged with the ids that
// let an operator find the event.
func TestSQSHandlerLogs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := logging.New(&buf, "test", slog.LevelInfo)
	s := &seen{ids: map[string]logging.IDs{}}
	batch := lambdaevents.SQSEvent{Records: []lambdaevents.SQSMessage{
		message("m1", envelopeBody(t, event(t, "fail-1"))),
		message("m2", envelopeBody(t, event(t, "panic-1"))),
		message("m3", "{"),
	}}
	if _, err := consumer.SQSHandler(testHandler(s), logger, nil)(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	type line struct {
		Level, Msg, EventID, CorrelationID, RequestID, MessageID string
	}
	var got []line
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var raw map[string]any
		if err := dec.Decode(&raw); err != nil {
			t.Fatalf("log is not JSON lines: %v", err)
		}
		str := func(k string) string { s, _ := raw[k].(string); return s }
		got = append(got, line{str("level"), str("msg"), str("eventId"), str("correlationId"), str("requestId"), str("messageId")})
	}
	want := []line{
		{"ERROR", "event failed", "fail-1", "corr-fail-1", "m1", ""},
		{"ERROR", "event handler panicked", "panic-1", "corr-panic-1", "m2", ""},
		{"ERROR", "poison message", "", "", "", "m3"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log lines (-want +got):\n%s", diff)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
