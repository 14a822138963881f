package integration

// The OpenAPI document the API serves, read at run time so that the
// scenarios that walk every operation cover new routes without change.

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// apiDocument is what the suite reads of the OpenAPI document.
type apiDocument struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Security   []map[string][]string                 `json:"security"`
	Components struct {
		Parameters map[string]apiParameter `json:"parameters"`
		Schemas    map[string]*apiSchema   `json:"schemas"`
	} `json:"components"`
}

type apiParameter struct {
	Ref      string     `json:"$ref"`
	Name     string     `json:"name"`
	In       string     `json:"in"`
	Required bool       `json:"required"`
	Schema   *apiSchema `json:"schema"`
}

type apiSchema struct {
	Ref        string                `json:"$ref"`
	Type       string                `json:"type"`
	Properties map[string]*apiSchema `json:"properties"`
	Items      *apiSchema            `json:"items"`
	Required   []string              `json:"required"`
	MaxLength  *int                  `json:"maxLength"`
	Pattern    string                `json:"pattern"`
	Maximum    *float64              `json:"maximum"`
}

type rawOperation struct {
	OperationID string                     `json:"operationId"`
	Parameters  []apiParameter             `json:"parameters"`
	Security    *[]map[string][]string     `json:"security"`
	Responses   map[string]json.RawMessage `json:"responses"`
	RequestBody *struct {
		Content map[string]struct {
			Schema  *apiSchema      `json:"schema"`
			Example json.RawMessage `json:"example"`
		} `json:"content"`
	} `json:"requestBody"`
}

// apiOperation is one operation of the document, references resolved.
type apiOperation struct {
	doc           *apiDocument
	id            string
	method, path  string
	params        []apiParameter // the path item's and the operation's
	body          *apiSchema     // the application/json request schema; nil when none
	example       json.RawMessage
	authenticated bool
	admin         bool // it documents 403: it needs the admin role
}

var apiDoc struct {
	sync.Mutex
	doc *apiDocument
}

// fetchAPIDocument reads the OpenAPI document the stack serves, once.
func fetchAPIDocument(t testing.TB) *apiDocument {
	t.Helper()
	apiDoc.Lock()
	defer apiDoc.Unlock()
	if apiDoc.doc != nil {
		return apiDoc.doc
	}
	res := call(t, request{method: "GET", path: "/openapi.json"})
	want(t, "GET /openapi.json", res, http.StatusOK)
	var d apiDocument
	res.decode(t, &d)
	if len(d.Paths) == 0 {
		t.Fatalf("the OpenAPI document has no paths: %s", res)
	}
	apiDoc.doc = &d
	return apiDoc.doc
}

func (d *apiDocument) resolve(s *apiSchema) *apiSchema {
	for i := 0; s != nil && s.Ref != "" && i < 10; i++ {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

func (d *apiDocument) parameter(p apiParameter) apiParameter {
	if p.Ref != "" {
		return d.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
	}
	return p
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true, "trace": true}

// operations lists the document's operations, by path then method.
func (d *apiDocument) operations(t testing.TB) []apiOperation {
	t.Helper()
	var out []apiOperation
	for _, path := range sortedKeys(d.Paths) {
		item := d.Paths[path]
		var shared []apiParameter
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				t.Fatalf("%s: parameters: %v", path, err)
			}
		}
		for _, method := range sortedKeys(item) {
			if !httpMethods[method] {
				continue
			}
			var ro rawOperation
			if err := json.Unmarshal(item[method], &ro); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			op := apiOperation{doc: d, id: ro.OperationID, method: strings.ToUpper(method), path: path}
			byName := map[string]int{}
			for _, p := range append(append([]apiParameter{}, shared...), ro.Parameters...) {
				p = d.parameter(p)
				if i, ok := byName[p.In+" "+p.Name]; ok {
					op.params[i] = p // the operation's overrides the path item's
					continue
				}
				byName[p.In+" "+p.Name] = len(op.params)
				op.params = append(op.params, p)
			}
			if ro.RequestBody != nil {
				if c, ok := ro.RequestBody.Content["application/json"]; ok {
					op.body, op.example = d.resolve(c.Schema), c.Example
				}
			}
			security := d.Security
			if ro.Security != nil {
				security = *ro.Security
			}
			op.authenticated = len(security) > 0
			_, op.admin = ro.Responses["403"]
			out = append(out, op)
		}
	}
	return out
}
