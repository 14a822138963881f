package lambdart

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
)

// releaseWait bounds how long Invoke waits, after the answer, for the
// runtime to call /next so the instance is free for the caller's next
// invocation; the wait goes on in the background past it.
const releaseWait = time.Second

type outcome struct {
	res Result
	err error
}

// invoke runs one invocation; the caller has done svc.wg.Add(1).
func (f *function) invoke(ctx context.Context, payload []byte, traceID string) (Result, error) {
	in, cold, err := f.acquire(ctx)
	if err != nil {
		f.svc.wg.Done()
		return Result{}, fmt.Errorf("invoke %s: %w", f.cfg.Name, err)
	}
	inv := newInvocation(f.cfg.ARN, payload, traceID)
	done := make(chan outcome, 1)
	go func() {
		defer f.svc.wg.Done()
		f.run(in, inv, cold, done)
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-ctx.Done():
		return Result{}, fmt.Errorf("invoke %s: %w", f.cfg.Name, ctx.Err())
	}
}

// run drives one invocation on in to its end, sends the outcome on done,
// then returns the instance to the pool once its runtime asks for the next
// event, or drops it.
func (f *function) run(in *instance, inv *invocation, cold bool, done chan<- outcome) {
	res, keep, err := f.execute(in, inv, cold)
	o := outcome{res: res, err: err}
	if !keep {
		f.remove(in)
		done <- o
		return
	}
	wait := time.NewTimer(releaseWait)
	defer wait.Stop()
	sent := false
	send := func() {
		if !sent {
			sent = true
			done <- o
		}
	}
	for {
		select {
		case slot := <-in.next:
			in.parked = slot
			f.release(in)
			send()
			return
		case <-in.exited:
			f.remove(in)
			send()
			return
		case <-f.svc.closing:
			send()
			return
		case <-wait.C:
			send()
		}
	}
}

// execute hands the event to the runtime and waits for its answer, the
// timeout, the process's exit or Close. keep tells whether the instance
// can serve again.
func (f *function) execute(in *instance, inv *invocation, cold bool) (res Result, keep bool, err error) {
	res = Result{RequestID: inv.id, ColdStart: cold, PID: in.pid}
	in.logs.begin()

	slot := in.parked
	in.parked = nil
	if slot == nil {
		var failure *invokeError
		slot, failure, err = f.awaitInit(in, inv)
		if err != nil {
			in.logs.end()
			return res, false, err
		}
		if failure != nil {
			status := "error"
			if failure.ErrorType == "Sandbox.Timedout" {
				status = "timeout"
			}
			in.logs.printf("INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: %s\tError Type: %s",
				millis(time.Since(in.started)), status, failure.ErrorType)
			in.logs.printf("START RequestId: %s Version: %s", inv.id, LatestVersion)
			f.fail(&res, failure)
			res.LogTail = f.report(in, inv, &res, 0, status)
			return res, false, nil
		}
	}
	if cold {
		res.InitDuration = in.initDuration()
	}

	start := time.Now()
	inv.deadline = start.Add(f.cfg.Timeout)
	in.setCurrent(inv)
	in.logs.printf("START RequestId: %s Version: %s", inv.id, LatestVersion)
	in.sampleMemory()
	slot <- inv
	timer := time.NewTimer(f.cfg.Timeout)
	defer timer.Stop()

	select {
	case <-inv.done:
	case <-in.exited:
	case <-timer.C:
	case <-f.svc.closing:
		in.logs.end()
		return res, false, ErrClosed
	}
	res.Duration = time.Since(start)
	in.setCurrent(nil)
	status, keep := f.settle(in, inv, &res)
	res.LogTail = f.report(in, inv, &res, res.InitDuration, status)
	return res, keep, nil
}

// settle fills res from how the invocation ended: answered, process
// exited, or timed out (then the process is killed). It returns the REPORT
// status and whether the instance can serve again.
func (f *function) settle(in *instance, inv *invocation, res *Result) (status string, keep bool) {
	switch {
	case inv.answered():
		if e := inv.failure; e != nil {
			f.fail(res, e)
		} else {
			res.Payload = inv.response
		}
		return "", true
	case in.hasExited():
		e := exitError(inv.id, in.exitErr)
		in.logs.printf("%s\n%s", e.ErrorMessage, e.ErrorType)
		f.fail(res, e)
		return "error", false
	default:
		in.sampleMemory()
		in.kill()
		res.Duration = f.cfg.Timeout
		msg := fmt.Sprintf("Task timed out after %.2f seconds", f.cfg.Timeout.Seconds())
		in.logs.printf("%s %s %s", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), inv.id, msg)
		f.fail(res, &invokeError{ErrorType: "Sandbox.Timedout", ErrorMessage: "RequestId: " + inv.id + " Error: " + msg})
		return "timeout", false
	}
}

// awaitInit waits for a new process's first /next call.
func (f *function) awaitInit(in *instance, inv *invocation) (chan *invocation, *invokeError, error) {
	timer := time.NewTimer(f.svc.cfg.InitTimeout)
	defer timer.Stop()
	select {
	case slot := <-in.next:
		return slot, nil, nil
	case <-in.initFailed:
		in.kill()
		return nil, in.initErr, nil
	case <-in.exited:
		select {
		case <-in.initFailed: // it reported why before exiting
			return nil, in.initErr, nil
		default:
			return nil, exitError(inv.id, in.exitErr), nil
		}
	case <-timer.C:
		in.kill()
		return nil, &invokeError{
			ErrorType:    "Sandbox.Timedout",
			ErrorMessage: fmt.Sprintf("RequestId: %s Error: init timed out after %.2f seconds", inv.id, f.svc.cfg.InitTimeout.Seconds()),
		}, nil
	case <-f.svc.closing:
		return nil, nil, ErrClosed
	}
}

func (f *function) fail(res *Result, e *invokeError) {
	res.FunctionError = "Unhandled"
	res.ErrorType = e.ErrorType
	res.ErrorMessage = e.ErrorMessage
	res.Payload = e.payload()
}

// report writes END and REPORT, waits for the invocation's log lines to
// reach the writer and returns their tail.
func (f *function) report(in *instance, inv *invocation, res *Result, initDur time.Duration, status string) string {
	ms := millis(res.Duration)
	var b strings.Builder
	fmt.Fprintf(&b, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB",
		inv.id, ms, int64(math.Ceil(ms)), f.cfg.MemoryMB, in.sampleMemory())
	if initDur > 0 {
		fmt.Fprintf(&b, "\tInit Duration: %.2f ms", millis(initDur))
	}
	if status != "" {
		fmt.Fprintf(&b, "\tStatus: %s", status)
		if status == "error" {
			fmt.Fprintf(&b, "\tError Type: %s", res.ErrorType)
		}
	}
	in.logs.printf("END RequestId: %s", inv.id)
	in.logs.printf("%s", b.String())
	return in.logs.end()
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
