package sqsemu

import (
	"sync"
	"time"
)

// Clock is the source of time of a Broker: Now for timestamps and
// visibility, Timer for long polling and for waking receivers when a
// message becomes visible again.
type Clock interface {
	Now() time.Time
	// Timer returns a channel that receives once d has elapsed, and a stop
	// function that releases it early.
	Timer(d time.Duration) (<-chan time.Time, func())
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Timer wraps time.NewTimer.
func (SystemClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// ManualClock is a Clock that moves only when Advance is called; timers fire
// when the clock passes their deadline. It is safe for concurrent use.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	nextID  int
	waiters map[int]manualWaiter
}

type manualWaiter struct {
	at time.Time
	ch chan time.Time
}

// NewManualClock returns a ManualClock reading start.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{now: start, waiters: map[int]manualWaiter{}}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Timer returns a channel that receives when the clock is advanced past
// now+d (immediately when d <= 0).
func (c *ManualClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch, func() {}
	}
	id := c.nextID
	c.nextID++
	c.waiters[id] = manualWaiter{at: c.now.Add(d), ch: ch}
	return ch, func() {
		c.mu.Lock()
		delete(c.waiters, id)
		c.mu.Unlock()
	}
}

// Advance moves the clock forward by d and fires the timers that are due.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for id, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
			delete(c.waiters, id)
		}
	}
}
