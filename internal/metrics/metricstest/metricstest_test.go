package metricstest_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
)

func TestParseSpecificationExample(t *testing.T) {
	t.Parallel()
	// The example document of the EMF specification.
	doc := `{
	  "_aws": {
	    "Timestamp": 1574109732004,
	    "CloudWatchMetrics": [{
	      "Namespace": "lambda-function-metrics",
	      "Dimensions": [["functionVersion"]],
	      "Metrics": [{"Name": "time", "Unit": "Milliseconds", "StorageResolution": 60}]
	    }]
	  },
	  "functionVersion": "$LATEST",
	  "time": 100,
	  "requestId": "989ffbf8-9ace-4817-a57c-e4dd734019ee"
	}`
	got, err := metricstest.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []metricstest.Metric{{
		Namespace: "lambda-function-metrics", Name: "time", Value: 100, Unit: metrics.Milliseconds,
		StorageResolution: 60,
		Dims:              map[string]string{"functionVersion": "$LATEST"},
		DimensionSets:     [][]string{{"functionVersion"}},
		Props:             map[string]any{"requestId": "989ffbf8-9ace-4817-a57c-e4dd734019ee"},
		Timestamp:         1574109732004,
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseDefaultsArraysAndDirectives(t *testing.T) {
	t.Parallel()
	doc := `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[
		{"Namespace":"a","Dimensions":[[]],"Metrics":[{"Name":"Latency","StorageResolution":1}]},
		{"Namespace":"b","Dimensions":[["Op"]],"Metrics":[{"Name":"Calls","Unit":"Count"}]}]},
		"Latency":[3,4.5],"Calls":2,"Op":"get","note":{"nested":true}}`
	got, err := metricstest.Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	props := map[string]any{"note": map[string]any{"nested": true}}
	want := []metricstest.Metric{
		{Namespace: "a", Name: "Latency", Value: 3, Unit: metrics.None, StorageResolution: 1, DimensionSets: [][]string{{}}, Props: props, Timestamp: 1},
		{Namespace: "a", Name: "Latency", Value: 4.5, Unit: metrics.None, StorageResolution: 1, DimensionSets: [][]string{{}}, Props: props, Timestamp: 1},
		{Namespace: "b", Name: "Calls", Value: 2, Unit: metrics.Count, StorageResolution: 60, Dims: map[string]string{"Op": "get"}, DimensionSets: [][]string{{"Op"}}, Props: props, Timestamp: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseRejectsWhatTheSpecForbids(t *testing.T) {
	t.Parallel()
	directive := func(dims, defs string) string {
		return `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":` + dims + `,"Metrics":` + defs + `}]},"A":1,"S":"s"}`
	}
	list := func(n int, item func(int) string) string {
		items := make([]string, n)
		for i := range items {
			items[i] = item(i)
		}
		return "[" + strings.Join(items, ",") + "]"
	}
	tests := []struct{ name, doc string }{
		{"not JSON", `{"_aws":`},
		{"data after the object", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]}} x`},
		{"two documents on a line", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]}}{}`},
		{"not an object", `[1]`},
		{"null", `null`},
		{"null CloudWatchMetrics", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":null}}`},
		{"_aws not an object", `{"_aws":1}`},
		{"no timestamp", `{"_aws":{"CloudWatchMetrics":[]}}`},
		{"no CloudWatchMetrics", `{"_aws":{"Timestamp":1}}`},
		{"fractional timestamp", `{"_aws":{"Timestamp":1.5,"CloudWatchMetrics":[]}}`},
		{"exponent timestamp", `{"_aws":{"Timestamp":1e12,"CloudWatchMetrics":[]}}`},
		{"string timestamp", `{"_aws":{"Timestamp":"1","CloudWatchMetrics":[]}}`},
		{"null timestamp", `{"_aws":{"Timestamp":null,"CloudWatchMetrics":[]}}`},
		{"negative timestamp", `{"_aws":{"Timestamp":-1,"CloudWatchMetrics":[]}}`},
		{"members are case-sensitive", `{"_aws":{"timestamp":1,"cloudWatchMetrics":[]}}`},
		{"no namespace", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Dimensions":[],"Metrics":[]}]}}`},
		{"empty namespace", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"","Dimensions":[],"Metrics":[]}]}}`},
		{"null dimensions", directive(`null`, `[]`)},
		{"missing dimension member", directive(`[["Op"]]`, `[]`)},
		{"numeric dimension member", directive(`[["A"]]`, `[]`)},
		{"a dimension set that is not an array", directive(`["S"]`, `[]`)},
		{"31 keys in one set", directive("["+list(31, func(int) string { return `"S"` })+"]", `[]`)},
		{"101 metrics", directive(`[[]]`, list(101, func(int) string { return `{"Name":"A"}` }))},
		{"metric without a name", directive(`[[]]`, `[{"Unit":"Count"}]`)},
		{"missing metric member", directive(`[[]]`, `[{"Name":"B"}]`)},
		{"string metric member", directive(`[[]]`, `[{"Name":"S"}]`)},
		{"unknown unit", directive(`[[]]`, `[{"Name":"A","Unit":"Apples"}]`)},
		{"storage resolution 5", directive(`[[]]`, `[{"Name":"A","StorageResolution":5}]`)},
		{"storage resolution as a string", directive(`[[]]`, `[{"Name":"A","StorageResolution":"60"}]`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, err := metricstest.Parse([]byte(tt.doc)); err == nil {
				t.Errorf("Parse(%s) = %v, want an error", tt.doc, got)
			}
		})
	}
}

func TestParseMetricValueArrays(t *testing.T) {
	t.Parallel()
	doc := func(values string) []byte {
		return []byte(`{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":[[]],"Metrics":[{"Name":"A"}]}]},"A":` + values + `}`)
	}
	hundred := strings.TrimSuffix(strings.Repeat("1,", 100), ",")
	if got, err := metricstest.Parse(doc("[" + hundred + "]")); err != nil || len(got) != 100 {
		t.Errorf("100 values: %d metrics, %v; want 100", len(got), err)
	}
	for _, bad := range []string{"[" + hundred + ",1]", "[]", "[1,null]", `[1,"2"]`, "null", "true"} {
		if _, err := metricstest.Parse(doc(bad)); err == nil {
			t.Errorf("metric member %.20s...: want an error", bad)
		}
	}
}

func TestParseReportsLogLines(t *testing.T) {
	t.Parallel()
	_, err := metricstest.Parse([]byte(`{"time":"2026-01-01T00:00:00Z","level":"INFO","msg":"order placed"}`))
	if !errors.Is(err, metricstest.ErrNotEMF) {
		t.Errorf("Parse(log line) error = %v, want ErrNotEMF", err)
	}
}

func TestSinkSumsPerDimension(t *testing.T) {
	t.Parallel()
	rec, sink := metricstest.Recorder(t)
	ctx := logging.WithIDs(context.Background(), logging.IDs{CorrelationID: "corr-1"})
	rec.Count(ctx, "OrderRejected", metrics.D("Reason", "out_of_stock"), metrics.P("orderId", "o-1"))
	rec.Count(ctx, "OrderRejected", metrics.D("Reason", "out_of_stock"), metrics.P("orderId", "o-2"))
	rec.Count(ctx, "OrderRejected", metrics.D("Reason", "payment_declined"))
	rec.Add(ctx, "OrderValue", 12.5, metrics.None)

	tests := []struct {
		name   string
		metric string
		dims   map[string]string
		want   float64
	}{
		{"all rejections", "OrderRejected", nil, 3},
		{"out of stock", "OrderRejected", map[string]string{"Reason": "out_of_stock"}, 2},
		{"declined, for this service", "OrderRejected", map[string]string{"Reason": "payment_declined", "Service": metricstest.Service}, 1},
		{"unknown reason", "OrderRejected", map[string]string{"Reason": "late"}, 0},
		{"other metric", "OrderValue", nil, 12.5},
		{"never recorded", "OrderCreated", nil, 0},
	}
	for _, tt := range tests {
		if got := sink.Sum(tt.metric, tt.dims); got != tt.want {
			t.Errorf("%s: Sum(%s, %v) = %v, want %v", tt.name, tt.metric, tt.dims, got, tt.want)
		}
	}
	first := sink.Named("OrderRejected")[0]
	if first.Props["orderId"] != "o-1" || first.Props["correlationId"] != "corr-1" || first.Namespace != metrics.DefaultNamespace {
		t.Errorf("first rejection = %+v, want orderId o-1, correlationId corr-1 in namespace %s", first, metrics.DefaultNamespace)
	}
	if n := len(sink.Lines()); n != 4 {
		t.Errorf("%d lines, want 4", n)
	}
}

// recordingTB is a testing.TB that keeps what the code under test reports.
type recordingTB struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	panic("Fatalf") // stands for runtime.Goexit
}

func TestRecorderFailsTheTestOnAProblem(t *testing.T) {
	t.Parallel()
	tb := &recordingTB{TB: t}
	rec, _ := metricstest.Recorder(tb)
	rec.Count(context.Background(), "OrderRejected", metrics.D("orderId", "o-1"))
	rec.Count(context.Background(), "bad name")
	if len(tb.errors) != 2 || !strings.Contains(tb.errors[0], "orderId") || !strings.Contains(tb.errors[1], "bad name") {
		t.Errorf("test errors = %q, want one for the refused dimension and one for the bad name", tb.errors)
	}
}

func TestSinkFailsTheTestOnAnInvalidLine(t *testing.T) {
	t.Parallel()
	tb := &recordingTB{TB: t}
	_, sink := metricstest.Recorder(tb)
	if _, err := sink.Write([]byte(`{"msg":"not a metric"}` + "\n")); err != nil {
		t.Fatalf("Write: %v", err)
	}
	func() {
		defer func() { _ = recover() }()
		sink.Metrics()
	}()
	if !tb.fatal || len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "line 1") {
		t.Errorf("fatal = %v, errors = %q; want one fatal error naming line 1", tb.fatal, tb.errors)
	}
}

func TestRecorderLinesAreValidForManyMetrics(t *testing.T) {
	t.Parallel()
	rec, sink := metricstest.Recorder(t)
	for i := range 50 {
		rec.Add(context.Background(), "Value"+strconv.Itoa(i%5), float64(i), metrics.Count)
	}
	var sum float64
	for _, m := range sink.Metrics() {
		sum += m.Value
	}
	if sum != 49*50/2 {
		t.Errorf("sum of values = %v, want %d", sum, 49*50/2)
	}
}
