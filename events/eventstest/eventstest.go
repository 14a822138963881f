// Package eventstest checks events against their published JSON Schemas.
// Producers use it in their tests to prove that what they write to the
// outbox is what the contract promises; it is kept out of package events so
// the Lambdas that publish and consume events do not carry a schema
// validator.
package eventstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/goshop-dev/goshop/events"
)

// ErrNoSchema is returned by Validate for a detail whose type and version
// have no schema.
var ErrNoSchema = errors.New("no schema for event")

// compiled holds every schema compiled once, keyed by events.SchemaKey.
var compiled = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	return Compile(events.Schemas())
})

// Compile compiles schemas (keyed by events.SchemaKey, as events.Schemas
// returns them), asserting formats such as date-time and email.
func Compile(schemas map[string][]byte) (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for key, b := range schemas {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("read schema %s: %w", key, err)
		}
		if err := c.AddResource(key+".json", doc); err != nil {
			return nil, fmt.Errorf("add schema %s: %w", key, err)
		}
	}
	out := make(map[string]*jsonschema.Schema, len(schemas))
	for key := range schemas {
		s, err := c.Compile(key + ".json")
		if err != nil {
			return nil, fmt.Errorf("compile schema %s: %w", key, err)
		}
		out[key] = s
	}
	return out, nil
}

// Validate checks an EventBridge detail (a JSON envelope) against the
// schema of the type and version it names.
func Validate(detail []byte) error {
	schemas, err := compiled()
	if err != nil {
		return err
	}
	var head struct {
		Type    string `json:"type"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(detail, &head); err != nil {
		return fmt.Errorf("read detail: %w", err)
	}
	key := events.SchemaKey(head.Type, head.Version)
	s, ok := schemas[key]
	if !ok {
		return fmt.Errorf("%w %s", ErrNoSchema, key)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(detail))
	if err != nil {
		return fmt.Errorf("read detail: %w", err)
	}
	if err := s.Validate(inst); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

// RequireValid fails t unless env, as it would be published, matches its
// schema.
func RequireValid(t testing.TB, env events.Envelope) {
	t.Helper()
	detail, err := json.Marshal(env)
	if err != nil {
		t.Fatalf("encode event %s: %v", env.ID, err)
	}
	if err := Validate(detail); err != nil {
		t.Fatalf("event %s %s does not match its schema: %v", env.Type, env.ID, err)
	}
}
