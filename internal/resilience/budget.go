package resilience

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoTime says that too little time is left before a context's deadline
// to start (or wait for) more work: the rest is kept for the caller to
// answer. Test it with errors.Is, on an error or on context.Cause(ctx).
var ErrNoTime = errors.New("not enough time left before the deadline")

// Budget returns a child of ctx whose deadline is the earlier of now+limit
// and ctx's deadline less reserve, so that an outbound call never outlives
// the Lambda invocation (whose context carries its deadline) and leaves
// reserve to answer. It never extends ctx's deadline.
//
// A limit <= 0 sets no limit of its own: only ctx's deadline less reserve
// applies, and a ctx without a deadline gives a child without one. A
// negative reserve counts as zero. When ctx's deadline is no more than
// reserve away, the child is returned already done: its Err is
// context.DeadlineExceeded and its context.Cause wraps ErrNoTime.
//
// As with context.WithDeadline, call the CancelFunc once the work is done.
func Budget(ctx context.Context, limit, reserve time.Duration) (context.Context, context.CancelFunc) {
	reserve = max(reserve, 0)
	deadline, bounded := ctx.Deadline()
	if bounded {
		deadline = deadline.Add(-reserve)
		if left := time.Until(deadline); left <= 0 {
			cause := fmt.Errorf("%w: %v reserved, %v left", ErrNoTime, reserve, (left + reserve).Round(time.Microsecond))
			return context.WithDeadlineCause(ctx, deadline, cause)
		}
	}
	if limit > 0 {
		if own := time.Now().Add(limit); !bounded || own.Before(deadline) {
			deadline, bounded = own, true
		}
	}
	if !bounded {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, deadline)
}
