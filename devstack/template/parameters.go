package template

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// parameter returns a parameter's value: the override from Options, else the
// default. List types resolve to lists.
func (r *resolver) parameter(name string) (any, error) {
	if v, ok := r.params[name]; ok {
		return v, nil
	}
	p := r.doc.Parameters[name]
	typ, _ := p["Type"].(string)
	value, ok := r.opts.Parameters[name]
	if !ok {
		def, hasDefault := p["Default"]
		if !hasDefault {
			return nil, fmt.Errorf("template: parameter %s has no Default: set Options.Parameters[%q]", name, name)
		}
		s, err := scalarString(def)
		if err != nil {
			return nil, fmt.Errorf("template: parameter %s Default: %w", name, err)
		}
		value = s
		if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") {
			v, err := ssmValue(name, s)
			if err != nil {
				return nil, err
			}
			value = v
		}
	}
	if err := checkParameter(name, p, value); err != nil {
		return nil, err
	}
	var v any = value
	if typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") ||
		strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<List<") {
		parts := strings.Split(value, ",")
		list := make([]any, len(parts))
		for i, s := range parts {
			list[i] = strings.TrimSpace(s)
		}
		v = list
	}
	r.params[name] = v
	return v, nil
}

// CDKBootstrapVersion is the value devstack gives the CDK's BootstrapVersion
// parameter, the version of the current CDK bootstrap template: devstack
// stands in for a bootstrapped environment.
const CDKBootstrapVersion = "33"

var cdkBootstrapParameter = regexp.MustCompile(`^/cdk-bootstrap/[^/]+/version$`)

// ssmValue resolves a parameter whose value CloudFormation reads from SSM
// Parameter Store. Only the CDK bootstrap version is known locally.
func ssmValue(param, ssmName string) (string, error) {
	if cdkBootstrapParameter.MatchString(ssmName) {
		return CDKBootstrapVersion, nil
	}
	return "", &UnsupportedError{LogicalID: param,
		Reason: fmt.Sprintf("SSM parameter %s has no local value: set Options.Parameters[%q]", ssmName, param)}
}

func checkParameter(name string, p map[string]any, value string) error {
	if allowed, ok := p["AllowedValues"].([]any); ok {
		found := slices.ContainsFunc(allowed, func(a any) bool {
			s, err := scalarString(a)
			return err == nil && s == value
		})
		if !found {
			return fmt.Errorf("template: parameter %s: value %q is not one of AllowedValues", name, value)
		}
	}
	if pattern, ok := p["AllowedPattern"].(string); ok {
		re, err := regexp.Compile("^(?:" + pattern + ")$")
		if err != nil {
			return fmt.Errorf("template: parameter %s: AllowedPattern: %w", name, err)
		}
		if !re.MatchString(value) {
			return fmt.Errorf("template: parameter %s: value %q does not match AllowedPattern", name, value)
		}
	}
	return nil
}

func (r *resolver) parameterValues() (map[string]string, error) {
	out := make(map[string]string, len(r.doc.Parameters))
	for _, name := range sortedKeys(r.doc.Parameters) {
		v, err := r.parameter(name)
		if err != nil {
			return nil, err
		}
		if list, ok := v.([]any); ok {
			parts := make([]string, len(list))
			for i, e := range list {
				parts[i], _ = scalarString(e)
			}
			out[name] = strings.Join(parts, ",")
			continue
		}
		out[name], _ = scalarString(v)
	}
	return out, nil
}

// condition evaluates a named condition of the Conditions section.
func (r *resolver) condition(name string) (bool, error) {
	if v, ok := r.conds[name]; ok {
		return v, nil
	}
	body, ok := r.doc.Conditions[name]
	if !ok {
		return false, fmt.Errorf("template: condition %s is not defined", name)
	}
	if r.condBusy[name] {
		return false, fmt.Errorf("template: condition %s refers to itself", name)
	}
	r.condBusy[name] = true
	defer delete(r.condBusy, name)
	v, err := r.evalCondition(body, "Conditions."+name, false)
	if err != nil {
		return false, err
	}
	r.conds[name] = v
	return v, nil
}

// evalCondition evaluates a condition function; inRule also allows the rule
// function Fn::Contains.
func (r *resolver) evalCondition(v any, where string, inRule bool) (bool, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false, fmt.Errorf("template: %s: expected a condition function", where)
	}
	for fn, arg := range m {
		args, _ := arg.([]any)
		switch fn {
		case "Condition":
			name, ok := arg.(string)
			if !ok {
				return false, fmt.Errorf("template: %s: Condition takes a condition name", where)
			}
			return r.condition(name)
		case "Fn::Equals":
			if len(args) != 2 {
				return false, fmt.Errorf("template: %s: Fn::Equals takes two values", where)
			}
			a, err := r.resolveString(args[0], where)
			if err != nil {
				return false, err
			}
			b, err := r.resolveString(args[1], where)
			if err != nil {
				return false, err
			}
			return a == b, nil
		case "Fn::Not":
			if len(args) != 1 {
				return false, fmt.Errorf("template: %s: Fn::Not takes one condition", where)
			}
			b, err := r.evalCondition(args[0], where, inRule)
			return !b, err
		case "Fn::And", "Fn::Or":
			if len(args) < 1 {
				return false, fmt.Errorf("template: %s: %s takes conditions", where, fn)
			}
			for _, a := range args {
				b, err := r.evalCondition(a, where, inRule)
				if err != nil {
					return false, err
				}
				if fn == "Fn::Or" && b {
					return true, nil
				}
				if fn == "Fn::And" && !b {
					return false, nil
				}
			}
			return fn == "Fn::And", nil
		case "Fn::Contains":
			if !inRule {
				break
			}
			if len(args) != 2 {
				return false, fmt.Errorf("template: %s: Fn::Contains takes [list, value]", where)
			}
			list, err := r.resolveList(args[0], where)
			if err != nil {
				return false, err
			}
			val, err := r.resolveString(args[1], where)
			if err != nil {
				return false, err
			}
			return slices.ContainsFunc(list, func(e any) bool {
				s, err := scalarString(e)
				return err == nil && s == val
			}), nil
		}
		return false, &UnsupportedError{LogicalID: where, Reason: "condition function " + fn}
	}
	return false, nil
}

// checkRules evaluates the Rules section's assertions.
func (r *resolver) checkRules() error {
	for _, name := range sortedKeys(r.doc.Rules) {
		body, ok := r.doc.Rules[name].(map[string]any)
		if !ok {
			return fmt.Errorf("template: rule %s must be an object", name)
		}
		where := "Rules." + name
		if cond, ok := body["RuleCondition"]; ok {
			applies, err := r.evalCondition(cond, where+".RuleCondition", true)
			if err != nil {
				return err
			}
			if !applies {
				continue
			}
		}
		assertions, _ := body["Assertions"].([]any)
		for i, a := range assertions {
			am, _ := a.(map[string]any)
			ok, err := r.evalCondition(am["Assert"], fmt.Sprintf("%s.Assertions[%d]", where, i), true)
			if err != nil {
				return err
			}
			if !ok {
				desc, _ := am["AssertDescription"].(string)
				return fmt.Errorf("template: rule %s failed: %s", name, desc)
			}
		}
	}
	return nil
}

// outputs resolves the Outputs section; apis are the template's REST APIs,
// whose execute-api URLs are given where devstack serves them (localAPIURL).
func (r *resolver) outputs(apis []*RestAPI) (map[string]string, error) {
	out := make(map[string]string, len(r.doc.Outputs))
	var errs []error
	for _, name := range sortedKeys(r.doc.Outputs) {
		o := r.doc.Outputs[name]
		if c, ok := o["Condition"].(string); ok {
			applies, err := r.condition(c)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !applies {
				continue
			}
		}
		r.resolving = name
		v, err := r.resolveString(o["Value"], "Outputs."+name+".Value")
		if err != nil {
			errs = append(errs, fmt.Errorf("template: output %s: %w", name, err))
			continue
		}
		out[name] = r.localAPIURL(v, apis)
	}
	r.resolving = ""
	return out, errors.Join(errs...)
}

// localAPIURL turns a URL of one of apis on execute-api,
// https://<id>.execute-api.<region>.<suffix>[/<stage>/...], into the same
// path on Options.APIEndpoint, where devstack serves the stages, so an API
// URL output reaches devstack. Any other value, and every value without an
// APIEndpoint, is returned as it is.
func (r *resolver) localAPIURL(v string, apis []*RestAPI) string {
	if r.opts.APIEndpoint == "" {
		return v
	}
	for _, api := range apis {
		host := "https://" + api.ID + ".execute-api." + r.opts.Region + "." + r.urlSuffix
		if rest, ok := strings.CutPrefix(v, host); ok && (rest == "" || strings.HasPrefix(rest, "/")) {
			return r.opts.APIEndpoint + rest
		}
	}
	return v
}
