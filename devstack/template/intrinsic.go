package template

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// noValue is what Ref AWS::NoValue resolves to: the enclosing property or
// list element is removed.
type noValueType struct{}

var noValue = noValueType{}

// identity is what Ref and Fn::GetAtt return for a resource.
type identity struct {
	ref   string
	attrs map[string]string
	// name is the physical name where neither Ref nor an attribute gives
	// it (a secret's).
	name string
}

// resolver evaluates intrinsic functions against one template and Options.
type resolver struct {
	doc       *templateDoc
	opts      Options
	partition string
	urlSuffix string

	params    map[string]any
	conds     map[string]bool
	condBusy  map[string]bool
	ids       map[string]*identity
	idBusy    map[string]bool
	excluded  map[string]string // logical id -> false condition
	resolving string            // logical id whose properties are resolved, for messages

	// honoured and inert are the type specs; fields rather than the
	// package variables so that the specs' functions may resolve.
	honoured map[string]*typeSpec
	inert    map[string]inertSpec
}

func newResolver(doc *templateDoc, opts Options) *resolver {
	r := &resolver{
		doc: doc, opts: opts, partition: "aws", urlSuffix: "amazonaws.com",
		params: map[string]any{}, conds: map[string]bool{}, condBusy: map[string]bool{},
		ids: map[string]*identity{}, idBusy: map[string]bool{}, excluded: map[string]string{},
		honoured: honoured, inert: inert,
	}
	switch {
	case strings.HasPrefix(opts.Region, "cn-"):
		r.partition, r.urlSuffix = "aws-cn", "amazonaws.com.cn"
	case strings.HasPrefix(opts.Region, "us-gov-"):
		r.partition = "aws-us-gov"
	}
	return r
}

// resolve evaluates every intrinsic function in v. where names the location
// for error messages.
func (r *resolver) resolve(v any, where string) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return r.intrinsic(k, arg, where)
				}
			}
		}
		out := make(map[string]any, len(x))
		for _, k := range sortedKeys(x) {
			val, err := r.resolve(x[k], where+"."+k)
			if err != nil {
				return nil, err
			}
			if val != noValue {
				out[k] = val
			}
		}
		return out, nil
	case []any:
		out := make([]any, 0, len(x))
		for i, e := range x {
			val, err := r.resolve(e, fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			if val != noValue {
				out = append(out, val)
			}
		}
		return out, nil
	default:
		return v, nil
	}
}

func (r *resolver) intrinsic(fn string, arg any, where string) (any, error) {
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("%s: Ref takes a logical id or parameter name", where)
		}
		return r.ref(name, where)
	case "Fn::GetAtt":
		return r.getAtt(arg, where)
	case "Fn::Join":
		return r.join(arg, where)
	case "Fn::Sub":
		return r.sub(arg, where)
	case "Fn::Select":
		return r.selectFn(arg, where)
	case "Fn::Split":
		return r.split(arg, where)
	case "Fn::If":
		return r.ifFn(arg, where)
	}
	return nil, &UnsupportedError{LogicalID: r.resolving, Property: strings.TrimPrefix(where, "."),
		Reason: fmt.Sprintf("intrinsic function %s", fn)}
}

func (r *resolver) ref(name, where string) (any, error) {
	switch name {
	case "AWS::AccountId":
		return r.opts.AccountID, nil
	case "AWS::Region":
		return r.opts.Region, nil
	case "AWS::Partition":
		return r.partition, nil
	case "AWS::StackName":
		return r.opts.StackName, nil
	case "AWS::StackId":
		return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/%s", r.partition, r.opts.Region,
			r.opts.AccountID, r.opts.StackName, stableUUID("stack/"+r.opts.StackName)), nil
	case "AWS::URLSuffix":
		return r.urlSuffix, nil
	case "AWS::NoValue":
		return noValue, nil
	case "AWS::NotificationARNs":
		return []any{}, nil
	}
	if strings.HasPrefix(name, "AWS::") {
		return nil, &UnsupportedError{LogicalID: r.resolving, Property: strings.TrimPrefix(where, "."),
			Reason: "pseudo parameter " + name}
	}
	if _, ok := r.doc.Parameters[name]; ok {
		return r.parameter(name)
	}
	id, err := r.identity(name, where)
	if err != nil {
		return nil, err
	}
	return id.ref, nil
}

func (r *resolver) getAtt(arg any, where string) (any, error) {
	var id, attr string
	switch x := arg.(type) {
	case string:
		var ok bool
		if id, attr, ok = strings.Cut(x, "."); !ok {
			return nil, fmt.Errorf("%s: Fn::GetAtt %q is not LogicalId.Attribute", where, x)
		}
	case []any:
		if len(x) != 2 {
			return nil, fmt.Errorf("%s: Fn::GetAtt takes [LogicalId, Attribute]", where)
		}
		s, ok := x[0].(string)
		if !ok {
			return nil, fmt.Errorf("%s: Fn::GetAtt logical id must be a string", where)
		}
		id = s
		a, err := r.resolveString(x[1], where+".Fn::GetAtt")
		if err != nil {
			return nil, err
		}
		attr = a
	default:
		return nil, fmt.Errorf("%s: Fn::GetAtt takes [LogicalId, Attribute]", where)
	}
	ident, err := r.identity(id, where)
	if err != nil {
		return nil, err
	}
	v, ok := ident.attrs[attr]
	if !ok {
		res := r.doc.Resources[id]
		return nil, fmt.Errorf("%s: Fn::GetAtt %s.%s: %s has no attribute %s devstack knows", where, id, attr, res.Type, attr)
	}
	return v, nil
}

func (r *resolver) join(arg any, where string) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, fmt.Errorf("%s: Fn::Join takes [delimiter, [values]]", where)
	}
	delim, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("%s: Fn::Join delimiter must be a string", where)
	}
	list, err := r.resolveList(args[1], where+".Fn::Join")
	if err != nil {
		return nil, err
	}
	parts := make([]string, len(list))
	for i, e := range list {
		s, err := scalarString(e)
		if err != nil {
			return nil, fmt.Errorf("%s: Fn::Join element %d: %w", where, i, err)
		}
		parts[i] = s
	}
	return strings.Join(parts, delim), nil
}

var subVar = regexp.MustCompile(`\$\{([^}]*)\}`)

func (r *resolver) sub(arg any, where string) (any, error) {
	var format string
	vars := map[string]any{}
	switch x := arg.(type) {
	case string:
		format = x
	case []any:
		if len(x) != 2 {
			return nil, fmt.Errorf("%s: Fn::Sub takes a string or [string, {variables}]", where)
		}
		s, ok := x[0].(string)
		m, ok2 := x[1].(map[string]any)
		if !ok || !ok2 {
			return nil, fmt.Errorf("%s: Fn::Sub takes a string or [string, {variables}]", where)
		}
		format, vars = s, m
	default:
		return nil, fmt.Errorf("%s: Fn::Sub takes a string or [string, {variables}]", where)
	}
	var firstErr error
	out := subVar.ReplaceAllStringFunc(format, func(m string) string {
		name := m[2 : len(m)-1]
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}"
		}
		s, err := r.subVariable(strings.TrimSpace(name), vars, where)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return s
	})
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

func (r *resolver) subVariable(name string, vars map[string]any, where string) (string, error) {
	if v, ok := vars[name]; ok {
		return r.resolveString(v, where+".Fn::Sub."+name)
	}
	var v any
	var err error
	if strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::") {
		v, err = r.getAtt(name, where)
	} else {
		v, err = r.ref(name, where)
	}
	if err != nil {
		return "", err
	}
	s, err := scalarString(v)
	if err != nil {
		return "", fmt.Errorf("%s: Fn::Sub ${%s}: %w", where, name, err)
	}
	return s, nil
}

func (r *resolver) selectFn(arg any, where string) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, fmt.Errorf("%s: Fn::Select takes [index, [values]]", where)
	}
	idxVal, err := r.resolve(args[0], where+".Fn::Select")
	if err != nil {
		return nil, err
	}
	idxStr, err := scalarString(idxVal)
	if err != nil {
		return nil, fmt.Errorf("%s: Fn::Select index: %w", where, err)
	}
	idx, err := strconv.Atoi(idxStr)
	if err != nil {
		return nil, fmt.Errorf("%s: Fn::Select index %q is not an integer", where, idxStr)
	}
	list, err := r.resolveList(args[1], where+".Fn::Select")
	if err != nil {
		return nil, err
	}
	if idx < 0 || idx >= len(list) {
		return nil, fmt.Errorf("%s: Fn::Select index %d out of range (%d values)", where, idx, len(list))
	}
	return list[idx], nil
}

func (r *resolver) split(arg any, where string) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, fmt.Errorf("%s: Fn::Split takes [delimiter, string]", where)
	}
	delim, ok := args[0].(string)
	if !ok || delim == "" {
		return nil, fmt.Errorf("%s: Fn::Split delimiter must be a non-empty string", where)
	}
	s, err := r.resolveString(args[1], where+".Fn::Split")
	if err != nil {
		return nil, err
	}
	parts := strings.Split(s, delim)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func (r *resolver) ifFn(arg any, where string) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 3 {
		return nil, fmt.Errorf("%s: Fn::If takes [condition, valueIfTrue, valueIfFalse]", where)
	}
	name, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("%s: Fn::If condition must be a condition name", where)
	}
	ok, err := r.condition(name)
	if err != nil {
		return nil, err
	}
	if ok {
		return r.resolve(args[1], where+".Fn::If")
	}
	return r.resolve(args[2], where+".Fn::If")
}

func (r *resolver) resolveString(v any, where string) (string, error) {
	val, err := r.resolve(v, where)
	if err != nil {
		return "", err
	}
	s, err := scalarString(val)
	if err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	return s, nil
}

func (r *resolver) resolveList(v any, where string) ([]any, error) {
	val, err := r.resolve(v, where)
	if err != nil {
		return nil, err
	}
	list, ok := val.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: expected a list, got %T", where, val)
	}
	return list, nil
}

// scalarString renders a resolved scalar the way CloudFormation passes it to
// a string property.
func scalarString(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("expected a string, got %s", describe(v))
}

func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
