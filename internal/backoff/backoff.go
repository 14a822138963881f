// Package backoff spaces out the retries of the DynamoDB adapters (a lost
// optimistic-locking race, a cancelled transaction, unprocessed batch keys):
// a wait that gives up when the context is done, and full-jitter
// exponential delays. The domain packages keep their own retry policies,
// since they use the standard library only.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Sleep waits d, or until ctx is done, in which case it returns ctx.Err().
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Full returns a random delay in [0, min(base<<attempt, ceiling)): the
// "full jitter" of exponential backoff, which spreads racing writers out.
// attempt must not be negative; 0 when the bound is not positive.
func Full(attempt int, base, ceiling time.Duration) time.Duration {
	bound := ceiling
	if base <= ceiling>>attempt {
		bound = base << attempt
	}
	if bound <= 0 {
		return 0
	}
	return rand.N(bound)
}
