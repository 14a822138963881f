// Package asl interprets Amazon States Language state machines: the subset
// of states and fields goshop's state machines use, with the semantics AWS
// documents for them. Anything else is refused when the definition is
// parsed, naming the state and the feature, so a definition never runs
// with a part silently ignored.
//
// Supported: Task, Pass, Succeed, Fail states; InputPath, Parameters,
// ResultSelector, ResultPath and OutputPath with JSONPath reference paths
// ($, $.field.field, $.list[0]); Retry (ErrorEquals, IntervalSeconds,
// BackoffRate, MaxAttempts, MaxDelaySeconds, JitterStrategy); Catch
// (ErrorEquals, ResultPath, Next) with States.ALL, States.TaskFailed,
// States.Timeout and named errors; TimeoutSeconds on tasks and on the
// machine. Tasks are run by an Invoker given the Resource and the
// effective parameters.
//
// It is written here because no maintained Go library interprets ASL, and
// AWS's own Step Functions Local is no longer supported.
package asl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Definition is a parsed state machine.
type Definition struct {
	Comment        string            `json:"Comment,omitempty"`
	StartAt        string            `json:"StartAt"`
	States         map[string]*State `json:"States"`
	TimeoutSeconds int               `json:"TimeoutSeconds,omitempty"`
	Version        string            `json:"Version,omitempty"`
	QueryLanguage  string            `json:"QueryLanguage,omitempty"`
}

// State is one state of a definition.
type State struct {
	Type           string          `json:"Type"`
	Comment        string          `json:"Comment,omitempty"`
	Next           string          `json:"Next,omitempty"`
	End            bool            `json:"End,omitempty"`
	InputPath      *string         `json:"InputPath,omitempty"`
	OutputPath     *string         `json:"OutputPath,omitempty"`
	ResultPath     optionalPath    `json:"ResultPath"`
	Parameters     json.RawMessage `json:"Parameters,omitempty"`
	ResultSelector json.RawMessage `json:"ResultSelector,omitempty"`
	Result         json.RawMessage `json:"Result,omitempty"`
	Resource       string          `json:"Resource,omitempty"`
	TimeoutSeconds int             `json:"TimeoutSeconds,omitempty"`
	Retry          []Retrier       `json:"Retry,omitempty"`
	Catch          []Catcher       `json:"Catch,omitempty"`
	Error          string          `json:"Error,omitempty"`
	Cause          string          `json:"Cause,omitempty"`
	QueryLanguage  string          `json:"QueryLanguage,omitempty"`
}

// Retrier is one Retry rule.
type Retrier struct {
	ErrorEquals     []string `json:"ErrorEquals"`
	IntervalSeconds *float64 `json:"IntervalSeconds,omitempty"`
	MaxAttempts     *int     `json:"MaxAttempts,omitempty"`
	BackoffRate     *float64 `json:"BackoffRate,omitempty"`
	MaxDelaySeconds *float64 `json:"MaxDelaySeconds,omitempty"`
	JitterStrategy  string   `json:"JitterStrategy,omitempty"`
}

// Catcher is one Catch rule.
type Catcher struct {
	ErrorEquals []string     `json:"ErrorEquals"`
	ResultPath  optionalPath `json:"ResultPath"`
	Next        string       `json:"Next"`
}

// optionalPath tells an absent ResultPath (default "$") from an explicit
// null (discard the result).
type optionalPath struct {
	Set  bool
	Null bool
	Path string
}

func (p *optionalPath) UnmarshalJSON(b []byte) error {
	p.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		p.Null = true
		return nil
	}
	return json.Unmarshal(b, &p.Path)
}

func (p optionalPath) MarshalJSON() ([]byte, error) {
	if p.Null {
		return []byte("null"), nil
	}
	return json.Marshal(p.Path)
}

// Parse reads a definition and checks that every state uses only what
// this interpreter honours.
func Parse(data []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("asl: %w (only the features listed in the package doc are supported)", err)
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	return &d, nil
}

func (d *Definition) check() error {
	if d.QueryLanguage != "" && d.QueryLanguage != "JSONPath" {
		return fmt.Errorf("asl: query language %s is not supported, only JSONPath", d.QueryLanguage)
	}
	if _, ok := d.States[d.StartAt]; !ok {
		return fmt.Errorf("asl: StartAt %q names no state", d.StartAt)
	}
	names := make([]string, 0, len(d.States))
	for name := range d.States {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := d.checkState(name, d.States[name]); err != nil {
			return fmt.Errorf("asl: state %q: %w", name, err)
		}
	}
	return nil
}

func (d *Definition) checkState(name string, s *State) error {
	exists := func(next string) error {
		if _, ok := d.States[next]; !ok {
			return fmt.Errorf("transition to unknown state %q", next)
		}
		return nil
	}
	if s.QueryLanguage != "" && s.QueryLanguage != "JSONPath" {
		return fmt.Errorf("query language %s is not supported", s.QueryLanguage)
	}
	switch s.Type {
	case "Task", "Pass":
		if (s.Next == "") == !s.End {
			return fmt.Errorf("needs exactly one of Next and End")
		}
		if s.Next != "" {
			if err := exists(s.Next); err != nil {
				return err
			}
		}
	case "Succeed", "Fail":
		if s.Next != "" || s.End {
			return fmt.Errorf("a %s state is terminal", s.Type)
		}
	default:
		return fmt.Errorf("state type %s is not supported", s.Type)
	}
	if s.Type != "Task" && (s.Resource != "" || len(s.Retry) > 0 || len(s.Catch) > 0 || s.ResultSelector != nil || s.TimeoutSeconds != 0) {
		return fmt.Errorf("only Task states take Resource, Retry, Catch, ResultSelector and TimeoutSeconds")
	}
	if s.Type == "Task" && s.Resource == "" {
		return fmt.Errorf("task without Resource")
	}
	if s.Type != "Pass" && s.Result != nil {
		return fmt.Errorf("only Pass states take Result")
	}
	for _, r := range s.Retry {
		if r.JitterStrategy != "" && r.JitterStrategy != "FULL" && r.JitterStrategy != "NONE" {
			return fmt.Errorf("jitter strategy %s is not supported", r.JitterStrategy)
		}
		if len(r.ErrorEquals) == 0 {
			return fmt.Errorf("retrier without ErrorEquals")
		}
	}
	for _, c := range s.Catch {
		if len(c.ErrorEquals) == 0 {
			return fmt.Errorf("catcher without ErrorEquals")
		}
		if err := exists(c.Next); err != nil {
			return err
		}
	}
	for _, p := range []*string{s.InputPath, s.OutputPath} {
		if p != nil {
			if _, err := parsePath(*p); err != nil {
				return err
			}
		}
	}
	if s.ResultPath.Set && !s.ResultPath.Null {
		if _, err := parsePath(s.ResultPath.Path); err != nil {
			return err
		}
	}
	for _, tmpl := range []json.RawMessage{s.Parameters, s.ResultSelector} {
		if tmpl != nil {
			if err := checkTemplate(tmpl); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkTemplate refuses payload templates using what is not supported:
// intrinsic functions and the context object.
func checkTemplate(raw json.RawMessage) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	var walk func(any) error
	walk = func(v any) error {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				if strings.HasSuffix(k, ".$") {
					s, ok := child.(string)
					if !ok {
						return fmt.Errorf("%s: a .$ field takes a path", k)
					}
					if strings.HasPrefix(s, "States.") {
						return fmt.Errorf("%s: intrinsic functions are not supported", k)
					}
					if strings.HasPrefix(s, "$$") {
						return fmt.Errorf("%s: the context object is not supported", k)
					}
					if _, err := parsePath(s); err != nil {
						return err
					}
					continue
				}
				if err := walk(child); err != nil {
					return err
				}
			}
		case []any:
			for _, child := range x {
				if err := walk(child); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(v)
}
