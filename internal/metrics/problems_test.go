package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
)

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteErrorIsReportedNotReturned(t *testing.T) {
	t.Parallel()
	p := &problems{}
	rec, err := metrics.New(failingWriter{}, "goshop", "orders", metrics.OnError(p.add))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	rec.Count(context.Background(), "OrderCreated")
	rec.Count(context.Background(), "OrderCreated")
	errs := p.all()
	if len(errs) != 2 || !errors.Is(errs[0], errDiskFull) {
		t.Errorf("problems = %v, want two wrapping %v", errs, errDiskFull)
	}
	if rec.Problems() != 2 {
		t.Errorf("Problems() = %d, want 2", rec.Problems())
	}
}

func TestLogOnceLogsTheFirstProblemOfEachKind(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := logging.New(&logs, "orders", slog.LevelInfo)
	rec, err := metrics.New(failingWriter{}, "goshop", "orders", metrics.OnError(metrics.LogOnce(logger)))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx := withIDs()
	for range 3 {
		rec.Count(ctx, "OrderCreated")                               // write error
		rec.Count(ctx, "bad name")                                   // invalid metric
		rec.Count(ctx, "OrderRejected", metrics.D("orderId", "o-1")) // refused, then write error
	}
	if rec.Problems() != 12 {
		t.Errorf("Problems() = %d, want 12", rec.Problems())
	}
	var kinds []string
	for line := range strings.Lines(logs.String()) {
		var rec struct {
			Level, Msg, Kind, Error, RequestID, CorrelationID string
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec.Level != "WARN" || rec.RequestID != "req-1" || rec.CorrelationID != "corr-1" || rec.Error == "" {
			t.Errorf("log line %s: want a warning with the error and the request ids", line)
		}
		kinds = append(kinds, rec.Kind)
	}
	if want := []string{"write", "invalid metric", "field refused"}; strings.Join(kinds, ",") != strings.Join(want, ",") {
		t.Errorf("logged kinds %v, want %v once each", kinds, want)
	}
}

// TestFromEnv sets METRICS_NAMESPACE and replaces os.Stdout, so it cannot
// run in parallel; Go runs no parallel test meanwhile.
func TestFromEnv(t *testing.T) {
	tests := []struct {
		name, env     string
		set           bool
		wantNamespace string
		wantErr       bool
	}{
		{name: "unset", wantNamespace: metrics.DefaultNamespace},
		{name: "empty", set: true, env: "", wantNamespace: metrics.DefaultNamespace},
		{name: "set", set: true, env: "goshop-staging", wantNamespace: "goshop-staging"},
		{name: "invalid", set: true, env: "AWS/Lambda", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("METRICS_NAMESPACE", tt.env)
			if !tt.set {
				os.Unsetenv("METRICS_NAMESPACE") // t.Setenv restores it afterwards
			}
			out := captureStdout(t)
			rec, err := metrics.FromEnv("orders", metrics.OnError(func(_ context.Context, err error) {
				t.Errorf("problem: %v", err)
			}))
			if tt.wantErr {
				if err == nil {
					t.Errorf("FromEnv with METRICS_NAMESPACE=%q: want an error", tt.env)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			rec.Count(context.Background(), "OrderCreated")
			got, err := metricstest.Parse(out())
			if err != nil {
				t.Fatalf("standard output is not one EMF document: %v", err)
			}
			if got[0].Namespace != tt.wantNamespace || got[0].Dims["Service"] != "orders" {
				t.Errorf("namespace %q, service %q; want %q, orders", got[0].Namespace, got[0].Dims["Service"], tt.wantNamespace)
			}
		})
	}
}

// captureStdout points os.Stdout at a file until the test ends and returns
// a function reading what was written to it.
func captureStdout(t *testing.T) func() []byte {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatalf("create stdout file: %v", err)
	}
	saved := os.Stdout
	os.Stdout = f
	t.Cleanup(func() {
		os.Stdout = saved
		f.Close()
	})
	return func() []byte {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			t.Fatalf("rewind stdout file: %v", err)
		}
		b, err := io.ReadAll(f)
		if err != nil {
			t.Fatalf("read stdout file: %v", err)
		}
		return b
	}
}
