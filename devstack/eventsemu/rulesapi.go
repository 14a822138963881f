package eventsemu

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"
)

func (s *Service) putRuleAPI(body []byte) (any, error) {
	var in struct {
		Name               string `json:"Name"`
		EventBusName       string `json:"EventBusName"`
		EventPattern       string `json:"EventPattern"`
		ScheduleExpression string `json:"ScheduleExpression"`
		State              string `json:"State"`
		Description        string `json:"Description"`
		RoleArn            string `json:"RoleArn"` // accepted: IAM is not emulated
		Tags               []struct {
			Key   string `json:"Key"`
			Value string `json:"Value"`
		} `json:"Tags"` // accepted and ignored: tagging is not emulated
	}
	if err := decode(body, &in, "PutRule"); err != nil {
		return nil, err
	}
	if in.ScheduleExpression != "" {
		return nil, errValidation("devstack does not emulate scheduled rules: ScheduleExpression %q is not supported", in.ScheduleExpression)
	}
	arn, err := s.putRule(ruleInput{Name: in.Name, EventBusName: in.EventBusName, EventPattern: in.EventPattern,
		State: in.State, Description: in.Description})
	if err != nil {
		return nil, err
	}
	return map[string]string{"RuleArn": arn}, nil
}

// targetFields are the Target members devstack honours; the others (Input,
// InputPath, InputTransformer and the service-specific parameters) are
// refused, naming them.
var targetFields = map[string]bool{"Id": true, "Arn": true, "RoleArn": true, "DeadLetterConfig": true, "RetryPolicy": true}

type wireTarget struct {
	Id               string `json:"Id"`
	Arn              string `json:"Arn"`
	RoleArn          string `json:"RoleArn,omitempty"`
	DeadLetterConfig *struct {
		Arn string `json:"Arn"`
	} `json:"DeadLetterConfig,omitempty"`
	RetryPolicy *wireRetryPolicy `json:"RetryPolicy,omitempty"`
}

type wireRetryPolicy struct {
	MaximumRetryAttempts     *int `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int `json:"MaximumEventAgeInSeconds,omitempty"`
}

// decodeTarget validates one PutTargets entry.
func decodeTarget(raw map[string]json.RawMessage) (targetInput, error) {
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		if !targetFields[k] {
			return targetInput{}, errValidation("devstack does not emulate the target member %s (it honours Id, Arn, RoleArn, DeadLetterConfig and RetryPolicy)", k)
		}
	}
	b, _ := json.Marshal(raw)
	var t wireTarget
	if err := json.Unmarshal(b, &t); err != nil {
		return targetInput{}, errValidation("a target is not valid: %v", err)
	}
	if err := checkName("targets.member.id", t.Id); err != nil {
		return targetInput{}, err
	}
	if t.Arn == "" {
		return targetInput{}, errValidation("1 validation error detected: Value null at 'targets.member.arn' failed to satisfy constraint: Member must not be null")
	}
	in := targetInput{RuleTarget: RuleTarget{ID: t.Id, ARN: t.Arn, RoleARN: t.RoleArn}}
	if t.DeadLetterConfig != nil {
		in.DeadLetterARN = t.DeadLetterConfig.Arn
	}
	if rp := t.RetryPolicy; rp != nil {
		policy := &TargetRetryPolicy{MaximumRetryAttempts: 185, MaximumEventAge: 24 * time.Hour}
		if n := rp.MaximumRetryAttempts; n != nil {
			if *n < 0 || *n > 185 {
				return targetInput{}, errValidation("1 validation error detected: Value '%d' at 'targets.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value between 0 and 185", *n)
			}
			policy.MaximumRetryAttempts = *n
		}
		if n := rp.MaximumEventAgeInSeconds; n != nil {
			if *n < 60 || *n > 86400 {
				return targetInput{}, errValidation("1 validation error detected: Value '%d' at 'targets.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 86400", *n)
			}
			policy.MaximumEventAge = time.Duration(*n) * time.Second
		}
		in.Retry = policy
	}
	return in, nil
}

func (s *Service) putTargetsAPI(body []byte) (any, error) {
	var in struct {
		Rule         string                       `json:"Rule"`
		EventBusName string                       `json:"EventBusName"`
		Targets      []map[string]json.RawMessage `json:"Targets"`
	}
	if err := decode(body, &in, "PutTargets"); err != nil {
		return nil, err
	}
	if err := checkName("rule", in.Rule); err != nil {
		return nil, err
	}
	if n := len(in.Targets); n < 1 || n > 10 {
		return nil, errValidation("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1 (got %d)", n)
	}
	targets := make([]targetInput, len(in.Targets))
	for i, raw := range in.Targets {
		t, err := decodeTarget(raw)
		if err != nil {
			return nil, err
		}
		targets[i] = t
	}
	failures, err := s.putTargets(in.Rule, in.EventBusName, targets)
	if err != nil {
		return nil, err
	}
	return map[string]any{"FailedEntryCount": len(failures), "FailedEntries": failures}, nil
}

func (s *Service) removeTargetsAPI(body []byte) (any, error) {
	var in struct {
		Rule         string   `json:"Rule"`
		EventBusName string   `json:"EventBusName"`
		Ids          []string `json:"Ids"`
		Force        bool     `json:"Force"` // for managed rules, which devstack has none of
	}
	if err := decode(body, &in, "RemoveTargets"); err != nil {
		return nil, err
	}
	if err := s.removeTargets(in.Rule, in.EventBusName, in.Ids); err != nil {
		return nil, err
	}
	return map[string]any{"FailedEntryCount": 0, "FailedEntries": []targetFailure{}}, nil
}

func (s *Service) deleteRuleAPI(body []byte) (any, error) {
	var in struct {
		Name         string `json:"Name"`
		EventBusName string `json:"EventBusName"`
		Force        bool   `json:"Force"`
	}
	if err := decode(body, &in, "DeleteRule"); err != nil {
		return nil, err
	}
	return struct{}{}, s.deleteRule(in.Name, in.EventBusName)
}

func (s *Service) describeRuleAPI(body []byte) (any, error) {
	var in struct {
		Name         string `json:"Name"`
		EventBusName string `json:"EventBusName"`
	}
	if err := decode(body, &in, "DescribeRule"); err != nil {
		return nil, err
	}
	r, err := s.rule(in.Name, in.EventBusName)
	if err != nil {
		return nil, err
	}
	return struct {
		Name         string `json:"Name"`
		Arn          string `json:"Arn"`
		EventPattern string `json:"EventPattern"`
		State        string `json:"State"`
		Description  string `json:"Description,omitempty"`
		EventBusName string `json:"EventBusName"`
		CreatedBy    string `json:"CreatedBy"`
	}{r.Name, s.RuleARN(r.EventBusName, r.Name), r.EventPattern, ruleState(r), r.Description, r.EventBusName, s.account}, nil
}

func (s *Service) listTargetsByRuleAPI(body []byte) (any, error) {
	var in struct {
		Rule         string `json:"Rule"`
		EventBusName string `json:"EventBusName"`
		NextToken    string `json:"NextToken"`
		Limit        *int   `json:"Limit"`
	}
	if err := decode(body, &in, "ListTargetsByRule"); err != nil {
		return nil, err
	}
	limit := 100
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 100 {
			return nil, errValidation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100", *in.Limit)
		}
		limit = *in.Limit
	}
	start := 0
	if in.NextToken != "" {
		n, err := strconv.Atoi(in.NextToken)
		if err != nil || n < 0 {
			return nil, errValidation("The NextToken %q is not valid.", in.NextToken)
		}
		start = n
	}
	r, err := s.rule(in.Rule, in.EventBusName)
	if err != nil {
		return nil, err
	}
	out := struct {
		Targets   []wireTarget `json:"Targets"`
		NextToken string       `json:"NextToken,omitempty"`
	}{Targets: []wireTarget{}}
	for i := start; i < len(r.Targets); i++ {
		if len(out.Targets) == limit {
			out.NextToken = strconv.Itoa(i)
			break
		}
		t := r.Targets[i]
		wt := wireTarget{Id: t.ID, Arn: t.ARN, RoleArn: t.RoleARN}
		if t.DeadLetterQueue != nil {
			wt.DeadLetterConfig = &struct {
				Arn string `json:"Arn"`
			}{t.DeadLetterQueue.ARN()}
		}
		if t.Retry != nil {
			attempts, age := t.Retry.MaximumRetryAttempts, int(t.Retry.MaximumEventAge/time.Second)
			wt.RetryPolicy = &wireRetryPolicy{MaximumRetryAttempts: &attempts, MaximumEventAgeInSeconds: &age}
		}
		out.Targets = append(out.Targets, wt)
	}
	return out, nil
}
