package lambdart

import "sync"

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

	mu     sync.Mutex
	closed bool
	idle   []*instance // parked on /next; the last is the most recently used
	live   int         // instances started and not gone
	all    map[*instance]struct{}
}

// acquire takes the most recently used idle instance, or starts one.
func (f *function) acquire() (*instance, bool, error) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil, false, ErrClosed
	}
	if n := len(f.idle); n > 0 {
		in := f.idle[n-1]
		f.idle = f.idle[:n-1]
		in.state = stateBusy
		f.mu.Unlock()
		return in, false, nil
	}
	if f.live >= f.cfg.MaxConcurrency {
		f.mu.Unlock()
		return nil, false, ErrTooManyRequests
	}
	f.live++
	f.mu.Unlock()

	in, err := startInstance(f)
	f.mu.Lock()
	if err != nil {
		f.live--
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

// release parks a healthy instance as idle.
func (f *function) release(in *instance) {
	f.mu.Lock()
	if !f.closed && !in.hasExited() && in.state != stateGone {
		in.state = stateIdle
		f.idle = append(f.idle, in)
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

// shutdown marks the function closed and returns its instances for Close.
func (f *function) shutdown() []*instance {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	out := make([]*instance, 0, len(f.all))
	for in := range f.all {
		out = append(out, in)
	}
	return out
}
