package outbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/outbox"
)

const bus = "goshop-test"

// entry is what a test compares of a PutEvents entry.
type entry struct {
	Bus, Source, DetailType, Detail string
}

// fakeBus is an EventPutter recording every call; respond decides the
// outcome of call n (0-based), accepting everything when nil.
type fakeBus struct {
	respond func(n int, entries []ebtypes.PutEventsRequestEntry) (*eventbridge.PutEventsOutput, error)

	mu    sync.Mutex
	calls [][]entry
}

func (f *fakeBus) PutEvents(_ context.Context, in *eventbridge.PutEventsInput, _ ...func(*eventbridge.Options)) (*eventbridge.PutEventsOutput, error) {
	f.mu.Lock()
	n := len(f.calls)
	call := make([]entry, len(in.Entries))
	for i, e := range in.Entries {
		call[i] = entry{aws.ToString(e.EventBusName), aws.ToString(e.Source), aws.ToString(e.DetailType), aws.ToString(e.Detail)}
	}
	f.calls = append(f.calls, call)
	f.mu.Unlock()
	if f.respond != nil {
		return f.respond(n, in.Entries)
	}
	return accept(in.Entries), nil
}

func (f *fakeBus) published() [][]entry {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func accept(entries []ebtypes.PutEventsRequestEntry) *eventbridge.PutEventsOutput {
	out := &eventbridge.PutEventsOutput{}
	for i := range entries {
		out.Entries = append(out.Entries, ebtypes.PutEventsResultEntry{EventId: aws.String(fmt.Sprintf("eb-%d", i))})
	}
	return out
}

// refuse accepts entries except those at the given indexes.
func refuse(entries []ebtypes.PutEventsRequestEntry, idx ...int) *eventbridge.PutEventsOutput {
	out := accept(entries)
	for _, i := range idx {
		out.Entries[i] = ebtypes.PutEventsResultEntry{ErrorCode: aws.String("InternalFailure"), ErrorMessage: aws.String("try again")}
	}
	out.FailedEntryCount = int32(len(idx))
	return out
}

func wantEntry(t *testing.T, env events.Envelope) entry {
	t.Helper()
	detail, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return entry{Bus: bus, Source: env.Source(), DetailType: env.Type, Detail: string(detail)}
}

func TestHandlerPublishesOnlyOutboxInserts(t *testing.T) {
	t.Parallel()
	a, b := event(t, "a"), event(t, "b")
	noType := stateRecord(seq(5))
	delete(noType.Change.NewImage, "type")
	numericType := stateRecord(seq(6))
	numericType.Change.NewImage["type"] = lambdaevents.NewNumberAttribute("1")
	batch := lambdaevents.DynamoDBEvent{Records: []lambdaevents.DynamoDBEventRecord{
		outboxRecord(t, lambdaevents.DynamoDBOperationTypeInsert, seq(1), a),
		outboxRecord(t, lambdaevents.DynamoDBOperationTypeModify, seq(2), a),
		outboxRecord(t, lambdaevents.DynamoDBOperationTypeRemove, seq(3), a), // the TTL deleting it
		stateRecord(seq(4)),
		noType,
		numericType,
		outboxRecord(t, lambdaevents.DynamoDBOperationTypeInsert, seq(7), b),
	}}
	fake := &fakeBus{}
	resp, err := outbox.Handler(fake, bus, logging.Discard())(context.Background(), batch)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	if len(resp.BatchItemFailures) != 0 {
		t.Errorf("failures = %v, want none", resp.BatchItemFailures)
	}
	want := [][]entry{{wantEntry(t, a), wantEntry(t, b)}}
	if diff := cmp.Diff(want, fake.published()); diff != "" {
		t.Errorf("PutEvents calls (-want +got):\n%s", diff)
	}

	// What reaches the bus decodes back into the event.
	var got events.Envelope
	if err := json.Unmarshal([]byte(fake.published()[0][1].Detail), &got); err != nil {
		t.Fatalf("detail: %v", err)
	}
	if diff := cmp.Diff(b, got); diff != "" {
		t.Errorf("published detail (-want +got):\n%s", diff)
	}
}

func TestHandlerNothingToPublish(t *testing.T) {
	t.Parallel()
	fake := &fakeBus{}
	batch := lambdaevents.DynamoDBEvent{Records: []lambdaevents.DynamoDBEventRecord{stateRecord(seq(1)), stateRecord(seq(2))}}
	resp, err := outbox.Handler(fake, bus, logging.Discard())(context.Background(), batch)
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("handler = %v, %v; want no failure", resp, err)
	}
	if n := len(fake.published()); n != 0 {
		t.Errorf("%d PutEvents calls, want none", n)
	}
}

// mixedBatch returns 23 outbox inserts with ordinary records between them,
// and the envelopes and sequence numbers of the outbox records in order.
func mixedBatch(t *testing.T) (lambdaevents.DynamoDBEvent, []events.Envelope, []string) {
	t.Helper()
	var (
		batch lambdaevents.DynamoDBEvent
		envs  []events.Envelope
		seqs  []string
	)
	n := 0
	for i := range 23 {
		if i%4 == 0 {
			batch.Records = append(batch.Records, stateRecord(seq(n)))
			n++
		}
		env := event(t, fmt.Sprintf("evt-%02d", i))
		batch.Records = append(batch.Records, outboxRecord(t, lambdaevents.DynamoDBOperationTypeInsert, seq(n), env))
		envs = append(envs, env)
		seqs = append(seqs, seq(n))
		n++
	}
	return batch, envs, seqs
}

func TestHandlerBatchesByTen(t *testing.T) {
	t.Parallel()
	batch, envs, _ := mixedBatch(t)
	fake := &fakeBus{}
	resp, err := outbox.Handler(fake, bus, logging.Discard())(context.Background(), batch)
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("handler = %v, %v; want no failure", resp, err)
	}
	var want [][]entry
	for start := 0; start < len(envs); start += 10 {
		var call []entry
		for _, env := range envs[start:min(start+10, len(envs))] {
			call = append(call, wantEntry(t, env))
		}
		want = append(want, call)
	}
	if diff := cmp.Diff(want, fake.published()); diff != "" {
		t.Errorf("PutEvents calls (-want +got):\n%s", diff)
	}
}

func TestHandlerReportsFirstFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		respond func(n int, entries []ebtypes.PutEventsRequestEntry) (*eventbridge.PutEventsOutput, error)
		// failed is the index of the outbox record reported, -1 for none;
		// calls is how many PutEvents calls were made.
		failed, calls int
	}{
		{
			name:    "all accepted",
			respond: nil,
			failed:  -1, calls: 3,
		},
		{
			name: "first call errors",
			respond: func(n int, e []ebtypes.PutEventsRequestEntry) (*eventbridge.PutEventsOutput, error) {
				return nil, errors.New("throttled")
			},
			failed: 0, calls: 1,
		},
		{
			name: "second call errors",
			respond: func(n int, e []ebtypes.PutEventsRequestEntry) (*eventbridge.PutEventsOutput, error) {
				if n == 1 {
					return nil, errors.New("throttled")
				}
				return accept(e), nil
			},
			failed: 10, calls: 2,
		},
		{
			name: "entries refused in the second call",
			respond: func(n int, e []ebtypes.PutEventsRequestEntry) (*eventbridge.PutEventsOutput, error) {
				if n == 1 {
					return refuse(e, 4, 7), nil
				}
				return accept(e), nil
			},
			failed: 14, calls: 2,
		},
		{
			name: "first entry refused",
			respond: func(n int, e []ebtypes.PutEventsRequestEntry) (*eventbridge.PutEventsOutput, error) {
				return refuse(e, 0), nil
			},
			failed: 0, calls: 1,
		},
		{
			name: "last entry refused",
			respond: func(n int, e []ebtypes.PutEventsRequestEntry) (*eventbridge.PutEventsOutput, error) {
				if n == 2 {
					return refuse(e, len(e)-1), nil
				}
				return accept(e), nil
			},
			failed: 22, calls: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			batch, _, seqs := mixedBatch(t)
			fake := &fakeBus{respond: tt.respond}
			resp, err := outbox.Handler(fake, bus, logging.Discard())(context.Background(), batch)
			if err != nil {
				t.Fatalf("handler: %v", err)
			}
			var want []lambdaevents.DynamoDBBatchItemFailure
			if tt.failed >= 0 {
				want = []lambdaevents.DynamoDBBatchItemFailure{{ItemIdentifier: seqs[tt.failed]}}
			}
			if diff := cmp.Diff(want, resp.BatchItemFailures); diff != "" {
				t.Errorf("batch item failures (-want +got):\n%s", diff)
			}
			if got := len(fake.published()); got != tt.calls {
				t.Errorf("%d PutEvents calls, want %d", got, tt.calls)
			}
		})
	}
}

// TestHandlerLambdaPayload feeds the handler a stream event as Lambda
// delivers it, in JSON.
func TestHandlerLambdaPayload(t *testing.T) {
	t.Parallel()
	env := event(t, "from-json")
	detail, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	detailJSON, err := json.Marshal(string(detail))
	if err != nil {
		t.Fatal(err)
	}
	payload := `{"Records":[{
	  "eventID":"c4ca4238a0b923820dcc509a6f75849b","eventName":"INSERT","eventVersion":"1.1",
	  "eventSource":"aws:dynamodb","awsRegion":"eu-west-1",
	  "dynamodb":{"ApproximateCreationDateTime":1772791331,
	    "Keys":{"pk":{"S":"OUTBOX#from-json"},"sk":{"S":"OUTBOX"}},
	    "NewImage":{"pk":{"S":"OUTBOX#from-json"},"sk":{"S":"OUTBOX"},"type":{"S":"Outbox"},
	      "source":{"S":"goshop.orders"},"detailType":{"S":"OrderConfirmed"},"detail":{"S":` + string(detailJSON) + `},
	      "createdAt":{"S":"2026-03-06T10:02:11.204Z"},"expiresAt":{"N":"1773396131"}},
	    "SequenceNumber":"4421584500000000017450439091","SizeBytes":412,"StreamViewType":"NEW_IMAGE"},
	  "eventSourceARN":"arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-03-01T00:00:00.000"}]}`
	var batch lambdaevents.DynamoDBEvent
	if err := json.Unmarshal([]byte(payload), &batch); err != nil {
		t.Fatalf("payload: %v", err)
	}
	fake := &fakeBus{respond: func(_ int, e []ebtypes.PutEventsRequestEntry) (*eventbridge.PutEventsOutput, error) {
		return refuse(e, 0), nil
	}}
	resp, err := outbox.Handler(fake, bus, logging.Discard())(context.Background(), batch)
	if err != nil {
		t.Fatalf("handler: %v", err)
	}
	if diff := cmp.Diff([][]entry{{wantEntry(t, env)}}, fake.published()); diff != "" {
		t.Errorf("PutEvents calls (-want +got):\n%s", diff)
	}
	want := []lambdaevents.DynamoDBBatchItemFailure{{ItemIdentifier: "4421584500000000017450439091"}}
	if diff := cmp.Diff(want, resp.BatchItemFailures); diff != "" {
		t.Errorf("failures (-want +got):\n%s", diff)
	}
}

// TestHandlerLogsEachEventUnderItsCorrelationID checks the line that lets
// an operator follow a request through the publisher.
func TestHandlerLogsEachEventUnderItsCorrelationID(t *testing.T) {
	t.Parallel()
	a, b := event(t, "a"), event(t, "b")
	batch := lambdaevents.DynamoDBEvent{Records: []lambdaevents.DynamoDBEventRecord{
		outboxRecord(t, lambdaevents.DynamoDBOperationTypeInsert, seq(1), a),
		outboxRecord(t, lambdaevents.DynamoDBOperationTypeInsert, seq(2), b),
	}}
	var buf bytes.Buffer
	if _, err := outbox.Handler(&fakeBus{}, bus, logging.New(&buf, "orders", slog.LevelInfo))(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	type line struct{ Msg, EventID, Type, CorrelationID string }
	var got []line
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var l line
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		got = append(got, l)
	}
	want := []line{
		{"event published", a.ID, a.Type, a.CorrelationID},
		{"event published", b.ID, b.Type, b.CorrelationID},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log lines (-want +got):\n%s", diff)
	}
}
