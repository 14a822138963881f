package sqsemu_test

import (
	"context"
	"crypto/md5"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

// fakeFunction records each batch and answers with respond.
type fakeFunction struct {
	mu      sync.Mutex
	batches []events.SQSEvent
	calls   chan struct{}
	respond func(ev events.SQSEvent) ([]byte, error)
}

func newFakeFunction(respond func(ev events.SQSEvent) ([]byte, error)) *fakeFunction {
	return &fakeFunction{calls: make(chan struct{}, 100), respond: respond}
}

func (f *fakeFunction) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	var ev events.SQSEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.batches = append(f.batches, ev)
	f.mu.Unlock()
	defer func() { f.calls <- struct{}{} }()
	return f.respond(ev)
}

func (f *fakeFunction) batch(i int) events.SQSEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.batches[i]
}

func (f *fakeFunction) waitCalls(t *testing.T, n int) {
	t.Helper()
	for range n {
		select {
		case <-f.calls:
		case <-time.After(5 * time.Second):
			t.Fatalf("function not invoked")
		}
	}
}

func startPoller(t *testing.T, q *sqsemu.Queue, f *fakeFunction, report bool) {
	t.Helper()
	p, err := sqsemu.NewPoller(q, f, 10, 2, report)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
}

// eventually polls cond; the deletes follow the invocation asynchronously.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func ids(ev events.SQSEvent) []string {
	var out []string
	for _, r := range ev.Records {
		out = append(out, r.MessageId)
	}
	slices.Sort(out)
	return out
}

func TestPollerDeletesSuccessfulBatch(t *testing.T) {
	t.Parallel()
	q, _, _ := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: time.Minute}, 0)
	id := send(t, q, `{"n":1}`)
	f := newFakeFunction(func(events.SQSEvent) ([]byte, error) { return []byte(`null`), nil })
	startPoller(t, q, f, false)
	f.waitCalls(t, 1)
	eventually(t, "the batch to be deleted", func() bool { return q.Counts() == sqsemu.Counts{} })

	rec := f.batch(0).Records[0]
	want := events.SQSMessage{
		MessageId: id, ReceiptHandle: rec.ReceiptHandle, Body: `{"n":1}`, Md5OfBody: fmt.Sprintf("%x", md5.Sum([]byte(`{"n":1}`))),
		Attributes: map[string]string{
			"ApproximateReceiveCount": "1", "SentTimestamp": "1767323045000",
			"ApproximateFirstReceiveTimestamp": "1767323045000", "SenderId": "AIDADEVSTACKLOCAL",
		},
		MessageAttributes: map[string]events.SQSMessageAttribute{},
		EventSourceARN:    "arn:aws:sqs:us-east-1:000000000000:work", EventSource: "aws:sqs", AWSRegion: "us-east-1",
	}
	if diff := cmp.Diff(want, rec); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	if rec.ReceiptHandle == "" {
		t.Error("empty receipt handle")
	}
}

func TestPollerPartialBatchFailureRedeliversOnlyFailed(t *testing.T) {
	t.Parallel()
	q, dlq, clock := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: time.Minute}, 2)
	a, bad, c := send(t, q, "a"), send(t, q, "bad"), send(t, q, "c")
	f := newFakeFunction(func(ev events.SQSEvent) ([]byte, error) {
		var resp events.SQSEventResponse
		for _, r := range ev.Records {
			if r.Body == "bad" {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
			}
		}
		return json.Marshal(resp)
	})
	startPoller(t, q, f, true)
	f.waitCalls(t, 1)
	if diff := cmp.Diff(slices.Sorted(slices.Values([]string{a, bad, c})), ids(f.batch(0))); diff != "" {
		t.Fatalf("first batch (-want +got):\n%s", diff)
	}
	eventually(t, "the successful messages to be deleted", func() bool { return q.Counts() == sqsemu.Counts{NotVisible: 1} })

	clock.Advance(time.Minute)
	f.waitCalls(t, 1)
	second := f.batch(1)
	if diff := cmp.Diff([]string{bad}, ids(second)); diff != "" {
		t.Fatalf("redelivered batch (-want +got):\n%s", diff)
	}
	if n := second.Records[0].Attributes["ApproximateReceiveCount"]; n != "2" {
		t.Errorf("ApproximateReceiveCount = %s, want 2", n)
	}
	// Its second failure reaches maxReceiveCount 2: the next receive redrives it.
	eventually(t, "the failed message to be back in flight", func() bool { return q.Counts() == sqsemu.Counts{NotVisible: 1} })
	clock.Advance(time.Minute)
	eventually(t, "the redrive to the DLQ", func() bool { return dlq.Counts().Visible == 1 })
	if diff := cmp.Diff(sqsemu.Counts{}, q.Counts()); diff != "" {
		t.Errorf("source after redrive (-want +got):\n%s", diff)
	}
}

func TestPollerFunctionErrorDeletesNothing(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: time.Minute}, 0)
	send(t, q, "a")
	send(t, q, "b")
	var mu sync.Mutex
	fail := true
	f := newFakeFunction(func(events.SQSEvent) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return nil, errors.New("Unhandled")
		}
		return nil, nil
	})
	startPoller(t, q, f, true)
	f.waitCalls(t, 1)
	if diff := cmp.Diff(sqsemu.Counts{NotVisible: 2}, q.Counts()); diff != "" {
		t.Errorf("after a function error (-want +got):\n%s", diff)
	}
	mu.Lock()
	fail = false
	mu.Unlock()
	clock.Advance(time.Minute)
	f.waitCalls(t, 1)
	if n := len(f.batch(1).Records); n != 2 {
		t.Errorf("retried batch has %d records, want 2", n)
	}
	eventually(t, "the retried batch to be deleted", func() bool { return q.Counts() == sqsemu.Counts{} })
}

func TestPollerBatchResponseRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		response    func(ev events.SQSEvent) string
		wantDeleted int // of 2 messages
	}{
		{"empty response", func(events.SQSEvent) string { return "" }, 2},
		{"null response", func(events.SQSEvent) string { return "null" }, 2},
		{"empty list", func(events.SQSEvent) string { return `{"batchItemFailures":[]}` }, 2},
		{"null list", func(events.SQSEvent) string { return `{"batchItemFailures":null}` }, 2},
		{"other object", func(events.SQSEvent) string { return `{"statusCode":200}` }, 2},
		{"one failure", func(ev events.SQSEvent) string {
			return `{"batchItemFailures":[{"itemIdentifier":"` + ev.Records[0].MessageId + `"}]}`
		}, 1},
		{"empty identifier", func(events.SQSEvent) string { return `{"batchItemFailures":[{"itemIdentifier":""}]}` }, 0},
		{"null identifier", func(events.SQSEvent) string { return `{"batchItemFailures":[{"itemIdentifier":null}]}` }, 0},
		{"unknown identifier", func(events.SQSEvent) string { return `{"batchItemFailures":[{"itemIdentifier":"nope"}]}` }, 0},
		{"wrong key", func(events.SQSEvent) string { return `{"batchItemFailures":[{"messageId":"x"}]}` }, 0},
		{"not json", func(events.SQSEvent) string { return `oops` }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, _, _ := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: time.Minute}, 0)
			send(t, q, "a")
			send(t, q, "b")
			f := newFakeFunction(func(ev events.SQSEvent) ([]byte, error) { return []byte(tt.response(ev)), nil })
			startPoller(t, q, f, true)
			f.waitCalls(t, 1)
			want := sqsemu.Counts{NotVisible: 2 - tt.wantDeleted}
			eventually(t, "the deletes", func() bool { return q.Counts() == want })
			// Nothing else may be deleted afterwards.
			time.Sleep(20 * time.Millisecond)
			if diff := cmp.Diff(want, q.Counts()); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPollerIgnoresFailuresWithoutReportBatchItemFailures(t *testing.T) {
	t.Parallel()
	q, _, _ := newQueue(t, sqsemu.QueueConfig{}, 0)
	send(t, q, "a")
	f := newFakeFunction(func(ev events.SQSEvent) ([]byte, error) {
		return []byte(`{"batchItemFailures":[{"itemIdentifier":"` + ev.Records[0].MessageId + `"}]}`), nil
	})
	startPoller(t, q, f, false)
	f.waitCalls(t, 1)
	eventually(t, "the whole batch to be deleted", func() bool { return q.Counts() == sqsemu.Counts{} })
}

func TestPollerLifecycle(t *testing.T) {
	t.Parallel()
	q, _, _ := newQueue(t, sqsemu.QueueConfig{}, 0)
	f := newFakeFunction(func(events.SQSEvent) ([]byte, error) { return nil, nil })
	if _, err := sqsemu.NewPoller(q, f, 11, 2, true); err == nil {
		t.Error("batch size 11 accepted")
	}
	if _, err := sqsemu.NewPoller(q, f, 10, 1, true); err == nil {
		t.Error("maximum concurrency 1 accepted")
	}
	p, err := sqsemu.NewPoller(q, f, 10, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err == nil {
		t.Error("second Start succeeded")
	}
	done := make(chan struct{})
	go func() {
		_ = p.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop the long-polling pollers")
	}
	send(t, q, "after close")
	time.Sleep(20 * time.Millisecond)
	if diff := cmp.Diff(sqsemu.Counts{Visible: 1}, q.Counts()); diff != "" {
		t.Errorf("a closed poller received (-want +got):\n%s", diff)
	}
}

// TestPollerKeepsTheVisibilityTheFunctionSet checks that a message the
// function failed, after extending its visibility with
// ChangeMessageVisibility on the receipt handle of its event record, comes
// back when that visibility expires, not when the queue's does: the poller
// neither resets nor shortens it.
func TestPollerKeepsTheVisibilityTheFunctionSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		outcome func(ev events.SQSEvent) ([]byte, error)
	}{
		{"reported as a batch item failure", func(ev events.SQSEvent) ([]byte, error) {
			return json.Marshal(events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{{ItemIdentifier: ev.Records[0].MessageId}}})
		}},
		{"function error", func(events.SQSEvent) ([]byte, error) { return nil, errors.New("Unhandled") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := sqsemu.NewManualClock(epoch)
			b := sqsemu.NewBroker(sqsemu.Options{Clock: clock})
			q, err := b.CreateQueue("work", sqsemu.QueueConfig{VisibilityTimeout: 30 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			c := newClient(t, b)
			url, err := c.GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String("work")})
			if err != nil {
				t.Fatal(err)
			}
			var changeErrs []error
			var mu sync.Mutex
			f := newFakeFunction(func(ev events.SQSEvent) ([]byte, error) {
				_, err := c.ChangeMessageVisibility(context.Background(), &sqs.ChangeMessageVisibilityInput{
					QueueUrl: url.QueueUrl, ReceiptHandle: aws.String(ev.Records[0].ReceiptHandle), VisibilityTimeout: 120,
				})
				mu.Lock()
				changeErrs = append(changeErrs, err)
				mu.Unlock()
				return tt.outcome(ev)
			})
			send(t, q, "retry later")
			startPoller(t, q, f, true)
			f.waitCalls(t, 1)
			mu.Lock()
			if changeErrs[0] != nil {
				t.Fatalf("ChangeMessageVisibility with the event's receipt handle: %v", changeErrs[0])
			}
			mu.Unlock()

			clock.Advance(30 * time.Second) // the queue's visibility timeout
			time.Sleep(50 * time.Millisecond)
			if diff := cmp.Diff(sqsemu.Counts{NotVisible: 1}, q.Counts()); diff != "" {
				t.Fatalf("30 s after the receive (-want +got):\n%s", diff)
			}
			select {
			case <-f.calls:
				t.Fatal("redelivered at the queue's visibility timeout, not the 120 s the function set")
			default:
			}
			clock.Advance(89 * time.Second)
			if n := q.Counts().NotVisible; n != 1 {
				t.Fatalf("visible %s before the function's 120 s expired", 119*time.Second)
			}
			clock.Advance(time.Second)
			f.waitCalls(t, 1)
			if n := f.batch(1).Records[0].Attributes["ApproximateReceiveCount"]; n != "2" {
				t.Errorf("ApproximateReceiveCount = %s, want 2", n)
			}
		})
	}
}
