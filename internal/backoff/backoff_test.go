package backoff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/internal/backoff"
)

func TestFullStaysBelowBound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		attempt int
		base    time.Duration
		ceiling time.Duration
		bound   time.Duration
	}{
		{"first", 0, time.Millisecond, 100 * time.Millisecond, time.Millisecond},
		{"doubling", 3, time.Millisecond, 100 * time.Millisecond, 8 * time.Millisecond},
		{"capped", 7, time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond},
		{"no overflow", 200, time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond},
		{"large base", 62, time.Hour, time.Second, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var top time.Duration
			for range 2000 {
				d := backoff.Full(tt.attempt, tt.base, tt.ceiling)
				if d < 0 || d >= tt.bound {
					t.Fatalf("Full(%d, %v, %v) = %v, want in [0, %v)", tt.attempt, tt.base, tt.ceiling, d, tt.bound)
				}
				top = max(top, d)
			}
			// 2000 uniform draws all in the lower half: chance 2^-2000.
			if top < tt.bound/2 {
				t.Errorf("largest of 2000 delays = %v, want some in the upper half of [0, %v)", top, tt.bound)
			}
		})
	}
}

func TestFullNonPositiveBound(t *testing.T) {
	t.Parallel()
	if d := backoff.Full(3, time.Millisecond, 0); d != 0 {
		t.Errorf("Full with ceiling 0 = %v, want 0", d)
	}
	if d := backoff.Full(0, 0, time.Second); d != 0 {
		t.Errorf("Full with base 0 = %v, want 0", d)
	}
}

func TestSleepWaits(t *testing.T) {
	t.Parallel()
	start := time.Now()
	if err := backoff.Sleep(context.Background(), 20*time.Millisecond); err != nil {
		t.Fatalf("Sleep: %v", err)
	}
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Errorf("Sleep returned after %v, want at least 20ms", waited)
	}
}

func TestSleepStopsWithContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	err := backoff.Sleep(ctx, time.Hour)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a cancelled context = %v, want context.Canceled", err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("Sleep on a cancelled context took %v", waited)
	}
}
