package asl

import (
	"fmt"
	"strconv"
	"strings"
)

// step is one element of a reference path: a field name or a list index.
type step struct {
	field string
	index int
	isIdx bool
}

// parsePath reads a reference path: "$", "$.a.b", "$.list[2].c".
func parsePath(p string) ([]step, error) {
	if p == "$" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "$.") && !strings.HasPrefix(p, "$[") {
		return nil, fmt.Errorf("path %q must start with $", p)
	}
	var steps []step
	rest := p[1:]
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			if name == "" || strings.ContainsAny(name, "*?@()'\" ") {
				return nil, fmt.Errorf("path %q: only plain field names and indexes are supported", p)
			}
			steps = append(steps, step{field: name})
			rest = rest[end:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("path %q: unclosed [", p)
			}
			n, err := strconv.Atoi(rest[1:end])
			if err != nil || n < 0 {
				return nil, fmt.Errorf("path %q: only non-negative list indexes are supported", p)
			}
			steps = append(steps, step{index: n, isIdx: true})
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("path %q: unexpected %q", p, rest[0])
		}
	}
	return steps, nil
}

// get returns the value at path p in v.
func get(v any, p string) (any, error) {
	steps, err := parsePath(p)
	if err != nil {
		return nil, err
	}
	cur := v
	for _, s := range steps {
		if s.isIdx {
			list, ok := cur.([]any)
			if !ok || s.index >= len(list) {
				return nil, fmt.Errorf("path %s: no element %d", p, s.index)
			}
			cur = list[s.index]
			continue
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("path %s: %q is not in an object", p, s.field)
		}
		if cur, ok = obj[s.field]; !ok {
			return nil, fmt.Errorf("path %s: field %q not found", p, s.field)
		}
	}
	return cur, nil
}

// set returns root with value placed at path p, as ResultPath does: "$"
// replaces the whole input; missing objects on the way are created; root
// itself is not modified.
func set(root any, p string, value any) (any, error) {
	steps, err := parsePath(p)
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 {
		return value, nil
	}
	return setSteps(root, steps, value, p)
}

func setSteps(cur any, steps []step, value any, p string) (any, error) {
	s := steps[0]
	if s.isIdx {
		return nil, fmt.Errorf("ResultPath %s: list indexes cannot be written", p)
	}
	var obj map[string]any
	switch x := cur.(type) {
	case map[string]any:
		obj = make(map[string]any, len(x)+1)
		for k, v := range x {
			obj[k] = v
		}
	case nil:
		obj = map[string]any{}
	default:
		return nil, fmt.Errorf("ResultPath %s: %q cannot be set on a non-object", p, s.field)
	}
	if len(steps) == 1 {
		obj[s.field] = value
		return obj, nil
	}
	child, err := setSteps(obj[s.field], steps[1:], value, p)
	if err != nil {
		return nil, err
	}
	obj[s.field] = child
	return obj, nil
}

// render evaluates a payload template (Parameters, ResultSelector) against
// input: fields ending in ".$" take the value at their path, others are
// copied, recursively.
func render(tmpl any, input any) (any, error) {
	switch x := tmpl.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, v := range x {
			if name, ok := strings.CutSuffix(k, ".$"); ok {
				val, err := get(input, v.(string))
				if err != nil {
					return nil, err
				}
				out[name] = val
				continue
			}
			val, err := render(v, input)
			if err != nil {
				return nil, err
			}
			out[k] = val
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, v := range x {
			val, err := render(v, input)
			if err != nil {
				return nil, err
			}
			out[i] = val
		}
		return out, nil
	default:
		return x, nil
	}
}
