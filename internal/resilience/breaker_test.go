package resilience_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
	"github.com/goshop-dev/goshop/internal/resilience"
)

// changes records the state changes of breakers.
type changes struct {
	mu   sync.Mutex
	seen []string
}

func (c *changes) record(_, from, to string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, from+">"+to)
}

func (c *changes) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.seen...)
}

var errDown = errors.New("gateway unavailable")

// TestBreakerLifecycle drives the breaker the payment gateway and the
// dashboard use through a Guard: it opens after exactly the threshold of
// consecutive failures, refuses without calling while open, lets one
// trial through when half-open, re-opens when the trial fails and closes
// when one succeeds.
func TestBreakerLifecycle(t *testing.T) {
	t.Parallel()
	const cooldown = 40 * time.Millisecond
	seen := &changes{}
	breaker := resilience.NewBreaker("lifecycle", resilience.BreakerOptions{FailureThreshold: 3, Cooldown: cooldown, OnStateChange: seen.record})
	guard := resilience.NewGuard("lifecycle", resilience.GuardOptions{Breaker: breaker})
	calls := 0
	call := func(err error) error {
		return guard.Do(context.Background(), func(context.Context) error { calls++; return err })
	}

	for i := range 2 {
		if err := call(errDown); !errors.Is(err, errDown) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	if got := breaker.Status(); got.State != "closed" || got.ConsecutiveFailures != 2 {
		t.Fatalf("after 2 failures: %+v, want closed with 2", got)
	}
	if err := call(nil); err != nil {
		t.Fatal(err)
	}
	if got := breaker.Status().ConsecutiveFailures; got != 0 {
		t.Fatalf("a success left %d consecutive failures", got)
	}
	for range 3 {
		_ = call(errDown)
	}
	if got := breaker.Status(); got.State != "open" || got.Closed() {
		t.Fatalf("after 3 failures: %+v, want open", got)
	}
	before := calls
	if err := call(nil); !errors.Is(err, resilience.ErrOpen) || calls != before {
		t.Fatalf("while open: %v after %d calls, want ErrOpen without a call", err, calls-before)
	}

	// Half-open: one trial at a time; a failed trial opens it again.
	time.Sleep(cooldown + 10*time.Millisecond)
	release := make(chan struct{})
	trialStarted := make(chan struct{})
	var trialErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		trialErr = guard.Do(context.Background(), func(context.Context) error {
			close(trialStarted)
			<-release
			return errDown
		})
	})
	<-trialStarted
	if err := call(nil); !errors.Is(err, resilience.ErrOpen) {
		t.Fatalf("a second call during the trial: %v, want ErrOpen", err)
	}
	close(release)
	wg.Wait()
	if !errors.Is(trialErr, errDown) || breaker.Status().State != "open" {
		t.Fatalf("failed trial: %v, state %s; want the error and open", trialErr, breaker.Status().State)
	}

	time.Sleep(cooldown + 10*time.Millisecond)
	if err := call(nil); err != nil {
		t.Fatalf("successful trial: %v", err)
	}
	if got := breaker.Status(); got.State != "closed" {
		t.Fatalf("after a successful trial: %+v, want closed", got)
	}
	want := []string{"closed>open", "open>half-open", "half-open>open", "open>half-open", "half-open>closed"}
	if diff := cmp.Diff(want, seen.list()); diff != "" {
		t.Errorf("state changes (-want +got):\n%s", diff)
	}
}

// TestBreakerIgnoresAnswers checks that a Permanent error (the dependency
// answered no) and a caller giving up never open the circuit.
func TestBreakerIgnoresAnswers(t *testing.T) {
	t.Parallel()
	breaker := resilience.NewBreaker("answers", resilience.BreakerOptions{FailureThreshold: 2})
	guard := resilience.NewGuard("answers", resilience.GuardOptions{Breaker: breaker})
	declined := resilience.Permanent(errors.New("card declined"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 5 {
		_ = guard.Do(context.Background(), func(context.Context) error { return declined })
		_ = guard.Do(context.Background(), func(context.Context) error { return context.Canceled })
		_ = guard.Do(ctx, func(ctx context.Context) error { return ctx.Err() })
	}
	if got := breaker.Status(); got.State != "closed" || got.ConsecutiveFailures != 0 {
		t.Fatalf("after declines and cancellations: %+v, want closed with no failures", got)
	}
}

func TestBreakersListsTheProcessBreakers(t *testing.T) {
	t.Parallel()
	a := resilience.NewBreaker("registry-a", resilience.BreakerOptions{FailureThreshold: 1})
	resilience.NewBreaker("registry-b", resilience.BreakerOptions{})
	_ = resilience.NewGuard("registry-a", resilience.GuardOptions{Breaker: a}).Do(context.Background(), func(context.Context) error { return errDown })
	got := map[string]string{}
	for _, s := range resilience.Breakers() {
		if strings.HasPrefix(s.Name, "registry-") {
			got[s.Name] = s.State
		}
	}
	if diff := cmp.Diff(map[string]string{"registry-a": "open", "registry-b": "closed"}, got); diff != "" {
		t.Errorf("breakers (-want +got):\n%s", diff)
	}
}

// TestReportStateChanges checks the log line and the metrics of a breaker
// that opens.
func TestReportStateChanges(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	rec, sink := metricstest.Recorder(t)
	report := resilience.ReportStateChanges(logging.New(&logs, "payments", slog.LevelInfo), rec)
	report("payment-gateway", "closed", "open")
	report("payment-gateway", "open", "half-open")
	if n := sink.Sum("BreakerOpened", map[string]string{"Breaker": "payment-gateway"}); n != 1 {
		t.Errorf("BreakerOpened = %v, want 1", n)
	}
	if n := sink.Sum("BreakerStateChanged", map[string]string{"Breaker": "payment-gateway", "To": "half-open"}); n != 1 {
		t.Errorf("BreakerStateChanged to half-open = %v, want 1", n)
	}
	if !strings.Contains(logs.String(), `"level":"WARN","msg":"circuit breaker state changed"`) || !strings.Contains(logs.String(), `"to":"open"`) {
		t.Errorf("log:\n%s", logs.String())
	}
}
