package dashboard

import (
	"context"
	"slices"
	"sync"
	"time"
)

// PartGuard runs the read of one part of a dashboard: the wiring gives
// each part its own circuit breaker and the parts a bulkhead
// (internal/wire/dashboardwire), so that the domain only asks. Run
// returns read's error, or its own refusal without calling read (an open
// breaker, a full bulkhead); it must not return before read has.
type PartGuard interface {
	Run(ctx context.Context, part Part, read func(context.Context) error) error
}

// WithPartGuard makes every part of a dashboard read through g. Without it
// the parts are read as they are.
func WithPartGuard(g PartGuard) Option {
	return func(s *Service) { s.guard = g }
}

// WithLastGood makes the service keep, in memory, the last value each part
// of a user's dashboard was read with, for ttl after it was read (as now
// tells the time), for at most maxUsers users per part (the least recently
// read go first). A part that fails is then given that value, marked stale
// (View.Stale), instead of nothing. Values of ttl or maxUsers below 1 keep
// nothing.
//
// Every part is kept per user: the recommendations too, which follow the
// user's preferred categories. The memory is the process's: a Lambda
// instance falls back only on what it read itself.
func WithLastGood(ttl time.Duration, maxUsers int, now func() time.Time) Option {
	return func(s *Service) {
		if ttl <= 0 || maxUsers < 1 {
			s.last = lastGoods{}
			return
		}
		s.last = lastGoods{
			profile: newLastGood(ttl, maxUsers, now, func(p Profile) Profile {
				p.Categories = slices.Clone(p.Categories)
				return p
			}),
			orders:          newLastGood(ttl, maxUsers, now, slices.Clone[[]Order]),
			recommendations: newLastGood(ttl, maxUsers, now, slices.Clone[[]ProductSales]),
		}
	}
}

// lastGoods are the last good values of the three parts; nil members keep
// nothing.
type lastGoods struct {
	profile         *lastGood[Profile]
	orders          *lastGood[[]Order]
	recommendations *lastGood[[]ProductSales]
}

// lastGood keeps the last good value of one part, per user, for ttl. It is
// safe for concurrent use; a nil *lastGood keeps nothing.
type lastGood[T any] struct {
	ttl   time.Duration
	max   int
	now   func() time.Time
	clone func(T) T // so that no caller shares a kept value

	mu     sync.Mutex
	byUser map[string]stamped[T]
}

type stamped[T any] struct {
	value T
	at    time.Time
}

func newLastGood[T any](ttl time.Duration, maxUsers int, now func() time.Time, clone func(T) T) *lastGood[T] {
	return &lastGood[T]{ttl: ttl, max: maxUsers, now: now, clone: clone, byUser: map[string]stamped[T]{}}
}

// put keeps v as the user's last good value.
func (c *lastGood[T]) put(userID string, v T) {
	if c == nil {
		return
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, known := c.byUser[userID]; !known && len(c.byUser) >= c.max {
		c.evict(now)
	}
	c.byUser[userID] = stamped[T]{value: c.clone(v), at: now}
}

// evict drops the expired values or, if none is, the oldest one.
func (c *lastGood[T]) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for user, s := range c.byUser {
		if now.Sub(s.at) > c.ttl {
			delete(c.byUser, user)
			continue
		}
		if oldest == "" || s.at.Before(oldestAt) {
			oldest, oldestAt = user, s.at
		}
	}
	if len(c.byUser) >= c.max {
		delete(c.byUser, oldest)
	}
}

// get returns the user's last good value if it is younger than ttl.
func (c *lastGood[T]) get(userID string) (T, bool) {
	var zero T
	if c == nil {
		return zero, false
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.byUser[userID]
	if !ok {
		return zero, false
	}
	if now.Sub(s.at) > c.ttl {
		delete(c.byUser, userID)
		return zero, false
	}
	return c.clone(s.value), true
}

// guarded returns read run through g, or read itself when g is nil.
func guarded[T any](g PartGuard, part Part, read func(context.Context) (T, error)) func(context.Context) (T, error) {
	if g == nil {
		return read
	}
	return func(ctx context.Context) (T, error) {
		var v T
		err := g.Run(ctx, part, func(ctx context.Context) error {
			var err error
			v, err = read(ctx)
			return err
		})
		return v, err
	}
}

// settle waits for a part and returns its value: the one read, which c
// then keeps, or, when the read failed, the user's last good value in c
// if it has one (stale), else the zero value, with the read's error.
func settle[T any](wait func() (T, error), c *lastGood[T], userID string) (v T, stale bool, err error) {
	v, err = wait()
	if err == nil {
		c.put(userID, v)
		return v, false, nil
	}
	last, ok := c.get(userID)
	return last, ok, err
}
