package health

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/resilience"
)

// DefaultTimeout bounds a check that names no timeout of its own: well
// below the health function's timeout and API Gateway's 29 seconds, so a
// hung dependency is reported rather than waited for.
const DefaultTimeout = 2 * time.Second

// Report statuses, of the whole report and of each check.
const (
	StatusOK   = "ok"
	StatusFail = "fail"
)

// Probes, chosen with the probe query parameter.
const (
	ProbeReady = "ready"
	ProbeLive  = "live"
)

// halfOpen is the state a resilience.BreakerStatus reports for a breaker
// letting a trial call through.
const halfOpen = "half-open"

// Check is one probe of a dependency of the service.
type Check struct {
	Name string
	// Run probes the dependency; it should stop when ctx is done. Its error
	// is logged; the report shows the message of a *Failure in it, or a
	// generic one.
	Run func(ctx context.Context) error
	// Timeout bounds Run (DefaultTimeout when zero). The report does not
	// wait past it even for a Run that ignores its context.
	Timeout time.Duration
}

// Failure is a check's error with a message safe to answer with.
type Failure struct {
	Message string // short, for people; never an internal detail
	Err     error  // the cause, logged only; may be nil
}

// Fail returns a *Failure answering message, with err as its cause.
func Fail(message string, err error) error { return &Failure{Message: message, Err: err} }

func (f *Failure) Error() string {
	if f.Err == nil {
		return f.Message
	}
	return f.Message + ": " + f.Err.Error()
}

func (f *Failure) Unwrap() error { return f.Err }

// Report is the answer of a health check.
type Report struct {
	Service  string                     `json:"service"`
	Status   string                     `json:"status"` // ok or fail
	Probe    string                     `json:"probe"`  // ready or live
	Checks   []Result                   `json:"checks"`
	Breakers []resilience.BreakerStatus `json:"breakers"`
}

// Result is the outcome of one check.
type Result struct {
	Name       string `json:"name"`
	Status     string `json:"status"` // ok or fail
	DurationMs int64  `json:"durationMs"`
	Error      string `json:"error,omitempty"` // safe message of a failing check
}

// Service is the health check of one service.
type Service struct {
	Name   string
	Checks []Check
	// Breakers lists the breakers to report; nil reports none. Handler
	// passes resilience.Breakers.
	Breakers func() []resilience.BreakerStatus
}

// Handler answers the health check of service with checks and the
// process's circuit breakers (resilience.Breakers).
func Handler(service string, checks ...Check) http.Handler {
	return Service{Name: service, Checks: checks, Breakers: resilience.Breakers}.Handler()
}

// Handler answers GET requests with the report: 200 when it is ok, 503
// when it fails, 400 invalid_probe for a probe other than ready or live.
func (s Service) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		probe := r.URL.Query().Get("probe")
		if probe == "" {
			probe = ProbeReady
		}
		if probe != ProbeReady && probe != ProbeLive {
			httpapi.Fail(w, r, httpapi.BadRequest("invalid_probe", "probe must be ready or live"))
			return
		}
		report := s.Report(r.Context(), probe)
		status := http.StatusOK
		if report.Status != StatusOK {
			status = http.StatusServiceUnavailable
		}
		// A cached answer would hide the state it reports.
		w.Header().Set("Cache-Control", "no-store")
		httpapi.Respond(w, status, report)
	})
}

// Report runs the checks of probe and judges the breakers. The live probe
// runs no check and judges no breaker.
func (s Service) Report(ctx context.Context, probe string) Report {
	report := Report{Service: s.Name, Status: StatusOK, Probe: probe, Checks: []Result{}, Breakers: []resilience.BreakerStatus{}}
	if s.Breakers != nil {
		report.Breakers = append(report.Breakers, s.Breakers()...)
	}
	if probe == ProbeLive {
		return report
	}
	report.Checks = runAll(ctx, s.Checks)
	for _, c := range report.Checks {
		if c.Status != StatusOK {
			report.Status = StatusFail
		}
	}
	for _, b := range report.Breakers {
		if !b.Closed() && b.State != halfOpen {
			report.Status = StatusFail
		}
	}
	return report
}

// runAll runs checks concurrently and returns their results in order.
func runAll(ctx context.Context, checks []Check) []Result {
	results := make([]Result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { results[i] = run(ctx, c) })
	}
	wg.Wait()
	return results
}

// run runs one check within its timeout and turns its error into a safe
// message, logging the error itself.
func run(ctx context.Context, c Check) Result {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	checkCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	done := make(chan error, 1) // buffered: a late check ends without a reader
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("panic: %v", p)
			}
		}()
		done <- c.Run(checkCtx)
	}()
	var err error
	select {
	case err = <-done:
	case <-checkCtx.Done():
		err = checkCtx.Err()
	}
	res := Result{Name: c.Name, Status: StatusOK, DurationMs: time.Since(start).Milliseconds()}
	if err == nil {
		return res
	}
	res.Status, res.Error = StatusFail, message(ctx, err, timeout)
	httpapi.LoggerFrom(ctx).WarnContext(ctx, "health check failed",
		slog.String("check", c.Name), slog.String("error", err.Error()))
	return res
}

// message is what the report says of a failing check: its own safe message,
// a timeout, or a generic message for an error that may carry internal
// details.
func message(ctx context.Context, err error, timeout time.Duration) string {
	var f *Failure
	switch {
	case errors.As(err, &f):
		return f.Message
	case ctx.Err() != nil:
		return "not finished: the request ended"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("timed out after %s", timeout)
	default:
		return "failed; the details are in the function's logs"
	}
}
