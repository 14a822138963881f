package events

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

// schemaFiles holds one JSON Schema (draft 2020-12) per event type and
// version, named <Type>.v<Version>.json. Each describes the whole
// EventBridge detail: the envelope with the data of that type.
//
//go:embed schemas/*.json
var schemaFiles embed.FS

// SchemaKey names the schema of an event type and version: "<Type>.v<Version>",
// e.g. "OrderCreated.v1". It is also the schema's file name without ".json"
// and its key in Schemas.
func SchemaKey(eventType string, version int) string {
	return fmt.Sprintf("%s.v%d", eventType, version)
}

// Schema returns the JSON Schema of the detail of events of eventType and
// version, and false when there is none.
func Schema(eventType string, version int) ([]byte, bool) {
	b, err := schemaFiles.ReadFile("schemas/" + SchemaKey(eventType, version) + ".json")
	if err != nil {
		return nil, false
	}
	return b, true
}

// Schemas returns every schema keyed by SchemaKey; the CDK app publishes
// them to the EventBridge schema registry. The map and its slices are the
// caller's to keep.
func Schemas() map[string][]byte {
	entries, err := schemaFiles.ReadDir("schemas")
	if err != nil {
		panic(fmt.Sprintf("events: embedded schemas: %v", err)) // cannot happen: the directory is embedded
	}
	out := make(map[string][]byte, len(entries))
	for _, e := range entries {
		b, err := fs.ReadFile(schemaFiles, "schemas/"+e.Name())
		if err != nil {
			panic(fmt.Sprintf("events: embedded schema %s: %v", e.Name(), err))
		}
		out[strings.TrimSuffix(e.Name(), ".json")] = b
	}
	return out
}
