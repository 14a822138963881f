// Package metricstest records metrics in memory and reads them back the
// way CloudWatch does, so that tests of code that records metrics can
// assert on them ("one OrderRejected with Reason=out_of_stock") instead of
// on JSON text.
package metricstest

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/goshop-dev/goshop/internal/metrics"
)

// Service is the Service dimension of the Recorder's metrics.
const Service = "test"

// Recorder returns a metrics.Recorder writing to memory, in the namespace
// metrics.DefaultNamespace with Service=Service, and the Sink that reads
// its metrics back. Every problem the Recorder reports (a metric not
// written, a dimension refused, a failed write) fails t; opts come after
// that default, so a test may replace it.
func Recorder(t testing.TB, opts ...metrics.Option) (*metrics.Recorder, *Sink) {
	t.Helper()
	sink := &Sink{t: t}
	fail := metrics.OnError(func(_ context.Context, err error) {
		t.Errorf("metrics: %v", err)
	})
	rec, err := metrics.New(sink, metrics.DefaultNamespace, Service, append([]metrics.Option{fail}, opts...)...)
	if err != nil {
		t.Fatalf("metricstest: %v", err)
	}
	return rec, sink
}

// Sink is an io.Writer keeping EMF documents in memory; it is safe for
// concurrent use.
type Sink struct {
	t   testing.TB
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write keeps p, one or more lines.
func (s *Sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

// Lines returns the lines written so far, without their line feeds.
func (s *Sink) Lines() []string {
	s.mu.Lock()
	text := s.buf.String()
	s.mu.Unlock()
	var out []string
	for line := range strings.Lines(text) {
		out = append(out, strings.TrimSuffix(line, "\n"))
	}
	return out
}

// Metrics returns every metric written so far, in order, as Parse reads
// them; a line that is not a valid EMF document fails the test at once.
func (s *Sink) Metrics() []Metric {
	s.t.Helper()
	var out []Metric
	for i, line := range s.Lines() {
		ms, err := Parse([]byte(line))
		if err != nil {
			s.t.Fatalf("metricstest: line %d is not valid EMF: %v\n%s", i+1, err, line)
		}
		out = append(out, ms...)
	}
	return out
}

// Named returns the metrics called name, in order.
func (s *Sink) Named(name string) []Metric {
	s.t.Helper()
	var out []Metric
	for _, m := range s.Metrics() {
		if m.Name == name {
			out = append(out, m)
		}
	}
	return out
}

// Sum adds the values of the metrics called name whose dimensions include
// every name=value of dims (nil matches all): what a CloudWatch Sum over
// the dimension set holding dims would show.
func (s *Sink) Sum(name string, dims map[string]string) float64 {
	s.t.Helper()
	var sum float64
	for _, m := range s.Named(name) {
		if hasDims(m, dims) {
			sum += m.Value
		}
	}
	return sum
}

func hasDims(m Metric, dims map[string]string) bool {
	for k, v := range dims {
		if got, ok := m.Dims[k]; !ok || got != v {
			return false
		}
	}
	return true
}
