package resilience

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/goshop-dev/goshop/internal/backoff"
)

// Policy says how Retry retries. The zero Policy makes one attempt.
type Policy struct {
	// Attempts is the most tries in all, the first included; less than 1
	// counts as 1 (no retry).
	Attempts int
	// Base is the bound of the first wait: the wait before try n+1 is
	// random in [0, min(Base*2^(n-1), Max)) ("full jitter"). Zero or less
	// retries at once, which only suits tests.
	Base time.Duration
	// Max caps each wait; zero or less caps nothing but the context's
	// deadline.
	Max time.Duration
	// Retryable, if not nil, says whether an error is worth another try.
	// It narrows the default, never widens it: errors marked Permanent,
	// context.Canceled, an *OpenError and ErrNoTime are never retried.
	Retryable func(error) bool
}

// Permanent marks err as one that another try would not change (a
// declined card, an invalid request): Retry returns it at once, and a
// breaker set up as the package doc shows counts it as an answer, not as
// a failure. errors.Is and errors.As still see err through the mark, and
// its message is err's. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked by
// Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Retry calls op until it succeeds, at most policy.Attempts times, waiting
// between tries with capped exponential backoff and full jitter
// (internal/backoff) so that callers failing together spread out. op gets
// ctx as it is; Guard gives each attempt its own deadline.
//
// Retry returns nil on success, and otherwise op's last error, wrapped
// with the number of attempts once there was more than one:
//   - at once for an error it must not retry (see Policy.Retryable);
//   - after the last attempt;
//   - when the next wait would reach ctx's deadline: op is not called
//     again and the error wraps both ErrNoTime and op's last error;
//   - when ctx is done, during an attempt or a wait: the error wraps
//     context.Cause(ctx) and op's last error.
//
// A ctx already done before the first attempt returns its cause without
// calling op.
func Retry(ctx context.Context, policy Policy, op func(context.Context) error) error {
	return retry(ctx, policy, op, realClock)
}

// clock is what Retry reads time and randomness from; tests replace it.
type clock struct {
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	jitter func(attempt int, base, ceiling time.Duration) time.Duration
}

var realClock = clock{now: time.Now, sleep: backoff.Sleep, jitter: backoff.Full}

func retry(ctx context.Context, p Policy, op func(context.Context) error, c clock) error {
	if ctx.Err() != nil {
		return fmt.Errorf("no attempt: %w", context.Cause(ctx))
	}
	attempts := max(p.Attempts, 1)
	ceiling := p.Max
	if ceiling <= 0 {
		ceiling = math.MaxInt64
	}
	for n := 1; ; n++ {
		err := op(ctx)
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return afterAttempts(n, stopped(ctx, err))
		case !p.retryable(err) || n >= attempts:
			return afterAttempts(n, err)
		}
		wait := c.jitter(n-1, p.Base, ceiling)
		if deadline, ok := ctx.Deadline(); ok && !c.now().Add(wait).Before(deadline) {
			return fmt.Errorf("after %d attempts, next in %v: %w: %w", n, wait, ErrNoTime, err)
		}
		if c.sleep(ctx, wait) != nil {
			return afterAttempts(n, stopped(ctx, err))
		}
	}
}

// retryable applies the rules of Policy.Retryable.
func (p Policy) retryable(err error) bool {
	if IsPermanent(err) || errors.Is(err, context.Canceled) || errors.Is(err, ErrOpen) || errors.Is(err, ErrNoTime) {
		return false
	}
	return p.Retryable == nil || p.Retryable(err)
}

func afterAttempts(n int, err error) error {
	if n == 1 {
		return err
	}
	return fmt.Errorf("after %d attempts: %w", n, err)
}

// stopped joins the reason ctx ended to op's last error, unless that
// error says it already.
func stopped(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if errors.Is(err, cause) {
		return err
	}
	return fmt.Errorf("%w: %w", cause, err)
}
