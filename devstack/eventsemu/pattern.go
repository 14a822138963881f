package eventsemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// UnsupportedPatternError reports an event pattern feature quamina lacks.
type UnsupportedPatternError struct {
	Rule    string
	Feature string
}

// Error names the rule and the feature.
func (e *UnsupportedPatternError) Error() string {
	return fmt.Sprintf("rule %s: event pattern uses %s, which devstack's matcher (quamina) does not support", e.Rule, e.Feature)
}

// checkPattern validates an EventBridge event pattern against what quamina
// matches exactly like EventBridge, and returns it with a single-string
// anything-but normalised to the list form quamina reads.
func checkPattern(rule, pattern string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(pattern))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("rule %s: event pattern is not valid JSON: %w", rule, err)
	}
	obj, ok := v.(map[string]any)
	if !ok || len(obj) == 0 {
		return "", fmt.Errorf("rule %s: event pattern must be a non-empty JSON object", rule)
	}
	if err := checkObject(rule, "", obj); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return "", fmt.Errorf("rule %s: encode pattern: %w", rule, err)
	}
	return strings.TrimSpace(buf.String()), nil
}

func checkObject(rule, path string, obj map[string]any) error {
	for key, val := range obj {
		if strings.HasPrefix(key, "$") {
			return &UnsupportedPatternError{rule, fmt.Sprintf("%q at %s", key, orRoot(path))}
		}
		p := strings.TrimPrefix(path+"."+key, ".")
		switch val := val.(type) {
		case map[string]any:
			if err := checkObject(rule, p, val); err != nil {
				return err
			}
		case []any:
			for i, el := range val {
				op, ok := el.(map[string]any)
				if !ok {
					continue // exact value: string, number, boolean or null
				}
				normal, err := checkOperator(rule, p, op)
				if err != nil {
					return err
				}
				val[i] = normal
			}
		default:
			return fmt.Errorf("rule %s: event pattern value at %s must be an array or an object", rule, p)
		}
	}
	return nil
}

func orRoot(path string) string {
	if path == "" {
		return "the top level"
	}
	return path
}

func checkOperator(rule, path string, op map[string]any) (map[string]any, error) {
	if len(op) != 1 {
		return nil, fmt.Errorf("rule %s: event pattern at %s: an operator object must have exactly one key", rule, path)
	}
	for name, arg := range op {
		unsupported := &UnsupportedPatternError{rule, fmt.Sprintf("%q at %s", name, path)}
		switch name {
		case "prefix", "wildcard", "equals-ignore-case":
			if _, ok := arg.(string); !ok {
				unsupported.Feature = fmt.Sprintf("%q with a non-string value at %s", name, path)
				return nil, unsupported
			}
		case "exists":
			if _, ok := arg.(bool); !ok {
				return nil, fmt.Errorf("rule %s: event pattern at %s: exists takes true or false", rule, path)
			}
		case "anything-but":
			switch arg := arg.(type) {
			case string:
				return map[string]any{name: []any{arg}}, nil
			case []any:
				for _, s := range arg {
					if _, ok := s.(string); !ok {
						unsupported.Feature = fmt.Sprintf(`"anything-but" with non-string values at %s`, path)
						return nil, unsupported
					}
				}
			default:
				unsupported.Feature = fmt.Sprintf(`"anything-but" with %s at %s`, describe(arg), path)
				return nil, unsupported
			}
		default: // numeric, suffix, cidr and anything EventBridge adds later
			return nil, unsupported
		}
	}
	return op, nil
}

func describe(v any) string {
	if m, ok := v.(map[string]any); ok {
		for k := range m {
			return fmt.Sprintf("%q", k)
		}
	}
	return fmt.Sprintf("%T", v)
}
