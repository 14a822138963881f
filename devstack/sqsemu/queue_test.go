package sqsemu_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/sqsemu"
)

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func dur(d time.Duration) *time.Duration { return &d }

// newQueue returns a queue on a broker driven by a manual clock, with a
// dead-letter queue when maxReceiveCount > 0.
func newQueue(t *testing.T, cfg sqsemu.QueueConfig, maxReceiveCount int) (*sqsemu.Queue, *sqsemu.Queue, *sqsemu.ManualClock) {
	t.Helper()
	clock := sqsemu.NewManualClock(epoch)
	b := sqsemu.NewBroker(sqsemu.Options{Clock: clock})
	var dlq *sqsemu.Queue
	if maxReceiveCount > 0 {
		var err error
		dlq, err = b.CreateQueue("work-dlq", sqsemu.QueueConfig{})
		if err != nil {
			t.Fatal(err)
		}
		cfg.RedrivePolicy = &sqsemu.RedrivePolicy{DeadLetterTargetARN: dlq.ARN(), MaxReceiveCount: maxReceiveCount}
	}
	q, err := b.CreateQueue("work", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return q, dlq, clock
}

func send(t *testing.T, q *sqsemu.Queue, body string) string {
	t.Helper()
	out, err := q.Send(sqsemu.SendInput{Body: body})
	if err != nil {
		t.Fatal(err)
	}
	return out.MessageID
}

func receive(t *testing.T, q *sqsemu.Queue, max int) []sqsemu.Message {
	t.Helper()
	msgs, err := q.Receive(context.Background(), sqsemu.ReceiveInput{MaxNumberOfMessages: max})
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestVisibilityTimeoutExpiry(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: 30 * time.Second}, 0)
	id := send(t, q, "hello")

	first := receive(t, q, 10)
	if len(first) != 1 || first[0].MessageID != id || first[0].ApproximateReceiveCount != 1 {
		t.Fatalf("first receive = %+v", first)
	}
	if got := receive(t, q, 10); len(got) != 0 {
		t.Fatalf("received %d messages while in flight", len(got))
	}
	if diff := cmp.Diff(sqsemu.Counts{NotVisible: 1}, q.Counts()); diff != "" {
		t.Errorf("counts in flight (-want +got):\n%s", diff)
	}
	clock.Advance(29 * time.Second)
	if got := receive(t, q, 10); len(got) != 0 {
		t.Fatalf("visible after 29s of a 30s timeout")
	}
	clock.Advance(time.Second)
	second := receive(t, q, 10)
	if len(second) != 1 {
		t.Fatalf("not visible again after the timeout")
	}
	m := second[0]
	if m.ApproximateReceiveCount != 2 || m.ReceiptHandle == first[0].ReceiptHandle ||
		!m.ApproximateFirstReceiveTimestamp.Equal(epoch) || !m.SentTimestamp.Equal(epoch) {
		t.Errorf("second receive = %+v", m)
	}
}

func TestReceiveVisibilityOverride(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: time.Hour}, 0)
	send(t, q, "x")
	if _, err := q.Receive(context.Background(), sqsemu.ReceiveInput{VisibilityTimeout: dur(5 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Second)
	if got := receive(t, q, 1); len(got) != 1 {
		t.Errorf("override of 5s not honoured")
	}
}

func TestRedriveAtMaxReceiveCount(t *testing.T) {
	t.Parallel()
	q, dlq, clock := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: 10 * time.Second}, 3)
	id := send(t, q, "poison")
	for i := 1; i <= 3; i++ {
		got := receive(t, q, 1)
		if len(got) != 1 || got[0].ApproximateReceiveCount != i {
			t.Fatalf("receive %d = %+v", i, got)
		}
		if n := dlq.Counts().Visible; n != 0 {
			t.Fatalf("moved to the DLQ after %d receives", i)
		}
		clock.Advance(10 * time.Second)
	}
	if got := receive(t, q, 1); len(got) != 0 {
		t.Fatalf("received a 4th time with maxReceiveCount 3: %+v", got)
	}
	if diff := cmp.Diff(sqsemu.Counts{}, q.Counts()); diff != "" {
		t.Errorf("source counts (-want +got):\n%s", diff)
	}
	moved := receive(t, dlq, 1)
	if len(moved) != 1 || moved[0].MessageID != id || moved[0].Body != "poison" || !moved[0].SentTimestamp.Equal(epoch) {
		t.Errorf("dlq receive = %+v", moved)
	}
}

func TestDeleteReceiptHandles(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: 10 * time.Second}, 0)
	send(t, q, "x")
	old := receive(t, q, 1)[0].ReceiptHandle
	clock.Advance(10 * time.Second)
	current := receive(t, q, 1)[0].ReceiptHandle

	if err := q.Delete(old); err != nil {
		t.Fatalf("delete with a stale handle: %v, want success", err)
	}
	if n := q.Counts().NotVisible; n != 1 {
		t.Fatalf("a stale handle deleted the message")
	}
	var e *sqsemu.Error
	if err := q.Delete("not-a-handle!"); !errors.As(err, &e) || e.Code != "ReceiptHandleIsInvalid" {
		t.Errorf("malformed handle: %v", err)
	}
	if err := q.Delete(current); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sqsemu.Counts{}, q.Counts()); diff != "" {
		t.Errorf("counts after delete (-want +got):\n%s", diff)
	}
	if err := q.Delete(current); err != nil {
		t.Errorf("deleting twice: %v, want success", err)
	}
}

func TestChangeVisibility(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: time.Minute}, 0)
	send(t, q, "x")
	h := receive(t, q, 1)[0].ReceiptHandle
	if err := q.ChangeVisibility(h, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Second)
	var e *sqsemu.Error
	if err := q.ChangeVisibility(h, time.Minute); !errors.As(err, &e) || e.Code != "MessageNotInflight" {
		t.Errorf("change on a visible message: %v, want MessageNotInflight", err)
	}
	h2 := receive(t, q, 1)[0].ReceiptHandle
	if err := q.ChangeVisibility(h, time.Minute); !errors.As(err, &e) || e.Code != "InvalidParameterValue" {
		t.Errorf("change with a stale handle: %v, want InvalidParameterValue", err)
	}
	if err := q.ChangeVisibility(h2, 0); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, q, 1); len(got) != 1 || got[0].ApproximateReceiveCount != 3 {
		t.Errorf("visibility 0 did not make the message visible: %+v", got)
	}
}

func TestRetention(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{MessageRetentionPeriod: time.Minute}, 0)
	send(t, q, "old")
	clock.Advance(59 * time.Second)
	send(t, q, "new")
	clock.Advance(time.Second)
	got := receive(t, q, 10)
	if len(got) != 1 || got[0].Body != "new" {
		t.Errorf("after retention got %+v, want only the new message", got)
	}
}

func TestDelay(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{Delay: 10 * time.Second}, 0)
	send(t, q, "later")
	if diff := cmp.Diff(sqsemu.Counts{Delayed: 1}, q.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	clock.Advance(10 * time.Second)
	if got := receive(t, q, 1); len(got) != 1 {
		t.Errorf("delayed message not delivered after the delay")
	}
}

func TestPurge(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{}, 0)
	send(t, q, "a")
	if err := q.Purge(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sqsemu.Counts{}, q.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	var e *sqsemu.Error
	if err := q.Purge(); !errors.As(err, &e) || e.Code != "PurgeQueueInProgress" {
		t.Errorf("second purge within 60s: %v", err)
	}
	clock.Advance(time.Minute)
	if err := q.Purge(); err != nil {
		t.Errorf("purge after 60s: %v", err)
	}
}

func TestReceiveValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   sqsemu.ReceiveInput
	}{
		{"max 11", sqsemu.ReceiveInput{MaxNumberOfMessages: 11}},
		{"max negative", sqsemu.ReceiveInput{MaxNumberOfMessages: -1}},
		{"wait 21s", sqsemu.ReceiveInput{WaitTime: dur(21 * time.Second)}},
		{"visibility 12h1s", sqsemu.ReceiveInput{VisibilityTimeout: dur(12*time.Hour + time.Second)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q, _, _ := newQueue(t, sqsemu.QueueConfig{}, 0)
			var e *sqsemu.Error
			if _, err := q.Receive(context.Background(), tt.in); !errors.As(err, &e) || e.Code != "InvalidParameterValue" {
				t.Errorf("err = %v, want InvalidParameterValue", err)
			}
		})
	}
}

func TestLongPollReturnsWhenMessageArrives(t *testing.T) {
	t.Parallel()
	b := sqsemu.NewBroker(sqsemu.Options{})
	q, err := b.CreateQueue("poll", sqsemu.QueueConfig{})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		msgs []sqsemu.Message
		err  error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		msgs, err := q.Receive(context.Background(), sqsemu.ReceiveInput{WaitTime: dur(20 * time.Second)})
		done <- result{msgs, err}
	}()
	time.Sleep(50 * time.Millisecond)
	send(t, q, "arrived")
	select {
	case r := <-done:
		if r.err != nil || len(r.msgs) != 1 || r.msgs[0].Body != "arrived" {
			t.Fatalf("long poll = %+v, %v", r.msgs, r.err)
		}
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("long poll took %s", elapsed)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not return when a message arrived")
	}
}

func TestLongPollWakesWhenVisibilityExpires(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{VisibilityTimeout: 5 * time.Second}, 0)
	send(t, q, "x")
	receive(t, q, 1)
	done := make(chan []sqsemu.Message, 1)
	go func() {
		msgs, _ := q.Receive(context.Background(), sqsemu.ReceiveInput{WaitTime: dur(20 * time.Second)})
		done <- msgs
	}()
	clock.Advance(5 * time.Second)
	select {
	case msgs := <-done:
		if len(msgs) != 1 {
			t.Errorf("got %d messages", len(msgs))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll not woken by the visibility expiry")
	}
}

func TestLongPollTimesOutEmpty(t *testing.T) {
	t.Parallel()
	q, _, clock := newQueue(t, sqsemu.QueueConfig{}, 0)
	done := make(chan []sqsemu.Message, 1)
	go func() {
		msgs, _ := q.Receive(context.Background(), sqsemu.ReceiveInput{WaitTime: dur(20 * time.Second)})
		done <- msgs
	}()
	// The receiver registers its timer asynchronously; advance until it fires.
	deadline := time.After(5 * time.Second)
	for {
		clock.Advance(20 * time.Second)
		select {
		case msgs := <-done:
			if len(msgs) != 0 {
				t.Errorf("got %d messages from an empty queue", len(msgs))
			}
			return
		case <-deadline:
			t.Fatal("long poll did not end at its wait time")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestCreateQueueValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		queue string
		cfg   sqsemu.QueueConfig
	}{
		{"fifo", "orders.fifo", sqsemu.QueueConfig{}},
		{"bad name", "a b", sqsemu.QueueConfig{}},
		{"visibility", "q", sqsemu.QueueConfig{VisibilityTimeout: 13 * time.Hour}},
		{"retention", "q", sqsemu.QueueConfig{MessageRetentionPeriod: time.Second}},
		{"missing dlq", "q", sqsemu.QueueConfig{RedrivePolicy: &sqsemu.RedrivePolicy{DeadLetterTargetARN: "arn:aws:sqs:us-east-1:000000000000:nope", MaxReceiveCount: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := sqsemu.NewBroker(sqsemu.Options{})
			if _, err := b.CreateQueue(tt.queue, tt.cfg); err == nil {
				t.Error("CreateQueue succeeded")
			}
		})
	}
}
