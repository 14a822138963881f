package template

import (
	"encoding/json"
	"fmt"
	"strings"
)

// StateMachine is an AWS::StepFunctions::StateMachine (Standard workflows).
type StateMachine struct {
	LogicalID string
	Name      string
	ARN       string
	// Type is STANDARD.
	Type string
	// Definition is the Amazon States Language definition, fully resolved,
	// as JSON.
	Definition string
}

func (b *builder) stateMachine(res *resource, props map[string]any) error {
	var p struct {
		StateMachineName        string
		StateMachineType        string
		DefinitionString        *string
		Definition              json.RawMessage
		DefinitionSubstitutions map[string]flexString
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if p.StateMachineType == "" {
		p.StateMachineType = "STANDARD"
	}
	if p.StateMachineType != "STANDARD" {
		return &UnsupportedError{Property: "StateMachineType", Reason: "workflow type " + p.StateMachineType + " (only STANDARD)"}
	}
	var def string
	switch {
	case p.DefinitionString != nil && p.Definition != nil:
		return fmt.Errorf("properties DefinitionString and Definition are exclusive")
	case p.DefinitionString != nil:
		def = *p.DefinitionString
	case p.Definition != nil:
		def = string(p.Definition)
	default:
		return fmt.Errorf("property DefinitionString or Definition is required")
	}
	for k, v := range p.DefinitionSubstitutions {
		def = strings.ReplaceAll(def, "${"+k+"}", string(v))
	}
	var check map[string]any
	if err := json.Unmarshal([]byte(def), &check); err != nil {
		return fmt.Errorf("the definition is not a JSON object: %w", err)
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	b.s.StateMachines = append(b.s.StateMachines, &StateMachine{
		LogicalID: res.LogicalID, Name: id.attrs["Name"], ARN: id.ref, Type: p.StateMachineType, Definition: def,
	})
	return nil
}

// Secret is an AWS::SecretsManager::Secret.
type Secret struct {
	LogicalID string
	// Name is the secret's name; ARN is Name plus Secrets Manager's
	// six-character suffix.
	Name string
	ARN  string
	// SecretString is the value given in the template; nil when the value
	// is generated.
	SecretString *string
	// Generate says how to generate the value; nil when SecretString is
	// given.
	Generate *GenerateSecretString
}

// GenerateSecretString is the spec of a generated secret value, with
// Secrets Manager's defaults filled in.
type GenerateSecretString struct {
	PasswordLength          int
	ExcludeCharacters       string
	ExcludeLowercase        bool
	ExcludeNumbers          bool
	ExcludePunctuation      bool
	ExcludeUppercase        bool
	IncludeSpace            bool
	RequireEachIncludedType bool
	// SecretStringTemplate and GenerateStringKey, when set, put the
	// generated string under that key of the JSON template.
	SecretStringTemplate string
	GenerateStringKey    string
}

func (b *builder) secret(res *resource, props map[string]any) error {
	var p struct {
		Name                 string
		SecretString         *string
		GenerateSecretString *generateProps
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if p.SecretString != nil && p.GenerateSecretString != nil {
		return fmt.Errorf("properties SecretString and GenerateSecretString are exclusive")
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	s := &Secret{LogicalID: res.LogicalID, ARN: id.ref, SecretString: p.SecretString}
	s.Name = id.name
	if p.SecretString == nil {
		g := p.GenerateSecretString
		if g == nil {
			g = &generateProps{}
		}
		if (g.SecretStringTemplate == "") != (g.GenerateStringKey == "") {
			return fmt.Errorf("properties GenerateSecretString.SecretStringTemplate and GenerateStringKey go together")
		}
		length := g.PasswordLength.or(32)
		if length < 1 || length > 4096 {
			return fmt.Errorf("property GenerateSecretString.PasswordLength %d is outside 1..4096", length)
		}
		s.Generate = &GenerateSecretString{
			PasswordLength: int(length), ExcludeCharacters: g.ExcludeCharacters,
			ExcludeLowercase: g.ExcludeLowercase.value, ExcludeNumbers: g.ExcludeNumbers.value,
			ExcludePunctuation: g.ExcludePunctuation.value, ExcludeUppercase: g.ExcludeUppercase.value,
			IncludeSpace: g.IncludeSpace.value, RequireEachIncludedType: g.RequireEachIncludedType.or(true),
			SecretStringTemplate: g.SecretStringTemplate, GenerateStringKey: g.GenerateStringKey,
		}
	}
	b.s.Secrets = append(b.s.Secrets, s)
	return nil
}

type generateProps struct {
	PasswordLength          flexInt
	ExcludeCharacters       string
	ExcludeLowercase        flexBool
	ExcludeNumbers          flexBool
	ExcludePunctuation      flexBool
	ExcludeUppercase        flexBool
	IncludeSpace            flexBool
	RequireEachIncludedType flexBool
	SecretStringTemplate    string
	GenerateStringKey       string
}
