package resilience_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/internal/resilience"
)

var errBreakerOpen = errors.New("fake breaker open")

// fakeBreaker opens after threshold consecutive failures (0: never), and
// stays open. Errors marked Permanent and context.Canceled are not
// failures, as the package doc sets up gobreaker.
type fakeBreaker struct {
	mu        sync.Mutex
	threshold int
	failures  int
	open      bool
	allowed   int
	refused   int
	outcomes  []error
}

var _ resilience.Breaker = (*fakeBreaker)(nil)

func (b *fakeBreaker) Allow() (func(error), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open {
		b.refused++
		return nil, errBreakerOpen
	}
	b.allowed++
	return func(err error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.outcomes = append(b.outcomes, err)
		switch {
		case err == nil || resilience.IsPermanent(err):
			b.failures = 0
		case errors.Is(err, context.Canceled):
		default:
			b.failures++
			b.open = b.threshold > 0 && b.failures >= b.threshold
		}
	}, nil
}

func (b *fakeBreaker) counts() (allowed, refused int, outcomes []error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.allowed, b.refused, append([]error(nil), b.outcomes...)
}

// fast retries at once, so that tests wait for nothing.
var fast = resilience.Policy{Attempts: 5, Base: time.Microsecond, Max: time.Microsecond}

func TestGuardBreaker(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		threshold   int
		open        bool
		errs        []error
		wantCalls   int
		wantRefused int
		wantErr     []error
		wantText    string
		wantDone    int // outcomes the breaker was told
	}{
		{
			name: "an open breaker stops the retries at once", threshold: 2, errs: repeat(errUnavailable, 10),
			wantCalls: 2, wantRefused: 1, wantErr: []error{resilience.ErrOpen, errBreakerOpen}, wantText: "after 3 attempts: circuit gw open", wantDone: 2,
		},
		{
			name: "open from the start: op never called", open: true, errs: repeat(errUnavailable, 10),
			wantCalls: 0, wantRefused: 1, wantErr: []error{resilience.ErrOpen}, wantText: "circuit gw open",
		},
		{
			name: "each retry goes through the breaker", threshold: 5, errs: repeat(errUnavailable, 2),
			wantCalls: 3, wantDone: 3,
		},
		{
			name: "retries stop at Attempts with the breaker closed", threshold: 10, errs: repeat(errUnavailable, 10),
			wantCalls: 5, wantErr: []error{errUnavailable}, wantText: "after 5 attempts", wantDone: 5,
		},
		{
			name: "a permanent error is neither retried nor a failure", threshold: 1, errs: []error{resilience.Permanent(errDeclined)},
			wantCalls: 1, wantErr: []error{errDeclined}, wantDone: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			breaker := &fakeBreaker{threshold: tt.threshold, open: tt.open}
			guard := resilience.NewGuard("gw", resilience.GuardOptions{Retry: fast, Breaker: breaker})
			calls := 0
			err := guard.Do(context.Background(), failing(&calls, tt.errs...))
			if calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls, tt.wantCalls)
			}
			checkErr(t, err, tt.wantErr, tt.wantText)
			allowed, refused, outcomes := breaker.counts()
			if allowed != tt.wantCalls || refused != tt.wantRefused || len(outcomes) != tt.wantDone {
				t.Errorf("breaker allowed %d, refused %d, told %d outcomes; want %d, %d, %d",
					allowed, refused, len(outcomes), tt.wantCalls, tt.wantRefused, tt.wantDone)
			}
			for i, got := range outcomes {
				if want := nth(tt.errs, i); !errors.Is(got, want) || (want == nil) != (got == nil) {
					t.Errorf("outcome %d = %v, want %v", i, got, want)
				}
			}
			var open *resilience.OpenError
			if errors.As(err, &open) && open.Name != "gw" {
				t.Errorf("OpenError.Name = %q, want gw", open.Name)
			}
		})
	}
}

func nth(errs []error, i int) error {
	if i < len(errs) {
		return errs[i]
	}
	return nil
}

func TestGuardAttemptTimeout(t *testing.T) {
	t.Parallel()
	breaker := &fakeBreaker{threshold: 5}
	guard := resilience.NewGuard("gw", resilience.GuardOptions{AttemptTimeout: 2 * time.Millisecond, Retry: fast, Breaker: breaker})
	calls := 0
	err := guard.Do(context.Background(), func(ctx context.Context) error {
		calls++
		if calls == 1 {
			<-ctx.Done() // a dependency that hangs
			return ctx.Err()
		}
		return nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("err = %v after %d calls, want nil after 2", err, calls)
	}
	if _, _, outcomes := breaker.counts(); len(outcomes) != 2 || !errors.Is(outcomes[0], context.DeadlineExceeded) || outcomes[1] != nil {
		t.Errorf("breaker told %v, want [deadline exceeded, nil]", outcomes)
	}
}

func TestGuardDeadlines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    resilience.GuardOptions
		fromNow time.Duration // want op's deadline now+fromNow, when not 0
		fromEnd time.Duration // else the parent's deadline less fromEnd
	}{
		{name: "reserve kept", opts: resilience.GuardOptions{Reserve: 10 * time.Minute}, fromEnd: 10 * time.Minute},
		{name: "attempt timeout", opts: resilience.GuardOptions{Reserve: 10 * time.Minute, AttemptTimeout: time.Minute}, fromNow: time.Minute},
		{name: "call timeout", opts: resilience.GuardOptions{Timeout: 30 * time.Minute, AttemptTimeout: 40 * time.Minute}, fromNow: 30 * time.Minute},
		{name: "attempt timeout past the reserve", opts: resilience.GuardOptions{Reserve: 30 * time.Minute, AttemptTimeout: 2 * time.Hour}, fromEnd: 30 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parent, cancel := context.WithTimeout(context.Background(), time.Hour)
			defer cancel()
			end, _ := parent.Deadline()
			var got time.Time
			before := time.Now()
			err := resilience.NewGuard("gw", tt.opts).Do(parent, func(ctx context.Context) error {
				got, _ = ctx.Deadline()
				return nil
			})
			after := time.Now()
			if err != nil {
				t.Fatalf("Do = %v", err)
			}
			if tt.fromNow != 0 {
				if got.Before(before.Add(tt.fromNow)) || got.After(after.Add(tt.fromNow)) {
					t.Errorf("op's deadline %v from now, want %v", got.Sub(before), tt.fromNow)
				}
			} else if want := end.Add(-tt.fromEnd); !got.Equal(want) {
				t.Errorf("op's deadline %v before the parent's, want %v", end.Sub(got), tt.fromEnd)
			}
		})
	}
}

func TestGuardRefusesWithoutCalling(t *testing.T) {
	t.Parallel()
	t.Run("no time left", func(t *testing.T) {
		t.Parallel()
		breaker := &fakeBreaker{}
		guard := resilience.NewGuard("gw", resilience.GuardOptions{Reserve: time.Hour, Retry: fast, Breaker: breaker})
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		calls := 0
		err := guard.Do(ctx, failing(&calls))
		checkErr(t, err, []error{resilience.ErrNoTime}, "gw: ")
		if allowed, refused, _ := breaker.counts(); calls != 0 || allowed+refused != 0 {
			t.Errorf("%d calls, breaker asked %d times; want none", calls, allowed+refused)
		}
	})
	t.Run("bulkhead full", func(t *testing.T) {
		t.Parallel()
		breaker := &fakeBreaker{}
		bulkhead := resilience.NewBulkhead("gw", 1, 0)
		guard := resilience.NewGuard("gw", resilience.GuardOptions{Retry: fast, Breaker: breaker, Bulkhead: bulkhead})
		release := hold(t, bulkhead)
		defer release()
		calls := 0
		err := guard.Do(context.Background(), failing(&calls))
		checkErr(t, err, []error{resilience.ErrBulkheadFull}, "bulkhead gw full")
		if allowed, refused, _ := breaker.counts(); calls != 0 || allowed+refused != 0 {
			t.Errorf("%d calls, breaker asked %d times; want none", calls, allowed+refused)
		}
	})
}

func TestGuardPanicFreesTheBreaker(t *testing.T) {
	t.Parallel()
	breaker := &fakeBreaker{}
	guard := resilience.NewGuard("gw", resilience.GuardOptions{Breaker: breaker})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		_ = guard.Do(context.Background(), func(context.Context) error { panic("boom") })
	}()
	if _, _, outcomes := breaker.counts(); len(outcomes) != 1 || outcomes[0] == nil || !strings.Contains(outcomes[0].Error(), "boom") {
		t.Errorf("breaker told %v, want one failure saying boom", outcomes)
	}
}

func TestGuardZeroOptions(t *testing.T) {
	t.Parallel()
	calls := 0
	err := resilience.NewGuard("gw", resilience.GuardOptions{}).Do(context.Background(), failing(&calls, repeat(errUnavailable, 3)...))
	if calls != 1 || err != errUnavailable {
		t.Errorf("err = %v after %d calls, want op's error as is after 1", err, calls)
	}
}

// TestGuardConcurrent sends many callers through one guard, for the race
// detector and the bulkhead's bound.
func TestGuardConcurrent(t *testing.T) {
	t.Parallel()
	const limit, callers = 4, 50
	breaker := &fakeBreaker{}
	guard := resilience.NewGuard("gw", resilience.GuardOptions{
		AttemptTimeout: time.Minute, Retry: fast, Breaker: breaker,
		Bulkhead: resilience.NewBulkhead("gw", limit, time.Minute),
	})
	var (
		flight inFlight
		wg     sync.WaitGroup
		errs   = make(chan error, callers)
	)
	for i := range callers {
		wg.Go(func() {
			calls := 0
			errs <- guard.Do(context.Background(), func(context.Context) error {
				flight.enter()
				defer flight.leave()
				calls++
				time.Sleep(50 * time.Microsecond)
				if calls <= i%3 {
					return errUnavailable
				}
				return nil
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Do = %v, want nil", err)
		}
	}
	if most := flight.most.Load(); most > limit {
		t.Errorf("%d calls in flight at once, want at most %d", most, limit)
	}
	if allowed, _, outcomes := breaker.counts(); allowed != int(flight.total.Load()) || len(outcomes) != allowed {
		t.Errorf("breaker allowed %d and told %d outcomes for %d attempts", allowed, len(outcomes), flight.total.Load())
	}
}
