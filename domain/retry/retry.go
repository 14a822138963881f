// Package retry is part of the domain's shared kernel: the retry of an
// operation that lost an optimistic-concurrency race, used by the services
// whose writes are conditioned on what they read. Standard library only,
// like every domain package.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Policy bounds the retries: at most Attempts tries in all, waiting a
// random duration up to Base*2^n (capped at Max) between them.
type Policy struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

// Do runs op until it returns anything but an error matching retryOn (by
// errors.Is), at most p.Attempts times, with capped exponential backoff and
// full jitter between tries so that contending callers spread out. The last
// error is returned wrapped with the number of attempts; a cancelled ctx
// stops the waiting.
func (p Policy) Do(ctx context.Context, retryOn error, op func() error) error {
	for attempt := 1; ; attempt++ {
		err := op()
		if !errors.Is(err, retryOn) {
			return err
		}
		if attempt >= p.Attempts {
			return fmt.Errorf("after %d attempts: %w", attempt, err)
		}
		wait := p.Base << (attempt - 1)
		if wait > p.Max || wait <= 0 {
			wait = p.Max
		}
		if wait > 0 {
			wait = rand.N(wait) + 1
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("retry: %w", ctx.Err())
		case <-t.C:
		}
	}
}
