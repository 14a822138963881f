package eventsemu

import (
	"fmt"
	"regexp"
	"slices"
)

// namePattern is what EventBridge accepts for rule names and target ids.
var namePattern = regexp.MustCompile(`^[\.\-_A-Za-z0-9]+$`)

// maxTargets is EventBridge's limit of targets per rule.
const maxTargets = 5

func checkName(what, v string) error {
	if v == "" {
		return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", what)
	}
	if len(v) > 64 || !namePattern.MatchString(v) {
		return errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length less than or equal to 64", v, what)
	}
	return nil
}

// ruleState is a rule's State as the API reports it.
func ruleState(r *Rule) string {
	if r.Disabled {
		return "DISABLED"
	}
	return "ENABLED"
}

// ruleInput is what PutRule sets; omitted values are not kept from an
// existing rule, as on EventBridge.
type ruleInput struct {
	Name, EventBusName, EventPattern, State, Description string
}

// putRule creates or replaces a rule, keeping its targets, and returns its
// ARN.
func (s *Service) putRule(in ruleInput) (string, error) {
	if err := checkName("name", in.Name); err != nil {
		return "", err
	}
	if in.EventPattern == "" {
		return "", errValidation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
	}
	switch in.State {
	case "", "ENABLED", "DISABLED":
	case "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS":
		return "", errValidation("devstack does not emulate CloudTrail management events: State %s is not supported", in.State)
	default:
		return "", errValidation("1 validation error detected: Value '%s' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]", in.State)
	}
	if len(in.Description) > 512 {
		return "", errValidation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512")
	}
	pattern, err := checkPattern(in.Name, in.EventPattern)
	if err != nil {
		return "", errInvalidPattern(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buses[s.busName(in.EventBusName)]
	if !ok {
		return "", errBusNotFound(s.busName(in.EventBusName))
	}
	r := &Rule{Name: in.Name, EventBusName: b.name, EventPattern: in.EventPattern, Disabled: in.State == "DISABLED",
		Description: in.Description}
	if old, ok := b.rules[in.Name]; ok {
		r.Targets = old.Targets
	}
	oldPattern, hadPattern := b.patterns[in.Name]
	b.patterns[in.Name] = pattern
	if err := b.rebuildLocked(); err != nil {
		if hadPattern {
			b.patterns[in.Name] = oldPattern
		} else {
			delete(b.patterns, in.Name)
		}
		return "", errInvalidPattern(err)
	}
	b.rules[in.Name] = r
	return s.RuleARN(b.name, r.Name), nil
}

// ruleLocked returns the rule named name on the bus named or ARN'd busName.
func (s *Service) ruleLocked(name, busName string) (*bus, *Rule, error) {
	b, ok := s.buses[s.busName(busName)]
	if !ok {
		return nil, nil, errBusNotFound(s.busName(busName))
	}
	r, ok := b.rules[name]
	if !ok {
		return nil, nil, errRuleNotFound(name, b.name)
	}
	return b, r, nil
}

// rule returns a rule's current snapshot.
func (s *Service) rule(name, busName string) (*Rule, error) {
	if err := checkName("name", name); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, r, err := s.ruleLocked(name, busName)
	return r, err
}

// targetFailure is one entry PutTargets or RemoveTargets could not apply.
type targetFailure struct {
	TargetID     string `json:"TargetId"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

// targetInput is one PutTargets entry, validated, before its ARNs are
// resolved.
type targetInput struct {
	RuleTarget
	DeadLetterARN string
}

// putTargets adds the targets to the rule or replaces those with the same
// id. An ARN (or dead-letter ARN) the resolvers cannot resolve fails that
// entry only; more than five targets in all fail the request.
func (s *Service) putTargets(ruleName, busName string, in []targetInput) ([]targetFailure, error) {
	if _, err := s.rule(ruleName, busName); err != nil {
		return nil, err
	}
	failures := []targetFailure{}
	var resolved []RuleTarget
	for _, t := range in {
		// Resolved without the lock: the resolvers look up other services.
		target, err := s.resolveTarget(t.ARN)
		if err != nil {
			failures = append(failures, targetFailure{t.ID, "ResourceNotFoundException", fmt.Sprintf("Target %s: %v", t.ID, err)})
			continue
		}
		t.Target = target
		if t.DeadLetterARN != "" {
			dlq, err := s.resolveQueue(t.DeadLetterARN)
			if err != nil {
				failures = append(failures, targetFailure{t.ID, "ResourceNotFoundException", fmt.Sprintf("Target %s: dead-letter queue: %v", t.ID, err)})
				continue
			}
			t.DeadLetterQueue = dlq
		}
		resolved = append(resolved, t.RuleTarget)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, r, err := s.ruleLocked(ruleName, busName)
	if err != nil {
		return nil, err
	}
	targets := slices.Clone(r.Targets)
	for _, t := range resolved {
		if i := slices.IndexFunc(targets, func(x RuleTarget) bool { return x.ID == t.ID }); i >= 0 {
			targets[i] = t
		} else {
			targets = append(targets, t)
		}
	}
	if len(targets) > maxTargets {
		return nil, errTooManyTargets()
	}
	next := *r
	next.Targets = targets
	b.rules[r.Name] = &next
	return failures, nil
}

// removeTargets removes the targets with these ids; an id the rule does
// not have is not an error.
func (s *Service) removeTargets(ruleName, busName string, ids []string) error {
	if err := checkName("rule", ruleName); err != nil {
		return err
	}
	if len(ids) < 1 || len(ids) > 100 {
		return errValidation("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length less than or equal to 100 and greater than or equal to 1 (got %d)", len(ids))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, r, err := s.ruleLocked(ruleName, busName)
	if err != nil {
		return err
	}
	next := *r
	next.Targets = slices.DeleteFunc(slices.Clone(r.Targets), func(t RuleTarget) bool { return slices.Contains(ids, t.ID) })
	b.rules[r.Name] = &next
	return nil
}

// deleteRule deletes a rule that has no targets left; deleting a rule that
// does not exist succeeds, as on EventBridge.
func (s *Service) deleteRule(name, busName string) error {
	if err := checkName("name", name); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buses[s.busName(busName)]
	if !ok {
		return errBusNotFound(s.busName(busName))
	}
	r, ok := b.rules[name]
	if !ok {
		return nil
	}
	if len(r.Targets) > 0 {
		return errValidation("Rule can't be deleted since it has targets.")
	}
	pattern := b.patterns[name]
	delete(b.patterns, name)
	if err := b.rebuildLocked(); err != nil {
		b.patterns[name] = pattern
		return err
	}
	delete(b.rules, name)
	return nil
}
