package resilience

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrBulkheadFull is matched (errors.Is) by every *BulkheadFullError.
var ErrBulkheadFull = errors.New("bulkhead full")

// BulkheadFullError is returned by Bulkhead.Do for a call that got no slot
// in time; op was not called.
type BulkheadFullError struct {
	Name  string // the bulkhead's, usually the dependency's
	Limit int    // its calls in flight at most
	// Cause is context.Cause of the caller's context when it ended before
	// a slot freed up, and nil when the bulkhead's wait ran out.
	Cause error
}

// Error names the bulkhead and its limit, and the cause if any.
func (e *BulkheadFullError) Error() string {
	msg := fmt.Sprintf("bulkhead %s full (%d in flight)", e.Name, e.Limit)
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Is matches ErrBulkheadFull.
func (e *BulkheadFullError) Is(target error) bool { return target == ErrBulkheadFull }

// Unwrap returns Cause.
func (e *BulkheadFullError) Unwrap() error { return e.Cause }

// Bulkhead bounds the concurrent calls of this process to one dependency,
// so that a slow dependency holds a bounded share of the process's
// connections and goroutines, and callers beyond it are refused quickly
// instead of piling up. It is safe for concurrent use.
//
// A Bulkhead is made by NewBulkhead; the zero value and a nil *Bulkhead
// bound nothing (Do calls op at once).
type Bulkhead struct {
	name    string
	slots   chan struct{}
	maxWait time.Duration
}

// NewBulkhead returns a bulkhead named name (it appears in its errors) that
// lets limit calls run at once (less than 1 counts as 1). A call finding
// every slot taken waits up to maxWait for one (zero or less: not at all).
func NewBulkhead(name string, limit int, maxWait time.Duration) *Bulkhead {
	return &Bulkhead{name: name, slots: make(chan struct{}, max(limit, 1)), maxWait: maxWait}
}

// Do calls op in a slot and returns its error, or returns a
// *BulkheadFullError (matching ErrBulkheadFull) without calling op when no
// slot frees up within maxWait or before ctx is done.
func (b *Bulkhead) Do(ctx context.Context, op func(context.Context) error) error {
	if b == nil || b.slots == nil {
		return op(ctx)
	}
	if err := b.acquire(ctx); err != nil {
		return err
	}
	defer func() { <-b.slots }()
	return op(ctx)
}

func (b *Bulkhead) acquire(ctx context.Context) error {
	select {
	case b.slots <- struct{}{}:
		return nil
	default:
	}
	if b.maxWait <= 0 {
		return &BulkheadFullError{Name: b.name, Limit: cap(b.slots)}
	}
	t := time.NewTimer(b.maxWait)
	defer t.Stop()
	select {
	case b.slots <- struct{}{}:
		return nil
	case <-t.C:
		return &BulkheadFullError{Name: b.name, Limit: cap(b.slots)}
	case <-ctx.Done():
		return &BulkheadFullError{Name: b.name, Limit: cap(b.slots), Cause: context.Cause(ctx)}
	}
}

// InUse returns how many calls hold a slot now, for health checks and
// metrics.
func (b *Bulkhead) InUse() int {
	if b == nil {
		return 0
	}
	return len(b.slots)
}

// Limit returns how many calls may hold a slot at once; 0 for a bulkhead
// that bounds nothing.
func (b *Bulkhead) Limit() int {
	if b == nil {
		return 0
	}
	return cap(b.slots)
}
