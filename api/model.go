package api

import (
	"encoding/json"
	"fmt"
	"strings"
)

// draft4 is the $schema of the models RequestModel returns.
const draft4 = "http://json-schema.org/draft-04/schema#"

// methods are the operation keys of an OpenAPI path item.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPIOnly are the schema keywords of OpenAPI 3.0 that JSON Schema draft
// 4 lacks, or that API Gateway models must not rely on (format). The request
// schemas of the document use neither nullable nor format, so leaving them
// out changes nothing the models accept; the tests hold the document to it.
var openAPIOnly = map[string]bool{
	"nullable": true, "example": true, "examples": true, "readOnly": true, "writeOnly": true,
	"deprecated": true, "discriminator": true, "xml": true, "externalDocs": true, "format": true,
}

// RequestModel returns the JSON schema of the application/json request body
// of operation operationID, for an API Gateway model: every $ref inlined,
// OpenAPI-only keywords (nullable, example, readOnly, format, x-...) left
// out, and "$schema" naming draft 4. ok is false for an unknown operation
// or one without a JSON request body. Each call returns a new map.
//
// It panics if the document is broken (malformed, or a $ref that does not
// resolve): the document is compiled in, and its tests catch that.
func RequestModel(operationID string) (model map[string]any, ok bool) {
	var doc map[string]any
	if err := json.Unmarshal(document, &doc); err != nil {
		panic(fmt.Sprintf("api: openapi.json: %v", err))
	}
	op, found := operation(doc, operationID)
	if !found {
		return nil, false
	}
	body, isObj := op["requestBody"].(map[string]any)
	if !isObj {
		return nil, false
	}
	body = deref(doc, body, nil)
	content, _ := body["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	schema, isObj := media["schema"].(map[string]any)
	if !isObj {
		return nil, false
	}
	model = inline(doc, schema, nil)
	model["$schema"] = draft4
	return model, true
}

// operation finds the operation named operationID among doc's paths.
func operation(doc map[string]any, operationID string) (map[string]any, bool) {
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		item, _ := item.(map[string]any)
		for _, m := range methods {
			if op, ok := item[m].(map[string]any); ok && op["operationId"] == operationID {
				return op, true
			}
		}
	}
	return nil, false
}

// deref follows obj's $ref, if it has one, to the object it names. seen
// holds the references being followed, to refuse a cycle.
func deref(doc, obj map[string]any, seen []string) map[string]any {
	ref, ok := obj["$ref"].(string)
	if !ok {
		return obj
	}
	for _, s := range seen {
		if s == ref {
			panic(fmt.Sprintf("api: openapi.json: $ref cycle through %s", ref))
		}
	}
	target, err := resolve(doc, ref)
	if err != nil {
		panic(fmt.Sprintf("api: openapi.json: %v", err))
	}
	next, ok := target.(map[string]any)
	if !ok {
		panic(fmt.Sprintf("api: openapi.json: $ref %s is not an object", ref))
	}
	return deref(doc, next, append(seen, ref))
}

// inline returns a copy of schema with every $ref replaced by the schema it
// names and the OpenAPI-only keywords left out. It walks the
// keywords that hold subschemas, so a property named like a keyword (say
// "example") is kept.
func inline(doc, schema map[string]any, seen []string) map[string]any {
	if ref, ok := schema["$ref"].(string); ok {
		// OpenAPI 3.0 ignores the siblings of a $ref.
		return inline(doc, deref(doc, schema, seen), append(seen, ref))
	}
	out := make(map[string]any, len(schema))
	for k, v := range schema {
		switch {
		case openAPIOnly[k], strings.HasPrefix(k, "x-"):
			continue
		case k == "properties" || k == "patternProperties" || k == "definitions":
			props := map[string]any{}
			for name, sub := range v.(map[string]any) {
				props[name] = inline(doc, sub.(map[string]any), seen)
			}
			out[k] = props
		case k == "items" || k == "additionalProperties" || k == "not":
			if sub, ok := v.(map[string]any); ok {
				out[k] = inline(doc, sub, seen)
			} else {
				out[k] = v
			}
		case k == "allOf" || k == "anyOf" || k == "oneOf":
			var subs []any
			for _, sub := range v.([]any) {
				subs = append(subs, inline(doc, sub.(map[string]any), seen))
			}
			out[k] = subs
		default:
			out[k] = clone(v)
		}
	}
	return out
}

// clone deep-copies a decoded JSON value, so that two inlined copies of one
// schema share nothing.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = clone(e)
		}
		return out
	default:
		return v
	}
}

// resolve returns the value a local reference such as
// "#/components/schemas/User" names in doc, a decoded JSON document.
func resolve(doc any, ref string) (any, error) {
	ptr, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, fmt.Errorf("$ref %q is not local to the document", ref)
	}
	if ptr == "" {
		return doc, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("$ref %q is not a JSON pointer", ref)
	}
	cur := doc
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: %q is not in an object", ref, tok)
		}
		if cur, ok = obj[tok]; !ok {
			return nil, fmt.Errorf("$ref %q: no %q", ref, tok)
		}
	}
	return cur, nil
}
