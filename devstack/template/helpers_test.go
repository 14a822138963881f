package template_test

import (
	"encoding/json"
	"testing"

	"github.com/goshop-dev/goshop/devstack/template"
)

// obj is a JSON object literal.
type obj = map[string]any

// arr is a JSON array literal.
type arr = []any

var testOptions = template.Options{
	StackName:   "demo",
	AWSEndpoint: "http://127.0.0.1:4566",
	APIEndpoint: "http://127.0.0.1:3000",
}

// load loads a template built from its sections.
func load(t *testing.T, tmpl obj) (*template.Stack, error) {
	t.Helper()
	data, err := json.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	return template.Load(data, testOptions)
}

// mustLoad loads a template that must load.
func mustLoad(t *testing.T, tmpl obj) *template.Stack {
	t.Helper()
	s, err := load(t, tmpl)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// function is a minimal honoured Lambda function.
func function(props obj) obj {
	p := obj{"Runtime": "provided.al2023", "Handler": "bootstrap"}
	for k, v := range props {
		p[k] = v
	}
	return obj{
		"Type":       "AWS::Lambda::Function",
		"Properties": p,
		"Metadata":   obj{"goshop:package": "./functions/demo", "goshop:function": "demo"},
	}
}

func queue(props obj) obj {
	return obj{"Type": "AWS::SQS::Queue", "Properties": props}
}

func table(props obj) obj {
	p := obj{
		"KeySchema":            arr{obj{"AttributeName": "pk", "KeyType": "HASH"}},
		"AttributeDefinitions": arr{obj{"AttributeName": "pk", "AttributeType": "S"}},
		"BillingMode":          "PAY_PER_REQUEST",
	}
	for k, v := range props {
		p[k] = v
	}
	return obj{"Type": "AWS::DynamoDB::Table", "Properties": p}
}

func ref(id string) obj { return obj{"Ref": id} }

func getAtt(id, attr string) obj { return obj{"Fn::GetAtt": arr{id, attr}} }

// outputs resolves values through the Outputs section of a template with
// these resources.
func outputs(t *testing.T, resources obj, values obj) map[string]string {
	t.Helper()
	out := obj{}
	for k, v := range values {
		out[k] = obj{"Value": v}
	}
	return mustLoad(t, obj{"Resources": resources, "Outputs": out}).Outputs
}

var jsonMarshal = json.Marshal
