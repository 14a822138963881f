package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/goshop-dev/goshop/api"
)

// docURL is where the schema compiler finds the document.
const docURL = "https://goshop.example/openapi.json"

// methods are the operation keys of an OpenAPI path item.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operation is one operation of the document with where it lives.
type operation struct {
	path   string
	method string // upper case
	item   map[string]any
	op     map[string]any
}

// loadDocument decodes the document.
func loadDocument(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.Document(), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return doc
}

// object returns v as a JSON object, or nil.
func object(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// operations indexes the document's operations by operationId.
func operations(t *testing.T, doc map[string]any) map[string]operation {
	t.Helper()
	ops := map[string]operation{}
	for path, item := range object(doc["paths"]) {
		for _, m := range methods {
			op := object(object(item)[m])
			if op == nil {
				continue
			}
			id, _ := op["operationId"].(string)
			if id == "" {
				t.Fatalf("%s %s has no operationId", strings.ToUpper(m), path)
			}
			if prev, dup := ops[id]; dup {
				t.Fatalf("operationId %s used by %s %s and %s %s", id, prev.method, prev.path, strings.ToUpper(m), path)
			}
			ops[id] = operation{path: path, method: strings.ToUpper(m), item: object(item), op: op}
		}
	}
	return ops
}

// resolve returns what the local reference ref names in doc. It is the
// tests' own reading of JSON pointers, independent of package api's.
func resolve(doc any, ref string) (any, error) {
	ptr, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("%q is not a local JSON pointer", ref)
	}
	cur := doc
	for _, tok := range strings.Split(ptr, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		next, ok := object(cur)[tok]
		if !ok {
			return nil, fmt.Errorf("%s: nothing at %q", ref, tok)
		}
		cur = next
	}
	return cur, nil
}

// follow returns obj, or the object its $ref chain ends at.
func follow(t *testing.T, doc, obj map[string]any) map[string]any {
	t.Helper()
	for range 10 {
		ref, ok := obj["$ref"].(string)
		if !ok {
			return obj
		}
		target, err := resolve(doc, ref)
		if err != nil {
			t.Fatal(err)
		}
		obj = object(target)
	}
	t.Fatalf("$ref chain too long")
	return nil
}

// response returns the response operation id documents for status; ok is
// false when it documents none.
func response(t *testing.T, doc map[string]any, op operation, status int) (map[string]any, bool) {
	t.Helper()
	r := object(object(op.op["responses"])[strconv.Itoa(status)])
	if r == nil {
		return nil, false
	}
	return follow(t, doc, r), true
}

// jsonSchemaRef returns the $ref of the application/json schema of a
// request body or response, and whether it has JSON content at all. Every
// body schema of the document is a reference to components.schemas.
func jsonSchemaRef(t *testing.T, bodyOrResponse map[string]any) (string, bool) {
	t.Helper()
	content := object(bodyOrResponse["content"])
	if content == nil {
		return "", false
	}
	media := object(content["application/json"])
	if media == nil || len(content) != 1 {
		t.Fatalf("content types %v, want application/json alone", keys(content))
	}
	ref, _ := object(media["schema"])["$ref"].(string)
	if !strings.HasPrefix(ref, "#/components/schemas/") {
		t.Fatalf("body schema %v is not a reference to components.schemas", media["schema"])
	}
	return ref, true
}

// documentedCodes lists the error codes of a response's examples.
func documentedCodes(t *testing.T, doc, resp map[string]any) []string {
	t.Helper()
	var codes []string
	media := object(object(resp["content"])["application/json"])
	for _, ex := range object(media["examples"]) {
		value := object(follow(t, doc, object(ex))["value"])
		if code, ok := object(value["error"])["code"].(string); ok {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	return codes
}

// requestExample returns the documented example body of an operation.
func requestExample(t *testing.T, doc map[string]any, op operation) map[string]any {
	t.Helper()
	body := follow(t, doc, object(op.op["requestBody"]))
	ex := object(object(object(body["content"])["application/json"])["example"])
	if ex == nil {
		t.Fatalf("%s has no request example", op.op["operationId"])
	}
	return ex
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// schemas compiles schemas of the document (draft 4, formats asserted,
// OpenAPI's nullable read as draft 4 has it).
type schemas struct {
	c        *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

func newSchemas(t *testing.T) *schemas {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.Document()))
	if err != nil {
		t.Fatal(err)
	}
	draft4Nullable(t, "#", doc)
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.AssertFormat()
	if err := c.AddResource(docURL, doc); err != nil {
		t.Fatal(err)
	}
	return &schemas{c: c, compiled: map[string]*jsonschema.Schema{}}
}

// draft4Nullable rewrites, in place, every schema of v marked nullable into
// its draft 4 equivalent: OpenAPI 3.0.3's "nullable": true adds null to the
// type of the same schema, which draft 4 says as a list of types. Draft 4
// would ignore nullable and refuse the nulls the handlers send. nullable
// without a type of its own is ignored by OpenAPI, so the document must
// not use it that way.
func draft4Nullable(t *testing.T, at string, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if nullable, ok := v["nullable"]; ok && nullable != false {
			typ, isString := v["type"].(string)
			if nullable != true || !isString {
				t.Fatalf("%s: nullable %v with type %v; want true beside one type", at, nullable, v["type"])
			}
			v["type"] = []any{typ, "null"}
			delete(v, "nullable")
		}
		for k, e := range v {
			draft4Nullable(t, at+"/"+k, e)
		}
	case []any:
		for i, e := range v {
			draft4Nullable(t, fmt.Sprintf("%s/%d", at, i), e)
		}
	}
}

// at compiles the schema the local reference ref names.
func (s *schemas) at(t *testing.T, ref string) *jsonschema.Schema {
	t.Helper()
	if sch, ok := s.compiled[ref]; ok {
		return sch
	}
	sch, err := s.c.Compile(docURL + ref)
	if err != nil {
		t.Fatalf("compile %s: %v", ref, err)
	}
	s.compiled[ref] = sch
	return sch
}

// compileModel compiles a request model the way API Gateway receives it:
// marshalled to JSON, as draft 4.
func compileModel(t *testing.T, name string, model map[string]any) *jsonschema.Schema {
	t.Helper()
	raw, err := json.Marshal(model)
	if err != nil {
		t.Fatalf("model %s does not marshal: %v", name, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	url := "https://goshop.example/models/" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("model %s does not compile as draft 4: %v", name, err)
	}
	return sch
}

// validJSON validates a JSON text against sch.
func validJSON(sch *jsonschema.Schema, body []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(inst)
}

// validValue validates a decoded JSON value against sch, as JSON.
func validValue(sch *jsonschema.Schema, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return validJSON(sch, raw)
}

// isJSON reports whether a Content-Type header names JSON.
func isJSON(h http.Header) bool {
	return strings.HasPrefix(h.Get("Content-Type"), "application/json")
}
