package asl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Error names defined by the States Language.
const (
	ErrAll        = "States.ALL"
	ErrTaskFailed = "States.TaskFailed"
	ErrTimeout    = "States.Timeout"
	ErrRuntime    = "States.Runtime"
)

// Error is a failure as the state machine sees it: a name Retry and Catch
// match on, and a cause.
type Error struct {
	Name  string
	Cause string
}

func (e *Error) Error() string { return e.Name + ": " + e.Cause }

// Invoker runs a Task state's Resource with its effective parameters and
// returns the task's result. A failure the task reports by name is an
// *Error; any other error is States.TaskFailed.
type Invoker interface {
	Invoke(ctx context.Context, resource string, params any) (any, error)
}

// InvokerFunc adapts a function to Invoker.
type InvokerFunc func(ctx context.Context, resource string, params any) (any, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, resource string, params any) (any, error) {
	return f(ctx, resource, params)
}

// Event is one entry of an execution's history.
type Event struct {
	Type    string // StateEntered, TaskFailed, RetryScheduled, ErrorCaught, ExecutionSucceeded, ExecutionFailed
	State   string
	Attempt int           // for TaskFailed and RetryScheduled: the attempt that failed, from 1
	Delay   time.Duration // for RetryScheduled
	Err     *Error
	Output  any // for ExecutionSucceeded
}

// Options configure Execute. Sleep waits between retries (the real clock
// when nil); Rand draws jitter in [0,1) (math/rand when nil); OnEvent
// receives the history as it happens.
type Options struct {
	Invoker Invoker
	Sleep   func(context.Context, time.Duration) error
	Rand    func() float64
	OnEvent func(Event)
}

// maxTransitions guards against a definition that loops forever.
const maxTransitions = 10000

// Execute runs the state machine on input (any JSON value, as decoded by
// encoding/json) and returns the output of the Succeed or end state it
// reaches, or the *Error the execution failed with.
func (d *Definition) Execute(ctx context.Context, input any, opts Options) (any, error) {
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	if opts.OnEvent == nil {
		opts.OnEvent = func(Event) {}
	}
	if d.TimeoutSeconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(d.TimeoutSeconds)*time.Second)
		defer cancel()
	}
	name, data := d.StartAt, input
	for range maxTransitions {
		st := d.States[name]
		opts.OnEvent(Event{Type: "StateEntered", State: name})
		next, out, err := d.step(ctx, name, st, data, opts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				e = &Error{Name: ErrRuntime, Cause: err.Error()}
			}
			if ctx.Err() != nil && d.TimeoutSeconds > 0 {
				e = &Error{Name: ErrTimeout, Cause: "the execution ran past its TimeoutSeconds"}
			}
			opts.OnEvent(Event{Type: "ExecutionFailed", State: name, Err: e})
			return nil, e
		}
		if next == "" {
			opts.OnEvent(Event{Type: "ExecutionSucceeded", State: name, Output: out})
			return out, nil
		}
		name, data = next, out
	}
	return nil, &Error{Name: ErrRuntime, Cause: fmt.Sprintf("more than %d transitions", maxTransitions)}
}

// step runs one state and returns the next state's name ("" at the end)
// and the state's output.
func (d *Definition) step(ctx context.Context, name string, st *State, raw any, opts Options) (string, any, error) {
	input, err := applyPath(raw, st.InputPath)
	if err != nil {
		return "", nil, err
	}
	switch st.Type {
	case "Succeed":
		out, err := applyPath(input, st.OutputPath)
		return "", out, err
	case "Fail":
		return "", nil, &Error{Name: st.Error, Cause: st.Cause}
	case "Pass":
		var result any = input
		switch {
		case st.Result != nil:
			if err := json.Unmarshal(st.Result, &result); err != nil {
				return "", nil, err
			}
		case st.Parameters != nil:
			if result, err = renderRaw(st.Parameters, input); err != nil {
				return "", nil, err
			}
		}
		out, err := d.output(raw, st, st.ResultPath, result)
		return st.Next, out, err
	}

	// Task
	params := input
	if st.Parameters != nil {
		if params, err = renderRaw(st.Parameters, input); err != nil {
			return "", nil, err
		}
	}
	attempts := make([]int, len(st.Retry))
	for attempt := 1; ; attempt++ {
		result, taskErr := invoke(ctx, opts.Invoker, st, params)
		if taskErr == nil {
			if st.ResultSelector != nil {
				if result, err = renderRaw(st.ResultSelector, result); err != nil {
					return "", nil, err
				}
			}
			out, err := d.output(raw, st, st.ResultPath, result)
			return st.Next, out, err
		}
		opts.OnEvent(Event{Type: "TaskFailed", State: name, Attempt: attempt, Err: taskErr})
		if i, delay, ok := retry(st.Retry, attempts, taskErr, opts.Rand); ok {
			attempts[i]++
			opts.OnEvent(Event{Type: "RetryScheduled", State: name, Attempt: attempt, Delay: delay, Err: taskErr})
			if err := opts.Sleep(ctx, delay); err != nil {
				return "", nil, &Error{Name: ErrTimeout, Cause: err.Error()}
			}
			continue
		}
		for _, c := range st.Catch {
			if matches(c.ErrorEquals, taskErr.Name) {
				opts.OnEvent(Event{Type: "ErrorCaught", State: name, Err: taskErr})
				out, err := d.output(raw, st, c.ResultPath, map[string]any{"Error": taskErr.Name, "Cause": taskErr.Cause})
				return c.Next, out, err
			}
		}
		return "", nil, taskErr
	}
}

// output places result into the state's raw input by resultPath (default
// "$", null discards it) and applies OutputPath.
func (d *Definition) output(raw any, st *State, resultPath optionalPath, result any) (any, error) {
	out := raw
	switch {
	case !resultPath.Set:
		out = result
	case resultPath.Null:
	default:
		var err error
		if out, err = set(raw, resultPath.Path, result); err != nil {
			return nil, err
		}
	}
	return applyPath(out, st.OutputPath)
}

func invoke(ctx context.Context, inv Invoker, st *State, params any) (any, *Error) {
	if st.TimeoutSeconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(st.TimeoutSeconds)*time.Second)
		defer cancel()
	}
	result, err := inv.Invoke(ctx, st.Resource, params)
	if err == nil {
		return result, nil
	}
	var e *Error
	switch {
	case errors.As(err, &e):
		return nil, e
	case errors.Is(err, context.DeadlineExceeded):
		return nil, &Error{Name: ErrTimeout, Cause: "the task ran past its TimeoutSeconds"}
	default:
		return nil, &Error{Name: ErrTaskFailed, Cause: err.Error()}
	}
}

// retry picks the first retrier matching err and, if it has attempts left,
// returns its index and the delay before the next attempt.
func retry(rs []Retrier, attempts []int, err *Error, rnd func() float64) (int, time.Duration, bool) {
	for i, r := range rs {
		if !matches(r.ErrorEquals, err.Name) {
			continue
		}
		maxAttempts, interval, backoff := 3, 1.0, 2.0
		if r.MaxAttempts != nil {
			maxAttempts = *r.MaxAttempts
		}
		if r.IntervalSeconds != nil {
			interval = *r.IntervalSeconds
		}
		if r.BackoffRate != nil {
			backoff = *r.BackoffRate
		}
		if attempts[i] >= maxAttempts {
			return 0, 0, false
		}
		secs := interval * math.Pow(backoff, float64(attempts[i]))
		if r.MaxDelaySeconds != nil && secs > *r.MaxDelaySeconds {
			secs = *r.MaxDelaySeconds
		}
		if r.JitterStrategy == "FULL" {
			secs *= rnd()
		}
		return i, time.Duration(secs * float64(time.Second)), true
	}
	return 0, 0, false
}

// matches applies the States Language's error matching: a name matches
// itself, States.ALL matches everything but States.Runtime, and
// States.TaskFailed matches every task failure but a timeout.
func matches(patterns []string, name string) bool {
	for _, p := range patterns {
		switch {
		case p == name:
			return true
		case p == ErrAll && name != ErrRuntime:
			return true
		case p == ErrTaskFailed && name != ErrTimeout && name != ErrRuntime:
			return true
		}
	}
	return false
}

func applyPath(v any, p *string) (any, error) {
	if p == nil {
		return v, nil
	}
	return get(v, *p)
}

func renderRaw(tmpl json.RawMessage, input any) (any, error) {
	var t any
	if err := json.Unmarshal(tmpl, &t); err != nil {
		return nil, err
	}
	return render(t, input)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
