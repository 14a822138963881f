package resilience

import (
	"context"
	"time"
)

// RetryWithClock is Retry reading the time from now, sleeping with sleep
// and drawing each wait from jitter, so that tests control all three.
func RetryWithClock(ctx context.Context, p Policy, op func(context.Context) error,
	now func() time.Time, sleep func(context.Context, time.Duration) error,
	jitter func(attempt int, base, ceiling time.Duration) time.Duration,
) error {
	return retry(ctx, p, op, clock{now: now, sleep: sleep, jitter: jitter})
}
