package resilience_test

import (
	"context"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/internal/resilience"
)

func nop(context.Context) error { return nil }

// BenchmarkGuard is the overhead of a guard with every part in use, on a
// call that succeeds at once: budgets, a bulkhead slot, one attempt, and
// a mutex-guarded breaker standing in for gobreaker's.
func BenchmarkGuard(b *testing.B) {
	parent, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	guard := resilience.NewGuard("gw", resilience.GuardOptions{
		Reserve: time.Second, AttemptTimeout: time.Minute,
		Retry:    resilience.Policy{Attempts: 3, Base: time.Millisecond, Max: time.Second},
		Breaker:  &fakeBreaker{threshold: 5},
		Bulkhead: resilience.NewBulkhead("gw", 16, time.Millisecond),
	})
	b.ReportAllocs()
	for b.Loop() {
		if err := guard.Do(parent, nop); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuardParallel is BenchmarkGuard with callers on every CPU.
func BenchmarkGuardParallel(b *testing.B) {
	guard := resilience.NewGuard("gw", resilience.GuardOptions{
		AttemptTimeout: time.Minute,
		Retry:          resilience.Policy{Attempts: 3, Base: time.Millisecond},
		Breaker:        &fakeBreaker{threshold: 5},
		Bulkhead:       resilience.NewBulkhead("gw", 1024, time.Second),
	})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := guard.Do(context.Background(), nop); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRetry is Retry on a call that succeeds at once.
func BenchmarkRetry(b *testing.B) {
	ctx := context.Background()
	p := resilience.Policy{Attempts: 3, Base: time.Millisecond}
	b.ReportAllocs()
	for b.Loop() {
		if err := resilience.Retry(ctx, p, nop); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBulkhead is one slot taken and given back.
func BenchmarkBulkhead(b *testing.B) {
	ctx := context.Background()
	bh := resilience.NewBulkhead("gw", 16, time.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		if err := bh.Do(ctx, nop); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBudget is one budgeted context made and cancelled.
func BenchmarkBudget(b *testing.B) {
	parent, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		_, cancel := resilience.Budget(parent, time.Minute, time.Second)
		cancel()
	}
}
