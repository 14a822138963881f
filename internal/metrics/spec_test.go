package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
)

// emfSchema compiles testdata/emf.schema.json, the document structure the
// EMF specification describes.
func emfSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "emf.schema.json"))
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("emf.schema.json", doc); err != nil {
		t.Fatalf("add schema: %v", err)
	}
	s, err := c.Compile("emf.schema.json")
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return s
}

// checkSpec checks one line against the rules of the EMF specification a
// JSON Schema cannot express: that every reference in the directive names a
// root member of the right type. It reads the document with its own code,
// not with metricstest, so that a bug in one does not hide a bug in the
// other.
func checkSpec(t *testing.T, schema *jsonschema.Schema, line string, wantTimestamp int64) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
	if err != nil {
		t.Fatalf("not one JSON value: %v\n%s", err, line)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("schema: %v\n%s", err, line)
	}
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("root is not a JSON object: %v\n%s", err, line)
	}
	if dec.More() {
		t.Errorf("data after the root object:\n%s", line)
	}
	aws := root["_aws"].(map[string]any)
	ts, err := strconv.ParseInt(string(aws["Timestamp"].(json.Number)), 10, 64)
	if err != nil || ts != wantTimestamp {
		t.Errorf("Timestamp = %v, want the integer %d (ms since the epoch)", aws["Timestamp"], wantTimestamp)
	}
	for _, d := range aws["CloudWatchMetrics"].([]any) {
		directive := d.(map[string]any)
		if directive["Namespace"] != "goshop" {
			t.Errorf("Namespace = %v, want goshop", directive["Namespace"])
		}
		for _, set := range directive["Dimensions"].([]any) {
			for _, name := range set.([]any) {
				if _, ok := root[name.(string)].(string); !ok {
					t.Errorf("dimension %q: root member %v, want a string\n%s", name, root[name.(string)], line)
				}
			}
		}
		for _, m := range directive["Metrics"].([]any) {
			def := m.(map[string]any)
			name := def["Name"].(string)
			if _, ok := root[name].(json.Number); !ok {
				t.Errorf("metric %q: root member %v, want a number\n%s", name, root[name], line)
			}
			if !metrics.Unit(def["Unit"].(string)).Valid() {
				t.Errorf("metric %q: unit %v is not a CloudWatch unit", name, def["Unit"])
			}
		}
	}
}

func TestDocumentsFollowSpec(t *testing.T) {
	t.Parallel()
	schema := emfSchema(t)
	many := make([]metrics.Field, 0, 40)
	for i := range 40 {
		many = append(many, metrics.D("Dim"+strconv.Itoa(i), "v"))
	}
	tests := []struct {
		name   string
		record func(context.Context, *metrics.Recorder)
		want   metricstest.Metric
	}{
		{
			name:   "count",
			record: func(ctx context.Context, r *metrics.Recorder) { r.Count(ctx, "OrderCreated") },
			want: metricstest.Metric{
				Name: "OrderCreated", Value: 1, Unit: metrics.Count,
				Dims:          map[string]string{"Service": "orders"},
				DimensionSets: [][]string{{"Service"}},
				Props:         map[string]any{"requestId": "req-1", "lambdaRequestId": "lambda-1", "correlationId": "corr-1"},
			},
		},
		{
			name: "count with a reason and an order id",
			record: func(ctx context.Context, r *metrics.Recorder) {
				r.Count(ctx, "OrderRejected", metrics.D("Reason", "out_of_stock"), metrics.P("orderId", "o-9"))
			},
			want: metricstest.Metric{
				Name: "OrderRejected", Value: 1, Unit: metrics.Count,
				Dims:          map[string]string{"Service": "orders", "Reason": "out_of_stock"},
				DimensionSets: [][]string{{"Service"}, {"Service", "Reason"}},
				Props:         map[string]any{"requestId": "req-1", "lambdaRequestId": "lambda-1", "correlationId": "corr-1", "orderId": "o-9"},
			},
		},
		{
			name: "duration",
			record: func(ctx context.Context, r *metrics.Recorder) {
				r.Duration(ctx, "HandlerLatency", 42*time.Millisecond+250*time.Microsecond, metrics.D("Route", "POST /orders"))
			},
			want: metricstest.Metric{
				Name: "HandlerLatency", Value: 42.25, Unit: metrics.Milliseconds,
				Dims:          map[string]string{"Service": "orders", "Route": "POST /orders"},
				DimensionSets: [][]string{{"Service"}, {"Service", "Route"}},
				Props:         map[string]any{"requestId": "req-1", "lambdaRequestId": "lambda-1", "correlationId": "corr-1"},
			},
		},
		{
			name: "as many dimensions as a set holds",
			record: func(ctx context.Context, r *metrics.Recorder) {
				r.Add(ctx, "Wide", 2, metrics.Bytes, many[:metrics.MaxDimensions-1]...)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			rec, p := newRecorder(t, &buf)
			tt.record(withIDs(), rec)
			if errs := p.all(); len(errs) != 0 {
				t.Fatalf("problems = %v, want none", errs)
			}
			checkSpec(t, schema, strings.TrimSuffix(buf.String(), "\n"), now.UnixMilli())
			got, err := metricstest.Parse(buf.Bytes())
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tt.want.Name == "" {
				return
			}
			tt.want.Namespace, tt.want.StorageResolution, tt.want.Timestamp = "goshop", 60, now.UnixMilli()
			if diff := cmp.Diff([]metricstest.Metric{tt.want}, got); diff != "" {
				t.Errorf("metrics read back (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSchemaRejectsWhatTheSpecForbids proves the schema used above can fail.
func TestSchemaRejectsWhatTheSpecForbids(t *testing.T) {
	t.Parallel()
	schema := emfSchema(t)
	keys := make([]string, 31)
	for i := range keys {
		keys[i] = `"D` + strconv.Itoa(i) + `"`
	}
	dims31 := "[" + strings.Join(keys, ",") + "]"
	tests := []struct{ name, doc string }{
		{"no _aws", `{"Orders":1}`},
		{"fractional timestamp", `{"_aws":{"Timestamp":1.5,"CloudWatchMetrics":[]}}`},
		{"timestamp as a string", `{"_aws":{"Timestamp":"1","CloudWatchMetrics":[]}}`},
		{"no namespace", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Dimensions":[[]],"Metrics":[]}]}}`},
		{"31 dimensions", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":[` + dims31 + `],"Metrics":[]}]}}`},
		{"unknown unit", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":[[]],"Metrics":[{"Name":"A","Unit":"Apples"}]}]},"A":1}`},
		{"storage resolution 5", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":[[]],"Metrics":[{"Name":"A","StorageResolution":5}]}]},"A":1}`},
		{"extra directive member", `{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":[[]],"Metrics":[],"Extra":1}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.doc))
			if err != nil {
				t.Fatalf("test document: %v", err)
			}
			if schema.Validate(inst) == nil {
				t.Errorf("schema accepts %s", tt.doc)
			}
		})
	}
}
