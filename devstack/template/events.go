package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

const defaultBus = "default"

// EventBus is an AWS::Events::EventBus.
type EventBus struct {
	LogicalID string
	Name      string
	ARN       string
}

// Rule is an AWS::Events::Rule with an event pattern.
type Rule struct {
	LogicalID string
	Name      string
	ARN       string
	// EventBusName is the bus's name; "default" when the template names
	// none.
	EventBusName string
	EventBusARN  string
	// EventPattern is the pattern as compact JSON.
	EventPattern json.RawMessage
	// Enabled is false when State is DISABLED.
	Enabled bool
	Targets []Target
}

// TargetKind is the kind of resource a rule target is.
type TargetKind string

// Target kinds.
const (
	TargetSQS          TargetKind = "sqs"
	TargetLambda       TargetKind = "lambda"
	TargetStateMachine TargetKind = "states"
)

// Target is one target of a rule.
type Target struct {
	ID  string
	ARN string
	// Kind and LogicalID say which resource of the template ARN names.
	Kind      TargetKind
	LogicalID string
	// DeadLetterARN is the queue that receives events the target could not
	// take; empty without one.
	DeadLetterARN       string
	DeadLetterLogicalID string
}

func (r *resolver) busARN(name string) string {
	return r.arn("events", "event-bus/"+name)
}

// busName turns a bus name or ARN into a name.
func busName(nameOrARN string) string {
	if nameOrARN == "" {
		return defaultBus
	}
	if _, name, ok := strings.Cut(nameOrARN, ":event-bus/"); ok {
		return name
	}
	return nameOrARN
}

func (b *builder) eventBus(res *resource, _ map[string]any) error {
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	if id.ref == defaultBus {
		return &UnsupportedError{Property: "Name", Reason: `a custom bus named "default"`}
	}
	b.s.EventBuses = append(b.s.EventBuses, &EventBus{LogicalID: res.LogicalID, Name: id.ref, ARN: id.attrs["Arn"]})
	return nil
}

func (b *builder) rule(res *resource, props map[string]any) error {
	var p struct {
		Name         string
		EventBusName string
		EventPattern *jsonDoc
		State        string
		Targets      []struct {
			Id               string
			Arn              string
			RoleArn          string
			DeadLetterConfig *struct {
				Arn string
			}
		}
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if p.EventPattern == nil {
		return fmt.Errorf("property EventPattern is required (scheduled rules are not supported)")
	}
	var pattern map[string]any
	if err := json.Unmarshal(*p.EventPattern, &pattern); err != nil {
		return fmt.Errorf("property EventPattern must be a JSON object: %w", err)
	}
	rule := &Rule{LogicalID: res.LogicalID, EventPattern: json.RawMessage(*p.EventPattern), Enabled: true}
	switch p.State {
	case "", "ENABLED":
	case "DISABLED":
		rule.Enabled = false
	default:
		return &UnsupportedError{Property: "State", Reason: "state " + p.State}
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	rule.ARN = id.attrs["Arn"]
	rule.Name = id.ref
	rule.EventBusName = busName(p.EventBusName)
	rule.EventBusARN = b.r.busARN(rule.EventBusName)
	if rule.EventBusName != defaultBus {
		rule.Name = strings.TrimPrefix(id.ref, rule.EventBusName+"|")
	}
	for _, t := range p.Targets {
		target := Target{ID: t.Id, ARN: t.Arn}
		if t.DeadLetterConfig != nil {
			target.DeadLetterARN = t.DeadLetterConfig.Arn
		}
		rule.Targets = append(rule.Targets, target)
	}
	b.s.Rules = append(b.s.Rules, rule)
	return nil
}

// linkRules ties each rule to its bus and each target to a resource of the
// template.
func (b *builder) linkRules() error {
	var errs []error
	for _, rule := range b.s.Rules {
		res := b.r.doc.Resources[rule.LogicalID]
		if rule.EventBusName != defaultBus {
			if _, ok := b.s.LookupEventBus(rule.EventBusName); !ok {
				errs = append(errs, resourceError(res, &UnsupportedError{Property: "EventBusName",
					Reason: fmt.Sprintf("bus %q is not a bus of the template", rule.EventBusName)}))
			}
		}
		for i := range rule.Targets {
			if err := b.linkTarget(&rule.Targets[i]); err != nil {
				errs = append(errs, resourceError(res, err))
			}
		}
	}
	return errors.Join(errs...)
}

func (b *builder) linkTarget(t *Target) error {
	if q, ok := b.s.LookupQueue(t.ARN); ok && q.ARN == t.ARN {
		t.Kind, t.LogicalID = TargetSQS, q.LogicalID
	} else if f, ok := b.s.LookupFunction(t.ARN); ok && f.ARN == t.ARN {
		t.Kind, t.LogicalID = TargetLambda, f.LogicalID
	} else if m, ok := b.s.LookupStateMachine(t.ARN); ok && m.ARN == t.ARN {
		t.Kind, t.LogicalID = TargetStateMachine, m.LogicalID
	} else {
		return &UnsupportedError{Property: "Targets[" + t.ID + "].Arn",
			Reason: fmt.Sprintf("target %q: only queues, functions and state machines of the template", t.ARN)}
	}
	if t.DeadLetterARN != "" {
		q, ok := b.s.LookupQueue(t.DeadLetterARN)
		if !ok || q.ARN != t.DeadLetterARN {
			return &UnsupportedError{Property: "Targets[" + t.ID + "].DeadLetterConfig.Arn",
				Reason: fmt.Sprintf("dead-letter queue %q is not a queue of the template", t.DeadLetterARN)}
		}
		t.DeadLetterLogicalID = q.LogicalID
	}
	return nil
}
