package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/api"
)

// gatewayKeywords are the schema keywords an API Gateway model may hold:
// the draft 4 subset API Gateway validates, plus annotations.
var gatewayKeywords = []string{
	"$schema", "type", "properties", "required", "additionalProperties", "items", "enum",
	"minimum", "maximum", "minLength", "maxLength", "pattern", "minItems", "maxItems",
	"title", "description", "default",
}

// sample is a request body and whether the model must accept it.
type sample struct {
	name   string
	body   map[string]any
	accept bool
}

// samples derives bodies from a valid one: the body itself, the body with
// an unknown field in each of its objects, and the body without each of
// its fields at any depth, which the model must refuse for a required field
// and accept for an optional one.
func samples(t *testing.T, valid, model map[string]any) []sample {
	t.Helper()
	out := []sample{{name: "documented example", body: valid, accept: true}}
	var walk func(path []string, body, schema map[string]any)
	walk = func(path []string, body, schema map[string]any) {
		with := deepCopy(valid)
		at(with, path)["unexpected"] = true
		out = append(out, sample{name: "unknown field in /" + join(path), body: with})
		required, _ := schema["required"].([]any)
		for name := range body {
			without := deepCopy(valid)
			delete(at(without, path), name)
			if slices.Contains(required, any(name)) {
				out = append(out, sample{name: "without /" + join(append(slices.Clone(path), name)), body: without})
			} else {
				out = append(out, sample{name: "without optional /" + join(append(slices.Clone(path), name)), body: without, accept: true})
			}
		}
		for _, r := range required {
			if _, ok := body[r.(string)]; !ok {
				t.Errorf("the example lacks the required /%s", join(append(slices.Clone(path), r.(string))))
			}
		}
		for name, v := range body {
			sub := object(v)
			if sub == nil {
				continue
			}
			walk(append(slices.Clone(path), name), sub, object(object(schema["properties"])[name]))
		}
	}
	walk(nil, valid, model)
	return out
}

func deepCopy(v map[string]any) map[string]any {
	raw, _ := json.Marshal(v)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// at returns the object at path in body.
func at(body map[string]any, path []string) map[string]any {
	for _, p := range path {
		body = object(body[p])
	}
	return body
}

func join(path []string) string { return strings.Join(path, "/") }

// TestRequestModels checks the model of every operation with a body: draft
// 4 with only the keywords API Gateway handles, compiling, accepting the
// documented example and refusing unknown and missing fields, and judging
// every sample as the document's own schema does.
func TestRequestModels(t *testing.T) {
	t.Parallel()
	doc := loadDocument(t)
	docSchemas := newSchemas(t)
	withBody := 0
	ops := operations(t, doc)
	for _, id := range keys(ops) {
		op := ops[id]
		model, ok := api.RequestModel(id)
		if hasBody := op.op["requestBody"] != nil; ok != hasBody {
			t.Errorf("RequestModel(%s) ok = %v, the operation has a body: %v", id, ok, hasBody)
			continue
		}
		if !ok {
			continue
		}
		withBody++
		t.Run(id, func(t *testing.T) {
			if model["$schema"] != "http://json-schema.org/draft-04/schema#" {
				t.Errorf("$schema = %v", model["$schema"])
			}
			checkGatewayKeywords(t, "#", model)
			sch := compileModel(t, id, model)
			ref, _ := jsonSchemaRef(t, follow(t, doc, object(op.op["requestBody"])))
			docSch := docSchemas.at(t, ref)
			all := samples(t, requestExample(t, doc, op), model)
			if len(all) < 3 {
				t.Fatalf("only %d samples", len(all))
			}
			for _, s := range all {
				err := validValue(sch, s.body)
				if (err == nil) != s.accept {
					t.Errorf("%s: model accepts = %v, want %v (%#v)", s.name, err == nil, s.accept, err)
				}
				if docErr := validValue(docSch, s.body); (docErr == nil) != (err == nil) {
					t.Errorf("%s: the document's schema accepts = %v, the model %v", s.name, docErr == nil, err == nil)
				}
			}
		})
	}
	if withBody == 0 {
		t.Fatal("no operation has a request body")
	}
}

// checkGatewayKeywords fails on any keyword of schema (or its subschemas)
// outside gatewayKeywords, and on any $ref left.
func checkGatewayKeywords(t *testing.T, where string, schema map[string]any) {
	t.Helper()
	for k, v := range schema {
		if !slices.Contains(gatewayKeywords, k) {
			t.Errorf("%s: keyword %q in an API Gateway model", where, k)
		}
		switch k {
		case "properties":
			for name, sub := range object(v) {
				checkGatewayKeywords(t, where+"/properties/"+name, object(sub))
			}
		case "items", "additionalProperties":
			if sub := object(v); sub != nil {
				checkGatewayKeywords(t, where+"/"+k, sub)
			}
		}
	}
}

// TestRequestSchemasNeedNoOpenAPIKeyword checks that the document's request
// schemas use no keyword a model leaves out that would change what it
// accepts.
func TestRequestSchemasNeedNoOpenAPIKeyword(t *testing.T) {
	t.Parallel()
	doc := loadDocument(t)
	for id, op := range operations(t, doc) {
		rb := object(op.op["requestBody"])
		if rb == nil {
			continue
		}
		ref, _ := jsonSchemaRef(t, follow(t, doc, rb))
		var walk func(at string, s map[string]any)
		walk = func(at string, s map[string]any) {
			s = follow(t, doc, s)
			for _, k := range []string{"nullable", "format", "allOf", "anyOf", "oneOf", "not"} {
				if _, ok := s[k]; ok {
					t.Errorf("%s %s: request schema uses %s", id, at, k)
				}
			}
			for name, p := range object(s["properties"]) {
				walk(at+"/"+name, object(p))
			}
			if items := object(s["items"]); items != nil {
				walk(at+"/items", items)
			}
		}
		target, err := resolve(doc, ref)
		if err != nil {
			t.Fatal(err)
		}
		walk(ref, object(target))
	}
}

func TestRequestModelUnknownOrBodyless(t *testing.T) {
	t.Parallel()
	tests := []string{
		"no-such-operation", "", "users-get", "cart-get", "cart-remove-item", "api-openapi",
		"orders-get", "payments-refund-admin", "notifications-list", "dashboard-get",
	}
	for _, id := range tests {
		if model, ok := api.RequestModel(id); ok || model != nil {
			t.Errorf("RequestModel(%q) = %v, %v; want nil, false", id, model, ok)
		}
	}
}

func TestRequestModelReturnsFreshMaps(t *testing.T) {
	t.Parallel()
	first, ok := api.RequestModel("users-register")
	if !ok {
		t.Fatal("no model for users-register")
	}
	want, _ := api.RequestModel("users-register")
	delete(object(first["properties"]), "email")
	first["required"] = []any{}
	again, _ := api.RequestModel("users-register")
	if diff := cmp.Diff(want, again); diff != "" {
		t.Fatalf("a change to one model leaked into the next (-want +got):\n%s", diff)
	}
}
