package health_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/health"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/resilience"
)

// report is the answer's shape, read independently of the package's types.
type report struct {
	Service  string `json:"service"`
	Status   string `json:"status"`
	Probe    string `json:"probe"`
	Checks   []result
	Breakers []breaker
}

type result struct {
	Name       string `json:"name"`
	Status     string `json:"status"`
	DurationMs *int64 `json:"durationMs"`
	Error      string `json:"error"`
}

type breaker struct {
	Name                string `json:"name"`
	State               string `json:"state"`
	ConsecutiveFailures uint32 `json:"consecutiveFailures"`
}

func ok(name string) health.Check {
	return health.Check{Name: name, Run: func(context.Context) error { return nil }}
}

func failing(name string, err error) health.Check {
	return health.Check{Name: name, Run: func(context.Context) error { return err }}
}

func breakers(states ...string) func() []resilience.BreakerStatus {
	return func() []resilience.BreakerStatus {
		var out []resilience.BreakerStatus
		for i, s := range states {
			out = append(out, resilience.BreakerStatus{Name: "dep-" + string(rune('a'+i)), State: s})
		}
		return out
	}
}

// get serves target through the API's middleware, as the function does.
func get(t *testing.T, h http.Handler, target string) (*httptest.ResponseRecorder, report) {
	t.Helper()
	rec := httptest.NewRecorder()
	httpapi.Middleware(logging.Discard(), nil, h).ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	var r report
	if rec.Code == http.StatusOK || rec.Code == http.StatusServiceUnavailable {
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatalf("body %q: %v", rec.Body, err)
		}
		if r.Checks == nil || r.Breakers == nil {
			t.Errorf("checks or breakers is null, want a list: %s", rec.Body)
		}
		for _, c := range r.Checks {
			if c.DurationMs == nil || *c.DurationMs < 0 {
				t.Errorf("check %s: durationMs %v", c.Name, c.DurationMs)
			}
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
	}
	return rec, r
}

// summary is a report without durations, to compare.
func summary(r report) report {
	checks := make([]result, len(r.Checks))
	for i, c := range r.Checks {
		c.DurationMs = nil
		checks[i] = c
	}
	r.Checks = checks
	return r
}

func TestReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		svc        health.Service
		wantStatus int
		want       report
	}{
		{
			name:       "all ok",
			svc:        health.Service{Name: "orders", Checks: []health.Check{ok("table"), ok("queue")}, Breakers: breakers("closed")},
			wantStatus: 200,
			want: report{Service: "orders", Status: "ok", Probe: "ready",
				Checks:   []result{{Name: "table", Status: "ok"}, {Name: "queue", Status: "ok"}},
				Breakers: []breaker{{Name: "dep-a", State: "closed"}}},
		},
		{
			name:       "no checks and no breakers",
			svc:        health.Service{Name: "api"},
			wantStatus: 200,
			want:       report{Service: "api", Status: "ok", Probe: "ready", Checks: []result{}, Breakers: []breaker{}},
		},
		{
			name: "a failing check",
			svc: health.Service{Name: "users", Checks: []health.Check{
				ok("queue"),
				failing("table", health.Fail("table not found", errors.New("arn:aws:dynamodb:eu-west-1:123456789012:table/users-x not found"))),
			}},
			wantStatus: 503,
			want: report{Service: "users", Status: "fail", Probe: "ready",
				Checks:   []result{{Name: "queue", Status: "ok"}, {Name: "table", Status: "fail", Error: "table not found"}},
				Breakers: []breaker{}},
		},
		{
			name:       "an error without a safe message",
			svc:        health.Service{Name: "users", Checks: []health.Check{failing("secret", errors.New("key AKIAEXAMPLE rejected for arn:aws:secretsmanager:x"))}},
			wantStatus: 503,
			want: report{Service: "users", Status: "fail", Probe: "ready",
				Checks:   []result{{Name: "secret", Status: "fail", Error: "failed; the details are in the function's logs"}},
				Breakers: []breaker{}},
		},
		{
			name:       "a panicking check",
			svc:        health.Service{Name: "cart", Checks: []health.Check{{Name: "table", Run: func(context.Context) error { panic("arn:aws:boom") }}}},
			wantStatus: 503,
			want: report{Service: "cart", Status: "fail", Probe: "ready",
				Checks:   []result{{Name: "table", Status: "fail", Error: "failed; the details are in the function's logs"}},
				Breakers: []breaker{}},
		},
		{
			name:       "an open breaker",
			svc:        health.Service{Name: "orders", Checks: []health.Check{ok("table")}, Breakers: breakers("closed", "open")},
			wantStatus: 503,
			want: report{Service: "orders", Status: "fail", Probe: "ready",
				Checks:   []result{{Name: "table", Status: "ok"}},
				Breakers: []breaker{{Name: "dep-a", State: "closed"}, {Name: "dep-b", State: "open"}}},
		},
		{
			// A half-open breaker is trying the dependency again: failing
			// the report would keep away the traffic its trial needs.
			name:       "a half-open breaker",
			svc:        health.Service{Name: "orders", Checks: []health.Check{ok("table")}, Breakers: breakers("half-open")},
			wantStatus: 200,
			want: report{Service: "orders", Status: "ok", Probe: "ready",
				Checks:   []result{{Name: "table", Status: "ok"}},
				Breakers: []breaker{{Name: "dep-a", State: "half-open"}}},
		},
		{
			name:       "a breaker in a state it does not know",
			svc:        health.Service{Name: "orders", Breakers: breakers("stuck")},
			wantStatus: 503,
			want:       report{Service: "orders", Status: "fail", Probe: "ready", Checks: []result{}, Breakers: []breaker{{Name: "dep-a", State: "stuck"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, target := range []string{"/health/x", "/health/x?probe=ready"} {
				rec, got := get(t, tt.svc.Handler(), target)
				if rec.Code != tt.wantStatus {
					t.Fatalf("%s: status %d, want %d: %s", target, rec.Code, tt.wantStatus, rec.Body)
				}
				if diff := cmp.Diff(tt.want, summary(got)); diff != "" {
					t.Errorf("%s: report (-want +got):\n%s", target, diff)
				}
				if body := rec.Body.String(); strings.Contains(body, "arn:") || strings.Contains(body, "AKIA") {
					t.Errorf("%s: the answer shows an internal detail: %s", target, body)
				}
			}
		})
	}
}

func TestChecksRunConcurrently(t *testing.T) {
	t.Parallel()
	// Each check waits until all have started: run one after another, the
	// first would wait for the others until its timeout.
	const n = 4
	var started sync.WaitGroup
	started.Add(n)
	checks := make([]health.Check, n)
	for i := range checks {
		checks[i] = health.Check{Name: string(rune('a' + i)), Timeout: 5 * time.Second, Run: func(ctx context.Context) error {
			started.Done()
			all := make(chan struct{})
			go func() { started.Wait(); close(all) }()
			select {
			case <-all:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}}
	}
	begin := time.Now()
	rec, got := get(t, health.Service{Name: "s", Checks: checks}.Handler(), "/health/s")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if len(got.Checks) != n {
		t.Fatalf("%d checks reported, want %d", len(got.Checks), n)
	}
	if elapsed := time.Since(begin); elapsed > 2*time.Second {
		t.Errorf("the report took %s", elapsed)
	}
}

func TestEachCheckIsBoundedByItsTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	checks := []health.Check{
		// Ignores its context: the report must not wait for it.
		{Name: "hung", Timeout: 50 * time.Millisecond, Run: func(context.Context) error { <-release; return nil }},
		// Honours it, and says so with the context's error.
		{Name: "slow", Timeout: 80 * time.Millisecond, Run: func(ctx context.Context) error {
			select {
			case <-time.After(time.Minute):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}},
		// Its own, longer, timeout is not cut by the others'.
		{Name: "patient", Timeout: 5 * time.Second, Run: func(ctx context.Context) error {
			select {
			case <-time.After(200 * time.Millisecond):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}},
	}
	begin := time.Now()
	rec, got := get(t, health.Service{Name: "s", Checks: checks}.Handler(), "/health/s")
	elapsed := time.Since(begin)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", rec.Code, rec.Body)
	}
	want := []result{
		{Name: "hung", Status: "fail", Error: "timed out after 50ms"},
		{Name: "slow", Status: "fail", Error: "timed out after 80ms"},
		{Name: "patient", Status: "ok"},
	}
	if diff := cmp.Diff(want, summary(got).Checks); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
	if elapsed < 200*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("the report took %s; want about the longest check, 200ms", elapsed)
	}
	if d := *got.Checks[0].DurationMs; d < 50 || d > 2000 {
		t.Errorf("the hung check took %dms, want about its 50ms timeout", d)
	}
}

func TestLiveProbeCallsNoDependency(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	check := health.Check{Name: "table", Run: func(context.Context) error {
		calls.Add(1)
		return errors.New("down")
	}}
	svc := health.Service{Name: "orders", Checks: []health.Check{check}, Breakers: breakers("open")}
	rec, got := get(t, svc.Handler(), "/health/orders?probe=live")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", rec.Code, rec.Body)
	}
	want := report{Service: "orders", Status: "ok", Probe: "live", Checks: []result{}, Breakers: []breaker{{Name: "dep-a", State: "open"}}}
	if diff := cmp.Diff(want, summary(got)); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the live probe ran the check %d times", n)
	}
	// The ready probe of the same service does run it.
	if rec, _ := get(t, svc.Handler(), "/health/orders"); rec.Code != http.StatusServiceUnavailable || calls.Load() != 1 {
		t.Errorf("ready probe: status %d after %d calls, want 503 after 1", rec.Code, calls.Load())
	}
}

func TestUnknownProbe(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	svc := health.Service{Name: "s", Checks: []health.Check{{Name: "c", Run: func(context.Context) error { calls.Add(1); return nil }}}}
	rec, _ := get(t, svc.Handler(), "/health/s?probe=deep")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"code":"invalid_probe"`) {
		t.Fatalf("got %d %s, want 400 invalid_probe", rec.Code, rec.Body)
	}
	if calls.Load() != 0 {
		t.Error("an invalid request ran the checks")
	}
}

func TestCancelledRequest(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := health.Service{Name: "s", Checks: []health.Check{{Name: "c", Run: func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}}}}.Report(ctx, health.ProbeReady)
	if got.Status != health.StatusFail || got.Checks[0].Error != "not finished: the request ended" {
		t.Fatalf("report of a cancelled request: %+v", got)
	}
}

// TestHandlerReportsTheProcessBreakers uses the process's breaker registry,
// which the other tests leave alone: it alone may register breakers.
func TestHandlerReportsTheProcessBreakers(t *testing.T) {
	t.Parallel()
	b := resilience.NewBreaker("health-test-dependency", resilience.BreakerOptions{FailureThreshold: 2, Cooldown: time.Hour})
	h := health.Handler("orders", ok("table"))

	rec, got := get(t, h, "/health/orders")
	if rec.Code != http.StatusOK {
		t.Fatalf("closed breaker: status %d: %s", rec.Code, rec.Body)
	}
	if diff := cmp.Diff([]breaker{{Name: "health-test-dependency", State: "closed"}}, got.Breakers); diff != "" {
		t.Errorf("closed breaker (-want +got):\n%s", diff)
	}

	for range 2 {
		done, err := b.Allow()
		if err != nil {
			t.Fatal(err)
		}
		done(errors.New("dependency down"))
	}
	rec, got = get(t, h, "/health/orders")
	if rec.Code != http.StatusServiceUnavailable || got.Status != "fail" {
		t.Fatalf("open breaker: status %d: %s", rec.Code, rec.Body)
	}
	if diff := cmp.Diff([]breaker{{Name: "health-test-dependency", State: "open", ConsecutiveFailures: 0}}, got.Breakers); diff != "" {
		t.Errorf("open breaker (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]result{{Name: "table", Status: "ok"}}, summary(got).Checks); diff != "" {
		t.Errorf("checks beside the open breaker (-want +got):\n%s", diff)
	}
}
