package metrics_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
)

// now is the clock of every recorder in these tests: 2026-01-01T00:00:00.123Z.
var now = time.UnixMilli(1767225600123)

func clock() time.Time { return now }

// problems collects what a Recorder reports.
type problems struct {
	mu   sync.Mutex
	errs []error
}

func (p *problems) add(_ context.Context, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.errs = append(p.errs, err)
}

func (p *problems) all() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.errs...)
}

// newRecorder returns a Recorder of service "orders" writing to w, with the
// fixed clock, and what it reports.
func newRecorder(t *testing.T, w *bytes.Buffer) (*metrics.Recorder, *problems) {
	t.Helper()
	p := &problems{}
	rec, err := metrics.New(w, "goshop", "orders", metrics.WithClock(clock), metrics.OnError(p.add))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return rec, p
}

func withIDs() context.Context {
	return logging.WithIDs(context.Background(), logging.IDs{
		RequestID:       "req-1",
		LambdaRequestID: "lambda-1",
		CorrelationID:   "corr-1",
	})
}

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ctx    context.Context
		record func(context.Context, *metrics.Recorder)
		want   string
	}{
		{
			name: "count without dimensions",
			ctx:  context.Background(),
			record: func(ctx context.Context, r *metrics.Recorder) {
				r.Count(ctx, "OrderCreated")
			},
			want: `{"_aws":{"Timestamp":1767225600123,"CloudWatchMetrics":[{"Namespace":"goshop","Dimensions":[["Service"]],"Metrics":[{"Name":"OrderCreated","Unit":"Count"}]}]},"Service":"orders","OrderCreated":1}`,
		},
		{
			name: "count with a dimension, a property and context ids",
			ctx:  withIDs(),
			record: func(ctx context.Context, r *metrics.Recorder) {
				r.Count(ctx, "OrderRejected", metrics.D("Reason", "out_of_stock"), metrics.P("orderId", "o-42"))
			},
			want: `{"_aws":{"Timestamp":1767225600123,"CloudWatchMetrics":[{"Namespace":"goshop","Dimensions":[["Service"],["Service","Reason"]],"Metrics":[{"Name":"OrderRejected","Unit":"Count"}]}]},"Service":"orders","Reason":"out_of_stock","OrderRejected":1,"requestId":"req-1","lambdaRequestId":"lambda-1","correlationId":"corr-1","orderId":"o-42"}`,
		},
		{
			name: "add with two dimensions in one set",
			ctx:  context.Background(),
			record: func(ctx context.Context, r *metrics.Recorder) {
				r.Add(ctx, "OrderValue", 129.9, metrics.None, metrics.D("Currency", "EUR"), metrics.D("Channel", "web"))
			},
			want: `{"_aws":{"Timestamp":1767225600123,"CloudWatchMetrics":[{"Namespace":"goshop","Dimensions":[["Service"],["Service","Currency","Channel"]],"Metrics":[{"Name":"OrderValue","Unit":"None"}]}]},"Service":"orders","Currency":"EUR","Channel":"web","OrderValue":129.9}`,
		},
		{
			name: "duration in milliseconds",
			ctx:  logging.WithIDs(context.Background(), logging.IDs{CorrelationID: "corr-2"}),
			record: func(ctx context.Context, r *metrics.Recorder) {
				r.Duration(ctx, "ReserveLatency", 1500*time.Microsecond)
			},
			want: `{"_aws":{"Timestamp":1767225600123,"CloudWatchMetrics":[{"Namespace":"goshop","Dimensions":[["Service"]],"Metrics":[{"Name":"ReserveLatency","Unit":"Milliseconds"}]}]},"Service":"orders","ReserveLatency":1.5,"correlationId":"corr-2"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			rec, p := newRecorder(t, &buf)
			tt.record(tt.ctx, rec)
			if diff := cmp.Diff(tt.want+"\n", buf.String()); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
			if errs := p.all(); len(errs) != 0 {
				t.Errorf("problems = %v, want none", errs)
			}
		})
	}
}

func TestEveryWriteIsOneLine(t *testing.T) {
	t.Parallel()
	var w countingWriter
	rec, err := metrics.New(&w, "goshop", "orders", metrics.OnError(func(_ context.Context, err error) {
		t.Errorf("problem: %v", err)
	}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	rec.Count(withIDs(), "OrderCreated", metrics.D("Channel", "web"), metrics.P("orderId", "o-1"))
	rec.Duration(context.Background(), "Latency", time.Second)
	if len(w.writes) != 2 {
		t.Fatalf("%d writes, want 2 (one per metric)", len(w.writes))
	}
	for i, b := range w.writes {
		if bytes.Count(b, []byte("\n")) != 1 || b[len(b)-1] != '\n' {
			t.Errorf("write %d = %q, want exactly one line ending in a line feed", i, b)
		}
	}
}

type countingWriter struct{ writes [][]byte }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, append([]byte(nil), p...))
	return len(p), nil
}

func TestNumbersAndStringsReadBack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value float64
		prop  string
		want  string // the property as read back
	}{
		{"integer", 3, "plain", "plain"},
		{"negative fraction", -0.25, `quote " and backslash \`, `quote " and backslash \`},
		{"tiny", 1e-9, "tab\tnew line\ncarriage\r", "tab\tnew line\ncarriage\r"},
		{"huge", 1e21, "control \x01\x1f", "control \x01\x1f"},
		{"zero", 0, "invalid utf-8 \xff end", "invalid utf-8 \ufffd end"},
		{"unicode", 12.5, "café ✓ \u2028 \u2029", "café ✓ \u2028 \u2029"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			rec, _ := newRecorder(t, &buf)
			rec.Add(context.Background(), "Value", tt.value, metrics.None, metrics.P("note", tt.prop))
			got, err := metricstest.Parse(buf.Bytes())
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, buf.String())
			}
			if len(got) != 1 || got[0].Value != tt.value || got[0].Props["note"] != tt.want {
				t.Errorf("read back %+v, want value %v and note %q", got, tt.value, tt.want)
			}
			if strings.ContainsAny(strings.TrimSuffix(buf.String(), "\n"), "\n\r\u2028\u2029") {
				t.Errorf("document holds a raw line separator: %q", buf.String())
			}
		})
	}
}

func TestInvalidMetricsAreNotWritten(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		metric string
		value  float64
		unit   metrics.Unit
	}{
		{"empty name", "", 1, metrics.Count},
		{"blank name", "  ", 1, metrics.Count},
		{"name with a space", "Orders Created", 1, metrics.Count},
		{"name starting with a digit", "1Orders", 1, metrics.Count},
		{"name starting with a colon", ":Orders", 1, metrics.Count},
		{"non-ASCII name", "Commandé", 1, metrics.Count},
		{"name too long", strings.Repeat("A", 256), 1, metrics.Count},
		{"reserved _aws", "_aws", 1, metrics.Count},
		{"reserved Service", "Service", 1, metrics.Count},
		{"reserved context id", "correlationId", 1, metrics.Count},
		{"unknown unit", "Orders", 1, metrics.Unit("Orders")},
		{"empty unit", "Orders", 1, metrics.Unit("")},
		{"unit in the wrong case", "Orders", 1, metrics.Unit("count")},
		{"NaN", "Orders", math.NaN(), metrics.Count},
		{"infinity", "Orders", math.Inf(1), metrics.Count},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			rec, p := newRecorder(t, &buf)
			rec.Add(context.Background(), tt.metric, tt.value, tt.unit)
			if buf.Len() != 0 {
				t.Errorf("wrote %q, want nothing", buf.String())
			}
			errs := p.all()
			if len(errs) != 1 || !errors.Is(errs[0], metrics.ErrInvalidMetric) {
				t.Errorf("problems = %v, want one ErrInvalidMetric", errs)
			}
			if rec.Problems() != 1 {
				t.Errorf("Problems() = %d, want 1", rec.Problems())
			}
		})
	}
}

func TestValidNamesAndUnits(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	rec, p := newRecorder(t, &buf)
	ctx := context.Background()
	rec.Add(ctx, strings.Repeat("A", 255), 1, metrics.Count)
	rec.Add(ctx, "checkout.latency_p99-ms", 1, metrics.Milliseconds)
	rec.Add(ctx, "Throughput", 1, metrics.Unit("Gigabits/Second"))
	rec.Add(ctx, "Ratio", 1, metrics.Percent)
	if errs := p.all(); len(errs) != 0 {
		t.Fatalf("problems = %v, want none", errs)
	}
	if n := strings.Count(buf.String(), "\n"); n != 4 {
		t.Errorf("%d documents, want 4", n)
	}
}

func TestNewRejectsBadNamespaceOrService(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, namespace, service string
	}{
		{"empty namespace", "", "orders"},
		{"namespace with a space", "go shop", "orders"},
		{"AWS namespace", "AWS/Lambda", "orders"},
		{"namespace too long", strings.Repeat("n", 256), "orders"},
		{"empty service", "goshop", ""},
		{"service with a line feed", "goshop", "ord\ners"},
		{"service too long", "goshop", strings.Repeat("s", metrics.MaxDimensionValueLen+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, err := metrics.New(&bytes.Buffer{}, tt.namespace, tt.service)
			if err == nil || rec != nil {
				t.Errorf("New(%q, %q) = %v, %v; want an error", tt.namespace, tt.service, rec, err)
			}
		})
	}
	if _, err := metrics.New(&bytes.Buffer{}, "goshop/Orders-v2_#:.", "orders"); err != nil {
		t.Errorf("New with every allowed namespace character: %v", err)
	}
}

func TestNilRecorderRecordsNothing(t *testing.T) {
	t.Parallel()
	var rec *metrics.Recorder
	ctx := context.Background()
	rec.Count(ctx, "OrderCreated", metrics.D("Reason", "x"))
	rec.Add(ctx, "OrderValue", 3, metrics.None)
	rec.Duration(ctx, "Latency", time.Second)
	if rec.Problems() != 0 {
		t.Errorf("Problems() = %d, want 0", rec.Problems())
	}
}
