package ddbemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// filter is one compiled FilterCriteria pattern: the Lambda event filtering
// syntax restricted to exact values and nested objects.
type filter struct {
	fields map[string]field
}

// field is either a nested pattern or a list of exact values.
type field struct {
	nested *filter
	values []any // string, json.Number, bool or nil
}

// compileFilter parses a pattern, refusing every rule but exact values.
func compileFilter(raw json.RawMessage) (*filter, error) {
	v, err := decodeJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("pattern is not JSON: %w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("pattern is not a JSON object")
	}
	return compileObject(obj, "")
}

func compileObject(obj map[string]any, path string) (*filter, error) {
	f := &filter{fields: make(map[string]field, len(obj))}
	for _, key := range sortedKeys(obj) {
		at := key
		if path != "" {
			at = path + "." + key
		}
		switch v := obj[key].(type) {
		case map[string]any:
			nested, err := compileObject(v, at)
			if err != nil {
				return nil, err
			}
			f.fields[key] = field{nested: nested}
		case []any:
			if len(v) == 0 {
				return nil, fmt.Errorf("%s: an empty list matches nothing (AWS rejects it)", at)
			}
			for _, value := range v {
				if rule, ok := value.(map[string]any); ok {
					return nil, fmt.Errorf("%s: filter rule %s is not supported (only exact values and nested objects)", at, ruleName(rule))
				}
				if _, ok := value.([]any); ok {
					return nil, fmt.Errorf("%s: a nested list is not a filter value", at)
				}
			}
			f.fields[key] = field{values: v}
		default:
			return nil, fmt.Errorf("%s: a filter value must be a list or an object", at)
		}
	}
	return f, nil
}

func ruleName(rule map[string]any) string {
	names := sortedKeys(rule)
	if len(names) == 0 {
		return "{}"
	}
	return strings.Join(names, ", ")
}

// match reports whether the record (decoded JSON) satisfies every field.
func (f *filter) match(doc map[string]any) bool {
	for key, fl := range f.fields {
		v, present := doc[key]
		if !present {
			return false
		}
		if fl.nested != nil {
			obj, ok := v.(map[string]any)
			if !ok || !fl.nested.match(obj) {
				return false
			}
			continue
		}
		if !fl.matchValue(v) {
			return false
		}
	}
	return true
}

// matchValue compares a record value with the allowed values; a list in the
// record matches when any of its elements does, as in EventBridge patterns.
func (fl field) matchValue(v any) bool {
	if list, ok := v.([]any); ok {
		for _, e := range list {
			if fl.matchValue(e) {
				return true
			}
		}
		return false
	}
	for _, want := range fl.values {
		if equalScalar(want, v) {
			return true
		}
	}
	return false
}

func equalScalar(want, got any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case string:
		g, ok := got.(string)
		return ok && g == w
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return false
		}
		wf, err1 := w.Float64()
		gf, err2 := g.Float64()
		return err1 == nil && err2 == nil && wf == gf
	}
	return false
}

// decodeJSON decodes with numbers kept as json.Number.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
