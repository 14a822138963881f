package asl_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/asl"
)

func mustParse(t *testing.T, def string) *asl.Definition {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d
}

// script answers each call of a resource with the next scripted outcome.
type script struct {
	outcomes map[string][]any // resource -> results or errors, in order
	calls    map[string][]any // resource -> params seen
}

func (s *script) Invoke(_ context.Context, resource string, params any) (any, error) {
	if s.calls == nil {
		s.calls = map[string][]any{}
	}
	s.calls[resource] = append(s.calls[resource], params)
	queue := s.outcomes[resource]
	if len(queue) == 0 {
		return nil, errors.New("unscripted call of " + resource)
	}
	next := queue[0]
	if len(queue) > 1 {
		s.outcomes[resource] = queue[1:]
	}
	if err, ok := next.(error); ok {
		return nil, err
	}
	return next, nil
}

type recorder struct {
	events []asl.Event
	sleeps []time.Duration
}

func (r *recorder) options(inv asl.Invoker) asl.Options {
	return asl.Options{
		Invoker: inv,
		Sleep:   func(_ context.Context, d time.Duration) error { r.sleeps = append(r.sleeps, d); return nil },
		Rand:    func() float64 { return 0.5 },
		OnEvent: func(e asl.Event) { r.events = append(r.events, e) },
	}
}

func TestParseRefusesWhatItCannotHonour(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, def, want string
	}{
		{"unknown state type", `{"StartAt":"A","States":{"A":{"Type":"Map","End":true}}}`, "Map is not supported"},
		{"choice", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[]}}}`, "Choices"},
		{"unknown field", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Arguments":{}}}}`, "Arguments"},
		{"JSONata", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`, "JSONata"},
		{"intrinsic", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Parameters":{"x.$":"States.UUID()"}}}}`, "intrinsic"},
		{"context object", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Parameters":{"x.$":"$$.Execution.Id"}}}}`, "context object"},
		{"filter path", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"InputPath":"$.a[?(@.b)]"}}}`, "path"},
		{"dangling next", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`, "unknown state"},
		{"next and end", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A","End":true}}}`, "exactly one"},
		{"other jitter", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["X"],"JitterStrategy":"DECORRELATED"}]}}}`, "jitter"},
		{"bad start", `{"StartAt":"Z","States":{"A":{"Type":"Succeed"}}}`, "StartAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := asl.Parse([]byte(tt.def))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestPathsAndResultPathMerging(t *testing.T) {
	t.Parallel()
	d := mustParse(t, `{
	  "StartAt": "Task",
	  "States": {
	    "Task": {"Type": "Task", "Resource": "fn",
	      "InputPath": "$.order",
	      "Parameters": {"id.$": "$.id", "first.$": "$.lines[0].sku", "fixed": {"k": 1}},
	      "ResultSelector": {"ok.$": "$.Payload.ok"},
	      "ResultPath": "$.result.task",
	      "Next": "Keep"},
	    "Keep": {"Type": "Pass", "Result": "x", "ResultPath": null, "Next": "Shape"},
	    "Shape": {"Type": "Pass", "Parameters": {"id.$": "$.order.id", "ok.$": "$.result.task.ok"}, "ResultPath": "$.summary", "OutputPath": "$.summary", "End": true}
	  }
	}`)
	inv := &script{outcomes: map[string][]any{"fn": {map[string]any{"Payload": map[string]any{"ok": true, "noise": 1}}}}}
	out, err := d.Execute(context.Background(), map[string]any{
		"order": map[string]any{"id": "o-1", "lines": []any{map[string]any{"sku": "A"}}},
		"other": "kept",
	}, (&recorder{}).options(inv))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"id": "o-1", "ok": true}, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	wantParams := map[string]any{"id": "o-1", "first": "A", "fixed": map[string]any{"k": 1.0}}
	if diff := cmp.Diff(wantParams, inv.calls["fn"][0]); diff != "" {
		t.Errorf("parameters (-want +got):\n%s", diff)
	}
}

func TestResultPathDefaultsReplaceAndMissingPathsFail(t *testing.T) {
	t.Parallel()
	d := mustParse(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"fn","End":true}}}`)
	inv := &script{outcomes: map[string][]any{"fn": {map[string]any{"new": 1.0}}}}
	out, err := d.Execute(context.Background(), map[string]any{"old": 1.0}, (&recorder{}).options(inv))
	if err != nil || !cmp.Equal(out, map[string]any{"new": 1.0}) {
		t.Fatalf("default ResultPath: %v, %v; want the result alone", out, err)
	}
	d = mustParse(t, `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}}}`)
	_, err = d.Execute(context.Background(), map[string]any{}, (&recorder{}).options(inv))
	var e *asl.Error
	if !errors.As(err, &e) || e.Name != asl.ErrRuntime {
		t.Fatalf("missing path: %v, want States.Runtime", err)
	}
}

const retryCatch = `{
  "StartAt": "T",
  "States": {
    "T": {"Type": "Task", "Resource": "fn", "Next": "Done",
      "Retry": [
        {"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3, "MaxDelaySeconds": 10},
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "JitterStrategy": "FULL", "IntervalSeconds": 4}
      ],
      "Catch": [
        {"ErrorEquals": ["Declined"], "ResultPath": "$.error", "Next": "Handled"},
        {"ErrorEquals": ["States.ALL"], "Next": "Fallback"}
      ]},
    "Done": {"Type": "Succeed"},
    "Handled": {"Type": "Pass", "End": true},
    "Fallback": {"Type": "Fail", "Error": "Gave", "Cause": "up"}
  }
}`

func TestRetryBacksOffThenSucceeds(t *testing.T) {
	t.Parallel()
	d := mustParse(t, retryCatch)
	busy := &asl.Error{Name: "Busy", Cause: "try later"}
	inv := &script{outcomes: map[string][]any{"fn": {busy, busy, busy, map[string]any{"ok": true}}}}
	rec := &recorder{}
	out, err := d.Execute(context.Background(), map[string]any{}, rec.options(inv))
	if err != nil || !cmp.Equal(out, map[string]any{"ok": true}) {
		t.Fatalf("Execute = %v, %v", out, err)
	}
	// 2s, 6s, then 18s capped at MaxDelaySeconds 10.
	if diff := cmp.Diff([]time.Duration{2 * time.Second, 6 * time.Second, 10 * time.Second}, rec.sleeps); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}
}

func TestRetriersCountSeparatelyAndJitter(t *testing.T) {
	t.Parallel()
	d := mustParse(t, retryCatch)
	inv := &script{outcomes: map[string][]any{"fn": {
		&asl.Error{Name: "Other"}, &asl.Error{Name: "Busy"}, &asl.Error{Name: "Other"},
	}}}
	rec := &recorder{}
	_, err := d.Execute(context.Background(), map[string]any{}, rec.options(inv))
	var e *asl.Error
	if !errors.As(err, &e) || e.Name != "Gave" {
		t.Fatalf("error %v: the second Other exhausts its retrier and is caught by States.ALL into Fail", err)
	}
	// Other: 4s x rand 0.5 (FULL jitter); Busy: 2s (no jitter, its own count).
	if diff := cmp.Diff([]time.Duration{2 * time.Second, 2 * time.Second}, rec.sleeps); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}
}

// TestRetryComesBeforeCatch: Declined matches the States.ALL retrier, so it
// is retried once before the first matching catcher takes it.
func TestRetryComesBeforeCatch(t *testing.T) {
	t.Parallel()
	d := mustParse(t, retryCatch)
	inv := &script{outcomes: map[string][]any{"fn": {&asl.Error{Name: "Declined", Cause: "card"}}}}
	rec := &recorder{}
	out, err := d.Execute(context.Background(), map[string]any{"order": "o-1"}, rec.options(inv))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"order": "o-1", "error": map[string]any{"Error": "Declined", "Cause": "card"}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("caught output (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{2 * time.Second}, rec.sleeps); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}
	if len(inv.calls["fn"]) != 2 {
		t.Errorf("task called %d times, want twice (one retry)", len(inv.calls["fn"]))
	}
}

func TestErrorMatching(t *testing.T) {
	t.Parallel()
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"fn","End":true,"TimeoutSeconds":1,
	  "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Task"},{"ErrorEquals":["States.ALL"],"Next":"All"}]},
	  "Task":{"Type":"Pass","Result":"task","End":true},"All":{"Type":"Pass","Result":"all","End":true}}}`
	d := mustParse(t, def)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"named error is a task failure", &asl.Error{Name: "Boom"}, "task"},
		{"plain error is a task failure", errors.New("crash"), "task"},
		{"timeout is not a task failure", context.DeadlineExceeded, "all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &script{outcomes: map[string][]any{"fn": {tt.err}}}
			out, err := d.Execute(context.Background(), map[string]any{}, (&recorder{}).options(inv))
			if err != nil || out != tt.want {
				t.Fatalf("caught by %v (%v), want %s", out, err, tt.want)
			}
		})
	}
}

func TestTaskTimeoutIsEnforced(t *testing.T) {
	t.Parallel()
	d := mustParse(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"fn","End":true,"TimeoutSeconds":1}}}`)
	slow := asl.InvokerFunc(func(ctx context.Context, _ string, _ any) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	start := time.Now()
	_, err := d.Execute(context.Background(), map[string]any{}, asl.Options{Invoker: slow})
	var e *asl.Error
	if !errors.As(err, &e) || e.Name != asl.ErrTimeout {
		t.Fatalf("error %v, want States.Timeout", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("the task ran %s past its 1 s timeout", time.Since(start))
	}
}
