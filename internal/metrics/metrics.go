package metrics

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/logging"
)

// DefaultNamespace is the CloudWatch namespace FromEnv uses when
// METRICS_NAMESPACE is unset.
const DefaultNamespace = "goshop"

// Property names of the context ids, the keys package logging uses.
const (
	keyRequestID       = "requestId"
	keyLambdaRequestID = "lambdaRequestId"
	keyCorrelationID   = "correlationId"
)

// maxPooledBuffer is the largest encoding buffer kept for reuse; a document
// with huge properties should not pin its buffer for the function's life.
const maxPooledBuffer = 16 << 10

// Recorder writes metrics as EMF documents, one line per metric.
type Recorder struct {
	w         io.Writer
	service   string
	directive []byte // the directive from after the timestamp to the first dimension set
	now       func() time.Time
	onError   func(context.Context, error)
	problems  atomic.Uint64

	mu   sync.Mutex // serialises writes so that lines never interleave
	bufs sync.Pool  // of *[]byte
}

// Option configures a Recorder.
type Option func(*Recorder)

// OnError sets the function that receives every problem the Recorder meets
// (see the package documentation); it is called synchronously, possibly
// from several goroutines at once. It replaces the default, LogOnce; nil
// keeps the default.
func OnError(fn func(ctx context.Context, err error)) Option {
	return func(r *Recorder) { r.onError = fn }
}

// WithClock sets the clock that stamps documents (time.Now by default);
// tests use it.
func WithClock(now func() time.Time) Option {
	return func(r *Recorder) {
		if now != nil {
			r.now = now
		}
	}
}

// New returns a Recorder writing EMF documents to w in the CloudWatch
// namespace, each with the dimension Service=service. Problems are logged
// once per kind to standard error unless OnError says otherwise. It fails
// when the namespace or the service is not valid.
func New(w io.Writer, namespace, service string, opts ...Option) (*Recorder, error) {
	if p := namespaceProblem(namespace); p != "" {
		return nil, fmt.Errorf("metrics namespace %q: %s", namespace, p)
	}
	if p := dimensionValueProblem(service); p != "" {
		return nil, fmt.Errorf("metrics service %q: %s", service, p)
	}
	r := &Recorder{w: w, service: service, now: time.Now}
	for _, opt := range opts {
		opt(r)
	}
	if r.onError == nil {
		r.onError = LogOnce(logging.New(os.Stderr, service, slog.LevelWarn))
	}
	d := append([]byte(`,"CloudWatchMetrics":[{"Namespace":`), appendString(nil, namespace)...)
	r.directive = append(d, `,"Dimensions":[["Service"]`...)
	r.bufs.New = func() any { b := make([]byte, 0, 1024); return &b }
	return r, nil
}

// FromEnv returns the Recorder of service for a Lambda: it writes to
// standard output, in the namespace named by METRICS_NAMESPACE (default
// DefaultNamespace), and logs problems with logging.ForService unless
// OnError says otherwise.
func FromEnv(service string, opts ...Option) (*Recorder, error) {
	namespace := envconfig.New().Optional("METRICS_NAMESPACE", DefaultNamespace)
	opts = append([]Option{OnError(LogOnce(logging.ForService(service)))}, opts...)
	return New(os.Stdout, namespace, service, opts...)
}

// Count records one occurrence of the event name (value 1, unit Count).
func (r *Recorder) Count(ctx context.Context, name string, fields ...Field) {
	r.record(ctx, name, 1, Count, fields)
}

// Add records value, in unit, for the metric name.
func (r *Recorder) Add(ctx context.Context, name string, value float64, unit Unit, fields ...Field) {
	r.record(ctx, name, value, unit, fields)
}

// Duration records d, in milliseconds, for the metric name.
func (r *Recorder) Duration(ctx context.Context, name string, d time.Duration, fields ...Field) {
	r.record(ctx, name, float64(d)/float64(time.Millisecond), Milliseconds, fields)
}

// Problems returns how many problems the Recorder has met so far: metrics
// not written, fields refused and failed writes, logged or not.
func (r *Recorder) Problems() uint64 {
	if r == nil {
		return 0
	}
	return r.problems.Load()
}

func (r *Recorder) report(ctx context.Context, err error) {
	r.problems.Add(1)
	r.onError(ctx, err)
}

func (r *Recorder) record(ctx context.Context, name string, value float64, unit Unit, fields []Field) {
	if r == nil {
		return
	}
	if p := metricProblem(name, value, unit); p != "" {
		r.report(ctx, fmt.Errorf("metric %q: %s: %w", name, p, ErrInvalidMetric))
		return
	}
	dims, props := r.sortFields(ctx, name, fields, make([]Field, 0, 8), make([]Field, 0, 8))

	bp := r.bufs.Get().(*[]byte)
	b := r.encode((*bp)[:0], name, value, unit, dims, props, logging.IDsFrom(ctx))
	r.mu.Lock()
	_, err := r.w.Write(b)
	r.mu.Unlock()
	if cap(b) <= maxPooledBuffer {
		*bp = b
		r.bufs.Put(bp)
	}
	if err != nil {
		r.report(ctx, fmt.Errorf("write metric %q: %w", name, err))
	}
}

// encode appends to b the EMF document of one metric, ending in a line
// feed.
func (r *Recorder) encode(b []byte, name string, value float64, unit Unit, dims, props []Field, ids logging.IDs) []byte {
	b = append(b, `{"_aws":{"Timestamp":`...)
	b = strconv.AppendInt(b, r.now().UnixMilli(), 10)
	b = append(b, r.directive...)
	if len(dims) > 0 {
		b = append(b, `,["Service"`...)
		for _, d := range dims {
			b = append(b, ',')
			b = appendString(b, d.name)
		}
		b = append(b, ']')
	}
	b = append(b, `],"Metrics":[{"Name":`...)
	b = appendString(b, name)
	b = append(b, `,"Unit":`...)
	b = appendString(b, string(unit))
	b = append(b, `}]}]},"Service":`...)
	b = appendString(b, r.service)
	for _, d := range dims {
		b = appendMember(b, d.name, d.value)
	}
	b = append(b, ',')
	b = appendString(b, name)
	b = append(b, ':')
	b = appendNumber(b, value)
	b = appendMember(b, keyRequestID, ids.RequestID)
	b = appendMember(b, keyLambdaRequestID, ids.LambdaRequestID)
	b = appendMember(b, keyCorrelationID, ids.CorrelationID)
	for _, p := range props {
		b = appendMember(b, p.name, p.value)
	}
	return append(b, '}', '\n')
}

// appendMember appends ,"name":"value" unless value is empty.
func appendMember(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, ',')
	b = appendString(b, name)
	b = append(b, ':')
	return appendString(b, value)
}

// metricProblem says why a metric cannot be written, or returns "".
func metricProblem(name string, value float64, unit Unit) string {
	if p := identifierProblem(name, maxMetricNameLen); p != "" {
		return p
	}
	if reserved(name) {
		return "name is reserved"
	}
	if !unit.Valid() {
		return fmt.Sprintf("unit %q is not a CloudWatch unit", unit)
	}
	if math.IsNaN(value) || math.IsInf(value, 0) {
		return "value is not a finite number"
	}
	return ""
}
