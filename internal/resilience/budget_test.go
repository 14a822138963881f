package resilience_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/internal/resilience"
)

func TestBudgetDeadline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		parent   time.Duration // from now; 0: no deadline
		limit    time.Duration
		reserve  time.Duration
		fromNow  time.Duration // want now+fromNow, when not 0
		fromEnd  time.Duration // else want the parent's deadline less fromEnd
		noLimits bool          // want no deadline at all
	}{
		{name: "limit sooner than the parent", parent: time.Hour, limit: time.Minute, reserve: 10 * time.Second, fromNow: time.Minute},
		{name: "reserve taken from the parent", parent: time.Hour, limit: 2 * time.Hour, reserve: 10 * time.Minute, fromEnd: 10 * time.Minute},
		{name: "no limit of its own", parent: time.Hour, reserve: time.Minute, fromEnd: time.Minute},
		{name: "never extends the parent", parent: time.Second, limit: time.Hour},
		{name: "negative reserve counts as zero", parent: time.Hour, limit: 2 * time.Hour, reserve: -time.Minute},
		{name: "limit without a parent deadline", limit: time.Minute, reserve: time.Hour, fromNow: time.Minute},
		{name: "nothing to bound", reserve: time.Hour, noLimits: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parent := context.Background()
			if tt.parent > 0 {
				var cancel context.CancelFunc
				parent, cancel = context.WithTimeout(parent, tt.parent)
				defer cancel()
			}
			before := time.Now()
			ctx, cancel := resilience.Budget(parent, tt.limit, tt.reserve)
			defer cancel()
			after := time.Now()

			got, ok := ctx.Deadline()
			if tt.noLimits {
				if ok {
					t.Fatalf("deadline %v, want none", got)
				}
				return
			}
			if !ok {
				t.Fatal("no deadline")
			}
			if tt.fromNow != 0 {
				if got.Before(before.Add(tt.fromNow)) || got.After(after.Add(tt.fromNow)) {
					t.Errorf("deadline %v from now, want %v", got.Sub(before), tt.fromNow)
				}
			} else {
				end, _ := parent.Deadline()
				if want := end.Add(-tt.fromEnd); !got.Equal(want) {
					t.Errorf("deadline %v before the parent's, want %v", end.Sub(got), tt.fromEnd)
				}
			}
			if end, ok := parent.Deadline(); ok && got.After(end) {
				t.Errorf("deadline %v after the parent's", got.Sub(end))
			}
			if err := ctx.Err(); err != nil {
				t.Errorf("Err = %v, want nil", err)
			}
		})
	}
}

func TestBudgetNoTimeLeft(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		left    time.Duration
		reserve time.Duration
	}{
		{"less than the reserve", 50 * time.Millisecond, time.Hour},
		{"exactly the reserve, give or take the clock", time.Hour, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			parent, cancelParent := context.WithTimeout(context.Background(), tt.left)
			defer cancelParent()
			ctx, cancel := resilience.Budget(parent, time.Minute, tt.reserve)
			defer cancel()
			select {
			case <-ctx.Done():
			default:
				t.Fatal("context not done")
			}
			if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				t.Errorf("Err = %v, want context.DeadlineExceeded", ctx.Err())
			}
			if cause := context.Cause(ctx); !errors.Is(cause, resilience.ErrNoTime) {
				t.Errorf("Cause = %v, want ErrNoTime", cause)
			}
			if parent.Err() != nil {
				t.Errorf("parent ended too: %v", parent.Err())
			}
		})
	}
}

func TestBudgetFollowsParent(t *testing.T) {
	t.Parallel()
	parent, cancelParent := context.WithCancel(context.Background())
	ctx, cancel := resilience.Budget(parent, time.Hour, time.Second)
	defer cancel()
	cancelParent()
	<-ctx.Done()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("Err = %v, want context.Canceled", ctx.Err())
	}
}

func TestBudgetCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := resilience.Budget(context.Background(), time.Hour, 0)
	cancel()
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("Err after cancel = %v, want context.Canceled", ctx.Err())
	}
}
