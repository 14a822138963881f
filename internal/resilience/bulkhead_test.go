package resilience_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/internal/resilience"
)

// waitFor polls cond until it holds, failing t after a generous while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// inFlight counts the calls inside an op and the most at once.
type inFlight struct {
	now, most, total atomic.Int64
}

func (f *inFlight) enter() {
	n := f.now.Add(1)
	f.total.Add(1)
	for {
		m := f.most.Load()
		if n <= m || f.most.CompareAndSwap(m, n) {
			return
		}
	}
}

func (f *inFlight) leave() { f.now.Add(-1) }

func TestBulkheadNeverExceedsLimit(t *testing.T) {
	t.Parallel()
	const limit, callers = 5, 50
	b := resilience.NewBulkhead("gateway", limit, time.Minute)
	var (
		flight  inFlight
		started atomic.Int64
		release = make(chan struct{})
		wg      sync.WaitGroup
		errs    = make(chan error, callers)
	)
	for range callers {
		wg.Go(func() {
			started.Add(1)
			errs <- b.Do(context.Background(), func(context.Context) error {
				flight.enter()
				defer flight.leave()
				<-release
				return nil
			})
		})
	}
	waitFor(t, "every caller to start", func() bool { return started.Load() == callers })
	waitFor(t, "the slots to fill", func() bool { return b.InUse() >= limit })
	time.Sleep(2 * time.Millisecond) // room for a broken bulkhead to let more in
	if got := flight.total.Load(); got != limit {
		t.Errorf("%d calls entered while %d slots were held, want %d", got, limit, limit)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Do = %v, want nil", err)
		}
	}
	if got := flight.most.Load(); got != limit {
		t.Errorf("at most %d calls in flight, want %d", got, limit)
	}
	if got := flight.total.Load(); got != callers {
		t.Errorf("%d calls made, want %d", got, callers)
	}
	if got := b.InUse(); got != 0 {
		t.Errorf("InUse = %d after every call, want 0", got)
	}
}

func TestBulkheadRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		maxWait   time.Duration
		cancelled bool
		wantCause error
	}{
		{name: "no wait", maxWait: 0},
		{name: "wait runs out", maxWait: 2 * time.Millisecond},
		{name: "context ends first", maxWait: time.Hour, cancelled: true, wantCause: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := resilience.NewBulkhead("gateway", 1, tt.maxWait)
			release := hold(t, b)
			defer release()

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancelled {
				cancel()
			}
			called := false
			err := b.Do(ctx, func(context.Context) error { called = true; return nil })
			if called {
				t.Error("op called without a slot")
			}
			var full *resilience.BulkheadFullError
			if !errors.As(err, &full) || !errors.Is(err, resilience.ErrBulkheadFull) {
				t.Fatalf("err = %v, want a *BulkheadFullError", err)
			}
			if full.Name != "gateway" || full.Limit != 1 {
				t.Errorf("refused by %q with limit %d, want gateway with 1", full.Name, full.Limit)
			}
			if !errors.Is(full.Cause, tt.wantCause) || (tt.wantCause == nil) != (full.Cause == nil) {
				t.Errorf("Cause = %v, want %v", full.Cause, tt.wantCause)
			}
		})
	}
}

// hold takes b's only slot until the returned function is called.
func hold(t *testing.T, b *resilience.Bulkhead) func() {
	t.Helper()
	entered, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		_ = b.Do(context.Background(), func(context.Context) error {
			close(entered)
			<-release
			return nil
		})
	}()
	<-entered
	return func() { close(release); <-done }
}

func TestBulkheadWaitsForASlot(t *testing.T) {
	t.Parallel()
	b := resilience.NewBulkhead("gateway", 1, time.Minute)
	release := hold(t, b)
	result := make(chan error, 1)
	go func() {
		result <- b.Do(context.Background(), func(context.Context) error { return errUnavailable })
	}()
	release()
	if err := <-result; !errors.Is(err, errUnavailable) {
		t.Errorf("Do = %v, want op's error", err)
	}
}

func TestBulkheadInUse(t *testing.T) {
	t.Parallel()
	b := resilience.NewBulkhead("gateway", 3, 0)
	var inside int
	_ = b.Do(context.Background(), func(context.Context) error { inside = b.InUse(); return nil })
	if inside != 1 || b.InUse() != 0 || b.Limit() != 3 {
		t.Errorf("InUse = %d inside, %d after; Limit = %d; want 1, 0, 3", inside, b.InUse(), b.Limit())
	}
}

func TestBulkheadDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		bulkhead  *resilience.Bulkhead
		wantLimit int
	}{
		{"nil bounds nothing", nil, 0},
		{"zero value bounds nothing", &resilience.Bulkhead{}, 0},
		{"limit below 1 counts as 1", resilience.NewBulkhead("gateway", 0, 0), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			called := false
			if err := tt.bulkhead.Do(context.Background(), func(context.Context) error { called = true; return nil }); err != nil || !called {
				t.Errorf("Do = %v, called %t; want nil, true", err, called)
			}
			if got := tt.bulkhead.Limit(); got != tt.wantLimit {
				t.Errorf("Limit = %d, want %d", got, tt.wantLimit)
			}
		})
	}
}
