package template

import (
	"errors"
	"fmt"
	"strings"
)

// builder turns resolved resources into the Stack's views.
type builder struct {
	r *resolver
	s *Stack

	// API Gateway parts, assembled into RestAPIs once all are built.
	api apiParts
	// mappingProps holds each EventSourceMapping's decoded properties, in
	// the order of Stack.EventSourceMappings, for linking.
	mappingProps []mappingProps
}

func (b *builder) build() error {
	// API Gateway resources name functions, so they are built last.
	var errs []error
	for _, apiPhase := range []bool{false, true} {
		for _, id := range sortedKeys(b.r.doc.Resources) {
			res := b.r.doc.Resources[id]
			spec, ok := b.r.honoured[res.Type]
			if !ok || strings.HasPrefix(res.Type, "AWS::ApiGateway::") != apiPhase {
				continue
			}
			if _, excluded := b.r.excluded[id]; excluded {
				continue
			}
			if err := b.buildOne(res, spec); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return errors.Join(b.checkUnique(), b.linkQueues(), b.linkRules(), b.linkMappings(), b.assembleAPIs())
}

// checkUnique refuses two resources of a kind with the same physical name,
// as the services do.
func (b *builder) checkUnique() error {
	seen := map[string]string{}
	var errs []error
	add := func(kind, name, logicalID string) {
		key := kind + "/" + name
		if other, ok := seen[key]; ok {
			errs = append(errs, fmt.Errorf("template: resources %s and %s are both the %s %q", other, logicalID, kind, name))
			return
		}
		seen[key] = logicalID
	}
	for _, f := range b.s.Functions {
		add("function", f.Name, f.LogicalID)
	}
	for _, t := range b.s.Tables {
		add("table", t.Name, t.LogicalID)
	}
	for _, q := range b.s.Queues {
		add("queue", q.Name, q.LogicalID)
	}
	for _, e := range b.s.EventBuses {
		add("event bus", e.Name, e.LogicalID)
	}
	for _, r := range b.s.Rules {
		add("rule on "+r.EventBusName, r.Name, r.LogicalID)
	}
	for _, m := range b.s.StateMachines {
		add("state machine", m.Name, m.LogicalID)
	}
	for _, s := range b.s.Secrets {
		add("secret", s.Name, s.LogicalID)
	}
	return errors.Join(errs...)
}

func (b *builder) buildOne(res *resource, spec *typeSpec) error {
	props, err := b.props(res, spec)
	if err != nil {
		return resourceError(res, err)
	}
	if err := spec.build(b, res, props); err != nil {
		return resourceError(res, err)
	}
	return nil
}

// props resolves the honoured properties of res.
func (b *builder) props(res *resource, spec *typeSpec) (map[string]any, error) {
	b.r.resolving = res.LogicalID
	defer func() { b.r.resolving = "" }()
	out := map[string]any{}
	for _, k := range sortedKeys(res.Properties) {
		if !contains(spec.honours, k) {
			continue
		}
		v, err := b.r.resolve(res.Properties[k], k)
		if err != nil {
			return nil, err
		}
		if v != noValue {
			out[k] = v
		}
	}
	return out, nil
}

// identityOf returns the identity of an already checked resource.
func (b *builder) identityOf(res *resource) (*identity, error) {
	return b.r.identity(res.LogicalID, res.LogicalID)
}

// LookupFunction returns the function with this name, ARN or partial ARN
// (the forms Lambda's FunctionName accepts, without a qualifier).
func (s *Stack) LookupFunction(ref string) (*Function, bool) {
	name := ref
	if strings.HasPrefix(ref, "arn:") {
		parts := strings.Split(ref, ":")
		if len(parts) != 7 || parts[5] != "function" {
			return nil, false
		}
		for _, f := range s.Functions {
			if f.ARN == ref {
				return f, true
			}
		}
		return nil, false
	}
	if acct, fn, ok := strings.Cut(ref, ":function:"); ok && acct == s.AccountID {
		name = fn
	}
	for _, f := range s.Functions {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// LookupQueue returns the queue with this ARN, URL or name.
func (s *Stack) LookupQueue(ref string) (*Queue, bool) {
	for _, q := range s.Queues {
		if q.ARN == ref || q.URL == ref || q.Name == ref {
			return q, true
		}
	}
	return nil, false
}

// LookupTable returns the table with this name or ARN.
func (s *Stack) LookupTable(ref string) (*Table, bool) {
	for _, t := range s.Tables {
		if t.Name == ref || t.ARN == ref {
			return t, true
		}
	}
	return nil, false
}

// LookupStateMachine returns the state machine with this ARN or name.
func (s *Stack) LookupStateMachine(ref string) (*StateMachine, bool) {
	for _, m := range s.StateMachines {
		if m.ARN == ref || m.Name == ref {
			return m, true
		}
	}
	return nil, false
}

// LookupSecret returns the secret with this ARN or name, the forms Secrets
// Manager's SecretId accepts (a partial ARN without the suffix included).
func (s *Stack) LookupSecret(ref string) (*Secret, bool) {
	for _, sec := range s.Secrets {
		if sec.ARN == ref || sec.Name == ref || strings.TrimSuffix(sec.ARN, "-"+secretSuffix(sec.Name)) == ref {
			return sec, true
		}
	}
	return nil, false
}

// LookupEventBus returns the bus with this name or ARN.
func (s *Stack) LookupEventBus(ref string) (*EventBus, bool) {
	for _, e := range s.EventBuses {
		if e.Name == ref || e.ARN == ref {
			return e, true
		}
	}
	return nil, false
}
