package shop

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventschemas"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/events"
)

// newSchemaRegistry publishes the JSON Schema of every event (events/schemas)
// to an EventBridge schema registry, where other teams find the contracts
// and generate code bindings. The registry accepts draft 4 schemas: the
// files use only keywords draft 4 shares, and their $schema is set to it.
func newSchemaRegistry(stack awscdk.Stack, cfg Config) awseventschemas.CfnRegistry {
	registry := awseventschemas.NewCfnRegistry(stack, jsii.String("EventSchemas"), &awseventschemas.CfnRegistryProps{
		RegistryName: jsii.String("goshop-" + cfg.Stage),
		Description:  jsii.String("Contracts of the goshop domain events"),
	})
	schemas := events.Schemas()
	keys := make([]string, 0, len(schemas))
	for k := range schemas {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		var doc map[string]interface{}
		if err := json.Unmarshal(schemas[key], &doc); err != nil {
			panic(fmt.Sprintf("schema %s: %v", key, err))
		}
		doc["$schema"] = "http://json-schema.org/draft-04/schema#"
		content, err := json.Marshal(doc)
		if err != nil {
			panic(fmt.Sprintf("schema %s: %v", key, err))
		}
		schema := awseventschemas.NewCfnSchema(stack, jsii.String("Schema"+exportName(key)), &awseventschemas.CfnSchemaProps{
			RegistryName: registry.AttrRegistryName(),
			SchemaName:   jsii.String("goshop." + key),
			Type:         jsii.String("JSONSchemaDraft4"),
			Content:      jsii.String(string(content)),
			Description:  jsii.String(fmt.Sprint(doc["title"])),
		})
		schema.Node().AddDependency(registry)
	}
	return registry
}
