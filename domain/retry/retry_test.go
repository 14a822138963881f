package retry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/domain/retry"
)

var errConflict = errors.New("conflict")

func TestDo(t *testing.T) {
	t.Parallel()
	p := retry.Policy{Attempts: 4, Base: time.Microsecond, Max: 10 * time.Microsecond}
	tests := []struct {
		name      string
		failures  int   // conflicts before success
		other     error // returned instead of success
		wantCalls int
		wantErr   error
	}{
		{"first try", 0, nil, 1, nil},
		{"after conflicts", 3, nil, 4, nil},
		{"gives up", 10, nil, 4, errConflict},
		{"other errors are not retried", 0, errors.New("boom"), 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			calls := 0
			err := p.Do(context.Background(), errConflict, func() error {
				calls++
				if calls <= tt.failures {
					return errConflict
				}
				return tt.other
			})
			if calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls, tt.wantCalls)
			}
			switch {
			case tt.other != nil && !errors.Is(err, tt.other):
				t.Errorf("err = %v, want %v", err, tt.other)
			case tt.other == nil && tt.wantErr == nil && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestDoStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := retry.Policy{Attempts: 5, Base: time.Hour, Max: time.Hour}
	calls := 0
	err := p.Do(ctx, errConflict, func() error { calls++; return errConflict })
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("err = %v after %d calls, want context.Canceled after 1", err, calls)
	}
}
