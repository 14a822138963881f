package resilience_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/resilience"
)

var (
	errUnavailable = errors.New("dependency unavailable")
	errDeclined    = errors.New("card declined")
)

// fakeClock is a clock whose sleeps move it forward at once. Its waits are
// the upper bound of full jitter, min(base<<attempt, ceiling), so they
// are known in advance.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
	fixed time.Duration // when not 0, every wait
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return ctx.Err()
}

func (c *fakeClock) jitter(attempt int, base, ceiling time.Duration) time.Duration {
	if c.fixed != 0 {
		return c.fixed
	}
	if base > ceiling>>attempt {
		return ceiling
	}
	return base << attempt
}

func (c *fakeClock) retry(ctx context.Context, p resilience.Policy, op func(context.Context) error) error {
	return resilience.RetryWithClock(ctx, p, op, c.now, c.sleep, c.jitter)
}

func (c *fakeClock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// failing returns an op that returns errs in turn, then nil, and counts
// its calls.
func failing(calls *int, errs ...error) func(context.Context) error {
	return func(context.Context) error {
		*calls++
		if *calls <= len(errs) {
			return errs[*calls-1]
		}
		return nil
	}
}

func repeat(err error, n int) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

func TestRetry(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	policy := resilience.Policy{Attempts: 4, Base: 10 * ms, Max: 25 * ms}
	tests := []struct {
		name      string
		policy    resilience.Policy
		errs      []error // op's errors in turn, then nil
		wantCalls int
		wantErr   []error // each must match errors.Is; none: want nil
		wantText  string  // in the error's message
		wantWaits []time.Duration
	}{
		{name: "first try", policy: policy, wantCalls: 1},
		{name: "after failures", policy: policy, errs: repeat(errUnavailable, 2), wantCalls: 3, wantWaits: []time.Duration{10 * ms, 20 * ms}},
		{
			name: "stops at Attempts", policy: policy, errs: repeat(errUnavailable, 10), wantCalls: 4,
			wantErr: []error{errUnavailable}, wantText: "after 4 attempts", wantWaits: []time.Duration{10 * ms, 20 * ms, 25 * ms},
		},
		{name: "zero policy tries once", errs: repeat(errUnavailable, 10), wantCalls: 1, wantErr: []error{errUnavailable}},
		{name: "permanent", policy: policy, errs: []error{resilience.Permanent(errDeclined)}, wantCalls: 1, wantErr: []error{errDeclined}},
		{
			name: "permanent after a retry", policy: policy, errs: []error{errUnavailable, resilience.Permanent(errDeclined)}, wantCalls: 2,
			wantErr: []error{errDeclined}, wantText: "after 2 attempts", wantWaits: []time.Duration{10 * ms},
		},
		{
			name:   "Retryable rejects",
			policy: resilience.Policy{Attempts: 4, Retryable: func(err error) bool { return !errors.Is(err, errDeclined) }},
			errs:   repeat(errDeclined, 10), wantCalls: 1, wantErr: []error{errDeclined},
		},
		{
			name:   "Retryable cannot widen",
			policy: resilience.Policy{Attempts: 4, Retryable: func(error) bool { return true }},
			errs:   []error{resilience.Permanent(errDeclined)}, wantCalls: 1, wantErr: []error{errDeclined},
		},
		{name: "cancelled inside op", policy: policy, errs: repeat(context.Canceled, 10), wantCalls: 1, wantErr: []error{context.Canceled}},
		{
			name: "open circuit", policy: policy, errs: []error{&resilience.OpenError{Name: "gw"}}, wantCalls: 1,
			wantErr: []error{resilience.ErrOpen},
		},
		{
			name: "an attempt's own timeout is retried", policy: policy, errs: []error{context.DeadlineExceeded}, wantCalls: 2,
			wantWaits: []time.Duration{10 * ms},
		},
		{
			name: "no cap", policy: resilience.Policy{Attempts: 4, Base: time.Hour}, errs: repeat(errUnavailable, 3), wantCalls: 4,
			wantWaits: []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			calls := 0
			err := clock.retry(context.Background(), tt.policy, failing(&calls, tt.errs...))
			if calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls, tt.wantCalls)
			}
			checkErr(t, err, tt.wantErr, tt.wantText)
			if diff := cmp.Diff(tt.wantWaits, clock.waits()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRetryPermanentKeepsTheError(t *testing.T) {
	t.Parallel()
	err := resilience.Permanent(errDeclined)
	if !resilience.IsPermanent(err) || !errors.Is(err, errDeclined) || err.Error() != errDeclined.Error() {
		t.Errorf("Permanent(%v) = %v: permanent %t, is the error %t", errDeclined, err, resilience.IsPermanent(err), errors.Is(err, errDeclined))
	}
	if resilience.IsPermanent(errDeclined) {
		t.Error("IsPermanent of an unmarked error")
	}
	if resilience.Permanent(nil) != nil {
		t.Error("Permanent(nil) is not nil")
	}
}

func TestRetryStopsAtTheDeadline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		wait      time.Duration
		wantCalls int
		wantWaits []time.Duration
	}{
		// The context ends an hour from the clock's start.
		{"first wait passes it", 2 * time.Hour, 1, nil},
		{"third wait reaches it", 20 * time.Minute, 3, []time.Duration{20 * time.Minute, 20 * time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clock := newFakeClock()
			clock.fixed = tt.wait
			ctx, cancel := context.WithDeadline(context.Background(), clock.now().Add(time.Hour))
			defer cancel()
			calls := 0
			err := clock.retry(ctx, resilience.Policy{Attempts: 10, Base: time.Millisecond}, failing(&calls, repeat(errUnavailable, 10)...))
			if calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls, tt.wantCalls)
			}
			checkErr(t, err, []error{resilience.ErrNoTime, errUnavailable}, "next in "+tt.wait.String())
			if diff := cmp.Diff(tt.wantWaits, clock.waits()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRetryStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		during    string // when the context ends: "before", "op" or "wait"
		wantCalls int
	}{
		{"before the first attempt", "before", 0},
		{"during an attempt", "op", 1},
		{"during a wait", "wait", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.during == "before" {
				cancel()
			}
			calls := 0
			op := func(context.Context) error {
				calls++
				if tt.during == "op" {
					cancel()
				}
				return errUnavailable
			}
			sleep := func(ctx context.Context, _ time.Duration) error {
				cancel()
				return ctx.Err()
			}
			clock := newFakeClock()
			err := resilience.RetryWithClock(ctx, resilience.Policy{Attempts: 5, Base: time.Millisecond}, op, clock.now, sleep, clock.jitter)
			if calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls, tt.wantCalls)
			}
			want := []error{context.Canceled}
			if tt.wantCalls > 0 {
				want = append(want, errUnavailable)
			}
			checkErr(t, err, want, "")
		})
	}
}

// TestRetryRealClock runs Retry as callers do, on the real clock and
// random waits.
func TestRetryRealClock(t *testing.T) {
	t.Parallel()
	t.Run("retries", func(t *testing.T) {
		t.Parallel()
		calls := 0
		err := resilience.Retry(context.Background(), resilience.Policy{Attempts: 3, Base: time.Microsecond, Max: time.Millisecond},
			failing(&calls, repeat(errUnavailable, 2)...))
		if err != nil || calls != 3 {
			t.Errorf("err = %v after %d calls, want nil after 3", err, calls)
		}
	})
	t.Run("deadline sooner than the next wait", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		calls := 0
		// A wait drawn from [0, 24h) falls under 10ms with odds of 1 in 8.6 million.
		err := resilience.Retry(ctx, resilience.Policy{Attempts: 3, Base: 24 * time.Hour, Max: 24 * time.Hour},
			failing(&calls, repeat(errUnavailable, 3)...))
		if calls != 1 {
			t.Errorf("%d calls, want 1", calls)
		}
		checkErr(t, err, []error{resilience.ErrNoTime, errUnavailable}, "")
	})
}

// checkErr fails t unless err matches each of want (none: err is nil) and
// its message contains text.
func checkErr(t *testing.T, err error, want []error, text string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Errorf("err = %v, want nil", err)
		}
		return
	}
	for _, w := range want {
		if !errors.Is(err, w) {
			t.Errorf("err = %v, want it to match %v", err, w)
		}
	}
	if err != nil && !strings.Contains(err.Error(), text) {
		t.Errorf("err = %q, want it to say %q", err, text)
	}
}
