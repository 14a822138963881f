package metricstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/goshop-dev/goshop/internal/metrics"
)

// ErrNotEMF is returned by Parse for a JSON object without the "_aws"
// member: an ordinary log line, which CloudWatch does not extract metrics
// from.
var ErrNotEMF = errors.New("not an EMF document")

// Spec limits that metrics does not export (it writes tighter ones).
const (
	maxNamespaceLen  = 255  // CloudWatch namespace
	maxMetricNameLen = 1024 // EMF MetricName
	maxDimensionName = 250  // EMF DimensionReference
)

// Metric is one value CloudWatch extracts from an EMF document.
type Metric struct {
	Namespace string
	Name      string
	Value     float64
	// Unit is the MetricDefinition's Unit, or None when it has none.
	Unit metrics.Unit
	// StorageResolution is 1 (high resolution) or 60, the default.
	StorageResolution int
	// Dims holds the value of every dimension the directive names, in any
	// of its dimension sets.
	Dims map[string]string
	// DimensionSets are the directive's dimension sets, each a list of
	// dimension names: CloudWatch publishes the value once per set.
	DimensionSets [][]string
	// Props holds the document's members that are neither "_aws" nor a
	// dimension or metric of any directive.
	Props map[string]any
	// Timestamp is the document's time, in milliseconds since the epoch.
	Timestamp int64
}

// object is a JSON object whose members are looked up by exact name: EMF
// members are case-sensitive, unlike encoding/json's field matching.
type object map[string]json.RawMessage

// get decodes the member name into v, reporting whether it is present.
func (o object) get(name string, v any) (bool, error) {
	raw, ok := o[name]
	if !ok {
		return false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return true, fmt.Errorf("%s: %w", name, err)
	}
	return true, nil
}

// number returns the member name, which must be a JSON number (not a string
// holding one, which json.Number would accept), reporting whether it is
// present.
func (o object) number(name string) (json.Number, bool, error) {
	raw, ok := o[name]
	if !ok {
		return "", false, nil
	}
	var n json.Number
	if len(raw) == 0 || raw[0] == '"' || json.Unmarshal(raw, &n) != nil || n == "" {
		return "", true, fmt.Errorf("%s is %s, want a number", name, raw)
	}
	return n, true, nil
}

// value decodes the root member name as any JSON value, numbers as float64.
func (o object) value(name string) (any, bool) {
	raw, ok := o[name]
	if !ok {
		return nil, false
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil, false
	}
	return v, true
}

// Parse reads one EMF document the way CloudWatch Logs does: it follows
// the "_aws" directive to find the metrics and their dimensions among the
// root members, and checks every MUST of the specification on the way
// (Timestamp an integer, at most 100 metrics per directive and 30 keys per
// dimension set, dimension members strings, metric members numbers or
// arrays of at most 100 numbers, units from CloudWatch's list). A metric
// member holding an array gives one Metric per value. Parse returns
// ErrNotEMF for a JSON object without "_aws".
func Parse(doc []byte) ([]Metric, error) {
	doc = bytes.TrimRight(doc, "\n")
	var root object
	if err := json.Unmarshal(doc, &root); err != nil {
		return nil, fmt.Errorf("root: want one JSON object and nothing else: %w", err)
	}
	if root == nil {
		return nil, errors.New("root: want a JSON object, not null")
	}
	raw, ok := root["_aws"]
	if !ok {
		return nil, ErrNotEMF
	}
	var aws object
	if err := json.Unmarshal(raw, &aws); err != nil || aws == nil {
		return nil, fmt.Errorf("_aws: want an object: %s", raw)
	}
	var directives []object
	ts, okTS, err := aws.number("Timestamp")
	if err != nil {
		return nil, fmt.Errorf("_aws.%w", err)
	}
	okCWM, err := aws.get("CloudWatchMetrics", &directives)
	if err != nil {
		return nil, fmt.Errorf("_aws.%w", err)
	}
	if !okTS || !okCWM || directives == nil {
		return nil, errors.New("_aws: Timestamp and a CloudWatchMetrics array are required")
	}
	ms, err := strconv.ParseInt(ts.String(), 10, 64)
	if err != nil || ms < 0 {
		return nil, fmt.Errorf("_aws.Timestamp %s: want milliseconds since the epoch, a non-negative integer", ts)
	}

	targets := map[string]bool{"_aws": true}
	var out []Metric
	for i, d := range directives {
		got, err := parseDirective(root, d, ms, targets)
		if err != nil {
			return nil, fmt.Errorf("_aws.CloudWatchMetrics[%d]: %w", i, err)
		}
		out = append(out, got...)
	}
	var props map[string]any
	for name := range root {
		if targets[name] {
			continue
		}
		if props == nil {
			props = map[string]any{}
		}
		props[name], _ = root.value(name)
	}
	for i := range out {
		out[i].Props = props
	}
	return out, nil
}

func parseDirective(root, d object, ts int64, targets map[string]bool) ([]Metric, error) {
	var (
		namespace string
		sets      [][]string
		defs      []object
	)
	for _, m := range []struct {
		name string
		v    any
	}{{"Namespace", &namespace}, {"Dimensions", &sets}, {"Metrics", &defs}} {
		ok, err := d.get(m.name, m.v)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errors.New("a directive needs Namespace, Dimensions and Metrics")
		}
	}
	if sets == nil || defs == nil {
		return nil, errors.New("a directive's Dimensions and Metrics must be arrays")
	}
	if n := len(namespace); n == 0 || n > maxNamespaceLen {
		return nil, fmt.Errorf("namespace %q: want 1 to %d characters", namespace, maxNamespaceLen)
	}
	if len(defs) > metrics.MaxMetrics {
		return nil, fmt.Errorf("%d metrics: at most %d allowed", len(defs), metrics.MaxMetrics)
	}
	dims := map[string]string{}
	for i, set := range sets {
		if len(set) > metrics.MaxDimensions {
			return nil, fmt.Errorf("dimension set %d: %d keys, at most %d allowed", i, len(set), metrics.MaxDimensions)
		}
		for _, name := range set {
			if n := len(name); n == 0 || n > maxDimensionName {
				return nil, fmt.Errorf("dimension set %d: key %q: want 1 to %d characters", i, name, maxDimensionName)
			}
			v, _ := root.value(name)
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("dimension %q: root member is %s, want a string", name, orMissing(root[name]))
			}
			dims[name] = s
			targets[name] = true
		}
	}
	var out []Metric
	for i, def := range defs {
		m, values, err := parseDefinition(root, def)
		if err != nil {
			return nil, fmt.Errorf("metric definition %d: %w", i, err)
		}
		targets[m.Name] = true
		m.Namespace, m.Timestamp, m.DimensionSets = namespace, ts, sets
		if len(dims) > 0 {
			m.Dims = dims
		}
		for _, v := range values {
			m.Value = v
			out = append(out, m)
		}
	}
	return out, nil
}

func parseDefinition(root, def object) (Metric, []float64, error) {
	m := Metric{Unit: metrics.None, StorageResolution: 60}
	if ok, err := def.get("Name", &m.Name); err != nil || !ok {
		return Metric{}, nil, errors.New("a metric definition needs a Name string")
	}
	if n := len(m.Name); n == 0 || n > maxMetricNameLen {
		return Metric{}, nil, fmt.Errorf("metric name %q: want 1 to %d characters", m.Name, maxMetricNameLen)
	}
	if _, err := def.get("Unit", &m.Unit); err != nil {
		return Metric{}, nil, err
	}
	if !m.Unit.Valid() {
		return Metric{}, nil, fmt.Errorf("unit %q: not a CloudWatch unit", m.Unit)
	}
	if res, ok, err := def.number("StorageResolution"); err != nil {
		return Metric{}, nil, err
	} else if ok {
		switch res {
		case "1":
			m.StorageResolution = 1
		case "60":
		default:
			return Metric{}, nil, fmt.Errorf("storage resolution %s: want 1 or 60", res)
		}
	}
	v, _ := root.value(m.Name)
	switch v := v.(type) {
	case float64:
		return m, []float64{v}, nil
	case []any:
		values := make([]float64, 0, len(v))
		for _, e := range v {
			f, ok := e.(float64)
			if !ok {
				break
			}
			values = append(values, f)
		}
		if len(values) == len(v) && len(v) > 0 && len(v) <= metrics.MaxValues {
			return m, values, nil
		}
	}
	return Metric{}, nil, fmt.Errorf("metric %q: root member is %s, want a number or an array of 1 to %d numbers",
		m.Name, orMissing(root[m.Name]), metrics.MaxValues)
}

func orMissing(raw json.RawMessage) string {
	if raw == nil {
		return "missing"
	}
	return string(raw)
}
