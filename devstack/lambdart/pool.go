package lambdart

import (
	"context"
	"sync"
)

// instance states, guarded by function.mu.
const (
	stateBusy = iota
	stateIdle
	stateGone
)

// function is one registered function and its pool of instances.
type function struct {
	svc *Service
	cfg Function

	mu      sync.Mutex
	closed  bool
	idle    []*instance // parked on /next; the last is the most recently used
	live    int         // instances started and not gone
	waiting int         // invocations admitted and waiting for an instance
	// wake is closed, and replaced, when an instance becomes idle or goes
	// while invocations wait: a waiter takes it under mu with what it saw,
	// so no change after its look is missed.
	wake chan struct{}
	all  map[*instance]struct{}
}

func newFunction(svc *Service, cfg Function) *function {
	return &function{svc: svc, cfg: cfg, wake: make(chan struct{}), all: map[*instance]struct{}{}}
}

// acquire takes the most recently used idle instance, or starts one. cold
// tells whether it was started for this invocation.
func (f *function) acquire(ctx context.Context) (*instance, bool, error) {
	in, err := f.claim(ctx)
	if err != nil || in != nil {
		return in, false, err
	}
	in, err = startInstance(f)
	f.mu.Lock()
	if err != nil {
		f.live--
		f.wakeWaiters()
		f.mu.Unlock()
		return nil, false, err
	}
	if f.closed {
		// Close ran while the process started, and did not see it.
		f.live--
		f.mu.Unlock()
		in.kill()
		in.finish()
		return nil, false, ErrClosed
	}
	in.state = stateBusy
	f.all[in] = struct{}{}
	f.mu.Unlock()
	return in, true, nil
}

// claim admits an invocation and returns the most recently used idle
// instance, or nil with a place counted in f.live for an instance the
// caller starts. With MaxConcurrency instances and none idle it waits for
// one to become idle or go, until ctx ends.
func (f *function) claim(ctx context.Context) (*instance, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.admit(); err != nil {
		return nil, err
	}
	f.waiting++
	defer func() { f.waiting-- }() // runs before the deferred Unlock
	for {
		if f.closed {
			return nil, ErrClosed
		}
		if n := len(f.idle); n > 0 {
			in := f.idle[n-1]
			f.idle = f.idle[:n-1]
			in.state = stateBusy
			return in, nil
		}
		if f.live < f.cfg.MaxConcurrency {
			f.live++
			return nil, nil
		}
		wake := f.wake
		f.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
		}
		f.mu.Lock()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

// admit throttles an invocation as Lambda does a function at its reserved
// concurrency: every one when the function is Throttled, and any beyond
// ReservedConcurrency busy or waiting invocations; f.mu is held.
func (f *function) admit() error {
	if f.closed {
		return ErrClosed
	}
	if f.cfg.Throttled {
		return ErrTooManyRequests
	}
	busy := f.live - len(f.idle)
	if r := f.cfg.ReservedConcurrency; r > 0 && busy+f.waiting >= r {
		return ErrTooManyRequests
	}
	return nil
}

// wakeWaiters lets the invocations waiting for an instance look again;
// f.mu is held.
func (f *function) wakeWaiters() {
	if f.waiting == 0 {
		return
	}
	close(f.wake)
	f.wake = make(chan struct{})
}

// release parks a healthy instance as idle.
func (f *function) release(in *instance) {
	f.mu.Lock()
	if !f.closed && !in.hasExited() && in.state != stateGone {
		in.state = stateIdle
		f.idle = append(f.idle, in)
		f.wakeWaiters()
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	f.remove(in)
}

// remove drops an instance from the pool and releases its resources; the
// process must be gone or going.
func (f *function) remove(in *instance) {
	f.mu.Lock()
	f.forget(in)
	f.mu.Unlock()
	in.kill()
	in.finish()
}

// forget drops in from the pool's books; f.mu is held.
func (f *function) forget(in *instance) {
	if in.state == stateGone {
		return
	}
	if in.state == stateIdle {
		for i, x := range f.idle {
			if x == in {
				f.idle = append(f.idle[:i], f.idle[i+1:]...)
				break
			}
		}
	}
	in.state = stateGone
	f.live--
	delete(f.all, in)
	f.wakeWaiters()
}

// exitedWhileIdle is called when a process ends: an idle one is dropped
// here, a busy one by the invocation that holds it.
func (f *function) exitedWhileIdle(in *instance) {
	f.mu.Lock()
	idle := in.state == stateIdle
	if idle {
		f.forget(in)
	}
	f.mu.Unlock()
	if idle {
		f.svc.logs.printf(f.cfg.Name, "instance %d exited while idle: %v", in.pid, describeExit(in.exitErr))
		in.finish()
	}
}

// shutdown marks the function closed, which ends the waits for an
// instance, and returns its instances for Close.
func (f *function) shutdown() []*instance {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	f.wakeWaiters()
	out := make([]*instance, 0, len(f.all))
	for in := range f.all {
		out = append(out, in)
	}
	return out
}
