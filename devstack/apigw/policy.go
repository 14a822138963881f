package apigw

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// statement is one IAM policy statement of an authorizer's policy.
type statement struct {
	allow     bool
	actions   []string
	resources []string
}

type effect int

const (
	effectImplicitDeny effect = iota
	effectAllow
	effectExplicitDeny
)

// stringOrList is an IAM policy element that is a string or a list of them.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("must be a string or a list of strings")
	}
	*s = many
	return nil
}

// parsePolicy reads an IAM policy document whose Statement is an object
// or a list. NotAction, NotResource and Condition are refused: API
// Gateway's authorizer policies are Action/Resource policies.
func parsePolicy(doc json.RawMessage) ([]statement, error) {
	var p struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal(doc, &p); err != nil {
		return nil, fmt.Errorf("policyDocument: %v", err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(p.Statement, &raws); err != nil {
		var one json.RawMessage
		if err := json.Unmarshal(p.Statement, &one); err != nil || len(one) == 0 || one[0] != '{' {
			return nil, errors.New("policyDocument.Statement must be an object or a list of objects")
		}
		raws = []json.RawMessage{one}
	}
	out := make([]statement, 0, len(raws))
	for i, raw := range raws {
		var s map[string]json.RawMessage
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("policyDocument.Statement[%d] is not an object", i)
		}
		for k := range s {
			switch k {
			case "Effect", "Action", "Resource", "Sid":
			default:
				return nil, fmt.Errorf("policyDocument.Statement[%d].%s is not supported", i, k)
			}
		}
		var eff string
		var actions, resources stringOrList
		if err := json.Unmarshal(s["Effect"], &eff); err != nil || (eff != "Allow" && eff != "Deny") {
			return nil, fmt.Errorf("policyDocument.Statement[%d].Effect must be Allow or Deny", i)
		}
		if err := json.Unmarshal(s["Action"], &actions); err != nil {
			return nil, fmt.Errorf("policyDocument.Statement[%d].Action %v", i, err)
		}
		if err := json.Unmarshal(s["Resource"], &resources); err != nil {
			return nil, fmt.Errorf("policyDocument.Statement[%d].Resource %v", i, err)
		}
		out = append(out, statement{allow: eff == "Allow", actions: actions, resources: resources})
	}
	return out, nil
}

// evaluate applies IAM's rule to the execute-api:Invoke of methodARN: an
// explicit deny wins, then an allow; anything else is an implicit deny.
func evaluate(statements []statement, methodARN string) effect {
	result := effectImplicitDeny
	for _, s := range statements {
		if !s.matches(methodARN) {
			continue
		}
		if !s.allow {
			return effectExplicitDeny
		}
		result = effectAllow
	}
	return result
}

func (s statement) matches(methodARN string) bool {
	actionOK := false
	for _, a := range s.actions {
		// IAM actions are case-insensitive; resources are not.
		if wildcardMatch(strings.ToLower(a), "execute-api:invoke") {
			actionOK = true
			break
		}
	}
	if !actionOK {
		return false
	}
	for _, r := range s.resources {
		if wildcardMatch(r, methodARN) {
			return true
		}
	}
	return false
}

// wildcardMatch matches IAM's wildcards: * is any run of characters
// (slashes and colons included), ? is one character.
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
