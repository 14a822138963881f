package resilience

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Breaker is the circuit breaker a Guard asks before each attempt. Allow
// either refuses the attempt with an error (the circuit is open, or its
// half-open trials are all taken) or returns done, which the Guard calls
// exactly once with the attempt's error (nil on success) so that the
// breaker can count it; the breaker's own settings say which errors are
// failures. *gobreaker.TwoStepCircuitBreaker[T] from
// github.com/sony/gobreaker/v2 satisfies it as it is (see the package
// doc).
type Breaker interface {
	Allow() (done func(err error), err error)
}

// ErrOpen is matched (errors.Is) by every *OpenError.
var ErrOpen = errors.New("circuit open")

// OpenError is returned by Guard.Do when its Breaker refused an attempt;
// op was not called for it, and no further attempt was made.
type OpenError struct {
	Name string // the guard's, usually the dependency's
	Err  error  // the breaker's refusal, e.g. gobreaker.ErrOpenState
}

// Error names the guard and the breaker's refusal.
func (e *OpenError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("circuit %s open", e.Name)
	}
	return fmt.Sprintf("circuit %s open: %v", e.Name, e.Err)
}

// Is matches ErrOpen.
func (e *OpenError) Is(target error) bool { return target == ErrOpen }

// Unwrap returns the breaker's refusal.
func (e *OpenError) Unwrap() error { return e.Err }

// GuardOptions configure a Guard. The zero value calls op once, bounded by
// ctx's deadline only.
type GuardOptions struct {
	// Timeout bounds the whole call, bulkhead wait, attempts and backoff
	// included; zero or less: ctx's deadline (less Reserve) only.
	Timeout time.Duration
	// Reserve is kept back from ctx's deadline for the caller to answer:
	// the call ends that long before it, and fails with ErrNoTime without
	// calling op when less is left.
	Reserve time.Duration
	// AttemptTimeout bounds each attempt, cut from what is left of the
	// call's budget; zero or less: the rest of the call's budget.
	AttemptTimeout time.Duration
	// Retry says how attempts are retried (zero value: one attempt).
	Retry Policy
	// Breaker, if not nil, is asked before each attempt and told each
	// outcome.
	Breaker Breaker
	// Bulkhead, if not nil, bounds the calls in flight; it may be shared
	// by the guards of one dependency.
	Bulkhead *Bulkhead
}

// Guard runs the calls to one dependency under a budget, a bulkhead,
// retries, a circuit breaker and a timeout per attempt, in the order the
// package doc gives and explains. It is safe for concurrent use, as are
// its Bulkhead and (the caller's choice) its Breaker.
type Guard struct {
	name string
	opts GuardOptions
}

// NewGuard returns the guard of the dependency name (it appears in its
// errors) with opts.
func NewGuard(name string, opts GuardOptions) *Guard {
	return &Guard{name: name, opts: opts}
}

// Do calls op under the guard and returns nil once an attempt succeeds.
// Otherwise it returns:
//   - a *BulkheadFullError (ErrBulkheadFull) when no slot freed up in
//     time, or an error wrapping ErrNoTime when less than Reserve was
//     left; op was not called;
//   - an *OpenError (ErrOpen) as soon as the breaker refuses an attempt,
//     which is not made and ends the retries;
//   - op's last error as Retry returns it: wrapped with the attempt count,
//     with ErrNoTime when the next backoff would pass the budget, with
//     the context's cause when it ended.
func (g *Guard) Do(ctx context.Context, op func(context.Context) error) error {
	ctx, cancel := Budget(ctx, g.opts.Timeout, g.opts.Reserve)
	defer cancel()
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", g.name, context.Cause(ctx))
	}
	return g.opts.Bulkhead.Do(ctx, func(ctx context.Context) error {
		return retry(ctx, g.opts.Retry, func(ctx context.Context) error { return g.attempt(ctx, op) }, realClock)
	})
}

// attempt makes one attempt through the breaker, under its own deadline.
func (g *Guard) attempt(ctx context.Context, op func(context.Context) error) (err error) {
	if g.opts.Breaker == nil {
		return g.timed(ctx, op)
	}
	done, refused := g.opts.Breaker.Allow()
	if refused != nil {
		return &OpenError{Name: g.name, Err: refused}
	}
	defer func() {
		// A panicking op still frees its half-open trial slot.
		if p := recover(); p != nil {
			done(fmt.Errorf("panic: %v", p))
			panic(p)
		}
		done(err)
	}()
	return g.timed(ctx, op)
}

func (g *Guard) timed(ctx context.Context, op func(context.Context) error) error {
	if g.opts.AttemptTimeout <= 0 {
		return op(ctx) // the call's budget applies
	}
	ctx, cancel := Budget(ctx, g.opts.AttemptTimeout, 0)
	defer cancel()
	return op(ctx)
}
