package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/api"
	"github.com/goshop-dev/goshop/internal/routes"
)

// healthReport is the body of a health check's answers, its 503 included.
const healthReport = "#/components/schemas/HealthReport"

var (
	statusKey     = regexp.MustCompile(`^[1-5][0-9][0-9]$`)
	componentName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	pathParam     = regexp.MustCompile(`\{([^}/]+)\}`)
)

// TestDocumentIsOpenAPI3 checks the structure OpenAPI 3.0 requires of the
// document's top level, paths, operations, parameters and responses.
func TestDocumentIsOpenAPI3(t *testing.T) {
	t.Parallel()
	doc := loadDocument(t)
	if doc["openapi"] != "3.0.3" {
		t.Errorf("openapi = %v, want 3.0.3", doc["openapi"])
	}
	info := object(doc["info"])
	if s, _ := info["title"].(string); s != "goshop" {
		t.Errorf("info.title = %v, want goshop", info["title"])
	}
	if s, _ := info["version"].(string); s == "" {
		t.Error("info.version is missing")
	}
	servers, _ := doc["servers"].([]any)
	if len(servers) == 0 {
		t.Error("no servers")
	}
	for i, s := range servers {
		if u, _ := object(s)["url"].(string); u == "" {
			t.Errorf("servers[%d] has no url", i)
		}
	}
	for _, k := range keys(doc) {
		if !slices.Contains([]string{"openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs"}, k) {
			t.Errorf("unknown top-level field %q", k)
		}
	}
	tags := map[string]bool{}
	for _, tag := range doc["tags"].([]any) {
		tags[object(tag)["name"].(string)] = true
	}
	for kind, entries := range object(doc["components"]) {
		for name := range object(entries) {
			if !componentName.MatchString(name) {
				t.Errorf("components.%s.%s: name not allowed by OpenAPI", kind, name)
			}
		}
	}

	paths := object(doc["paths"])
	if len(paths) == 0 {
		t.Fatal("no paths")
	}
	for path, rawItem := range paths {
		if !strings.HasPrefix(path, "/") {
			t.Errorf("path %q does not start with /", path)
		}
		item := object(rawItem)
		for k := range item {
			if !slices.Contains(methods, k) && !slices.Contains([]string{"parameters", "summary", "description", "servers"}, k) {
				t.Errorf("%s: unknown path item field %q", path, k)
			}
		}
		for _, m := range methods {
			op := object(item[m])
			if op == nil {
				continue
			}
			where := strings.ToUpper(m) + " " + path
			checkOperation(t, doc, where, path, item, op, tags)
		}
	}
}

func checkOperation(t *testing.T, doc map[string]any, where, path string, item, op map[string]any, tags map[string]bool) {
	t.Helper()
	for _, tag := range op["tags"].([]any) {
		if !tags[tag.(string)] {
			t.Errorf("%s: tag %v is not declared", where, tag)
		}
	}
	if s, _ := op["summary"].(string); s == "" {
		t.Errorf("%s: no summary", where)
	}

	// Parameters: the operation's override the path item's by name and
	// location; every path template variable is declared, required, once.
	params := map[string]map[string]any{}
	for _, list := range []any{item["parameters"], op["parameters"]} {
		list, _ := list.([]any)
		for _, p := range list {
			p := follow(t, doc, object(p))
			name, _ := p["name"].(string)
			in, _ := p["in"].(string)
			if name == "" || !slices.Contains([]string{"query", "header", "path", "cookie"}, in) {
				t.Errorf("%s: parameter %v has no name or a bad location", where, p)
			}
			if object(p["schema"]) == nil {
				t.Errorf("%s: parameter %s has no schema", where, name)
			}
			params[in+":"+name] = p
		}
	}
	var inTemplate []string
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		inTemplate = append(inTemplate, m[1])
		p := params["path:"+m[1]]
		if p == nil {
			t.Errorf("%s: path parameter %s is not declared", where, m[1])
			continue
		}
		if p["required"] != true {
			t.Errorf("%s: path parameter %s is not required", where, m[1])
		}
	}
	for key := range params {
		if name, ok := strings.CutPrefix(key, "path:"); ok && !slices.Contains(inTemplate, name) {
			t.Errorf("%s: path parameter %s is not in the path", where, name)
		}
	}

	if rb := object(op["requestBody"]); rb != nil {
		rb = follow(t, doc, rb)
		if rb["required"] != true {
			t.Errorf("%s: request body is not required", where)
		}
		if _, ok := jsonSchemaRef(t, rb); !ok {
			t.Errorf("%s: request body has no application/json schema", where)
		}
	}

	responses := object(op["responses"])
	if len(responses) == 0 {
		t.Errorf("%s: no responses", where)
	}
	success := 0
	for status, r := range responses {
		if !statusKey.MatchString(status) && status != "default" {
			t.Errorf("%s: response key %q is not a status code", where, status)
		}
		if strings.HasPrefix(status, "2") {
			success++
		}
		r := follow(t, doc, object(r))
		if d, _ := r["description"].(string); d == "" {
			t.Errorf("%s %s: response has no description", where, status)
		}
		for name, h := range object(r["headers"]) {
			// A header's required defaults to false: saying it keeps a
			// header that is always sent from going unchecked.
			if _, ok := follow(t, doc, object(h))["required"].(bool); !ok {
				t.Errorf("%s %s: header %s does not say whether it is required", where, status, name)
			}
		}
		ref, hasBody := jsonSchemaRef(t, r)
		switch {
		case status == "503" && ref == healthReport:
			// A failing health check answers its report, not the envelope.
		case status >= "400" && ref != "#/components/schemas/Error":
			t.Errorf("%s %s: error response schema is %q, want the Error schema", where, status, ref)
		case (status == "204" || status == "304") && hasBody:
			t.Errorf("%s %s: a %s has no body", where, status, status)
		}
	}
	if success == 0 {
		t.Errorf("%s: no success response", where)
	}
	if !slices.Contains(keys(responses), "500") {
		t.Errorf("%s: the 500 every operation can answer is not documented", where)
	}
}

// TestDocumentIsIndented keeps the hand-written file in one layout: JSON
// indented by two spaces, ending with a newline.
func TestDocumentIsIndented(t *testing.T) {
	t.Parallel()
	raw := api.Document()
	var compact, want bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	want.WriteByte('\n')
	if diff := cmp.Diff(strings.Split(want.String(), "\n"), strings.Split(string(raw), "\n")); diff != "" {
		t.Errorf("openapi.json is not indented by two spaces (-want +got):\n%s", diff)
	}
}

// TestEveryRefResolvesAndEveryComponentIsUsed walks the whole document.
func TestEveryRefResolvesAndEveryComponentIsUsed(t *testing.T) {
	t.Parallel()
	doc := loadDocument(t)
	used := map[string]bool{}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if _, err := resolve(doc, ref); err != nil {
					t.Errorf("%s: %v", at, err)
				}
				used[ref] = true
			}
			for k, e := range v {
				walk(at+"/"+k, e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s/%d", at, i), e)
			}
		}
	}
	walk("#", doc)
	for kind, entries := range object(doc["components"]) {
		if kind == "securitySchemes" {
			continue // used by name in security requirements
		}
		for name := range object(entries) {
			if ref := "#/components/" + kind + "/" + name; !used[ref] {
				t.Errorf("%s is never referenced", ref)
			}
		}
	}
}

// TestOperationsAreTheRoutes checks that the document and internal/routes
// name the same operations, with the same methods and paths.
func TestOperationsAreTheRoutes(t *testing.T) {
	t.Parallel()
	ops := operations(t, loadDocument(t))
	type endpoint struct{ Method, Path string }
	want := map[string]endpoint{}
	for _, r := range routes.All {
		want[r.Function] = endpoint{r.Method, r.Path}
	}
	got := map[string]endpoint{}
	for id, op := range ops {
		got[id] = endpoint{op.method, op.path}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations differ from routes.All (-routes +document):\n%s", diff)
	}
}

// TestSecurity checks that the authenticated routes, and only they, need
// the bearer token.
func TestSecurity(t *testing.T) {
	t.Parallel()
	doc := loadDocument(t)
	scheme := object(object(object(doc["components"])["securitySchemes"])["bearerAuth"])
	want := map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
	for k, v := range want {
		if scheme[k] != v {
			t.Errorf("bearerAuth.%s = %v, want %v", k, scheme[k], v)
		}
	}
	bearer := []any{map[string]any{"bearerAuth": []any{}}}
	ops := operations(t, doc)
	for _, r := range routes.All {
		op, ok := ops[r.Function]
		if !ok {
			continue // reported by TestOperationsAreTheRoutes
		}
		security, declared := op.op["security"]
		if !declared {
			security = doc["security"] // the document's default
		}
		list, _ := security.([]any)
		switch r.Access {
		case routes.Authenticated:
			if diff := cmp.Diff(bearer, security); diff != "" {
				t.Errorf("%s: security (-want +got):\n%s", r.Function, diff)
			}
			if _, ok := response(t, doc, op, 401); !ok {
				t.Errorf("%s: the authenticated route does not document 401", r.Function)
			}
		case routes.Public:
			if len(list) != 0 {
				t.Errorf("%s: a public route declares security %v", r.Function, security)
			}
		}
	}
}

// TestSchemasAreClosed checks that every object schema names what it
// requires and refuses other fields, as the handlers refuse unknown fields
// and the tests of the responses need to notice a renamed one.
func TestSchemasAreClosed(t *testing.T) {
	t.Parallel()
	doc := loadDocument(t)
	for name, s := range object(object(doc["components"])["schemas"]) {
		if name == "OpenAPIDocument" {
			continue // the document itself, open to any OpenAPI field
		}
		walkSchema("#/components/schemas/"+name, object(s), func(at string, s map[string]any) {
			if _, ok := s["$ref"]; ok {
				return
			}
			if _, ok := s["type"].(string); !ok {
				t.Errorf("%s: no type", at)
			}
			if s["type"] != "object" {
				return
			}
			if s["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties is not false", at)
			}
			props := object(s["properties"])
			required, _ := s["required"].([]any)
			for _, r := range required {
				if _, ok := props[r.(string)]; !ok {
					t.Errorf("%s: required %v is not a property", at, r)
				}
			}
		})
	}
}

// walkSchema calls fn on s and each of its subschemas.
func walkSchema(at string, s map[string]any, fn func(at string, s map[string]any)) {
	fn(at, s)
	for name, p := range object(s["properties"]) {
		walkSchema(at+"/properties/"+name, object(p), fn)
	}
	if items := object(s["items"]); items != nil {
		walkSchema(at+"/items", items, fn)
	}
	if ap := object(s["additionalProperties"]); ap != nil {
		walkSchema(at+"/additionalProperties", ap, fn)
	}
}

// TestSchemasCompile compiles every reusable schema as draft 4.
func TestSchemasCompile(t *testing.T) {
	t.Parallel()
	doc := loadDocument(t)
	s := newSchemas(t)
	for _, name := range keys(object(object(doc["components"])["schemas"])) {
		s.at(t, "#/components/schemas/"+name)
	}
	if err := validValue(s.at(t, "#/components/schemas/OpenAPIDocument"), doc); err != nil {
		t.Errorf("the document is not an OpenAPIDocument: %#v", err)
	}
}

// TestErrorExamples checks that every error example is an Error whose code
// is the name it is listed under.
func TestErrorExamples(t *testing.T) {
	t.Parallel()
	doc := loadDocument(t)
	errSchema := newSchemas(t).at(t, "#/components/schemas/Error")
	for name, ex := range object(object(doc["components"])["examples"]) {
		if err := validValue(errSchema, object(ex)["value"]); err != nil {
			t.Errorf("example %s is not an Error: %#v", name, err)
		}
	}
	check := func(where string, r map[string]any) {
		media := object(object(r["content"])["application/json"])
		for key, ex := range object(media["examples"]) {
			value := object(follow(t, doc, object(ex))["value"])
			if code := object(value["error"])["code"]; code != key {
				t.Errorf("%s: example %q has code %v", where, key, code)
			}
		}
	}
	for name, r := range object(object(doc["components"])["responses"]) {
		check("#/components/responses/"+name, object(r))
	}
	for id, op := range operations(t, doc) {
		for status, r := range object(op.op["responses"]) {
			r := follow(t, doc, object(r))
			check(id+" "+status, r)
			if ref, _ := jsonSchemaRef(t, r); ref == healthReport {
				continue // a health report, which has no error code
			}
			if status >= "400" && len(documentedCodes(t, doc, r)) == 0 {
				t.Errorf("%s %s: no example names the error codes", id, status)
			}
		}
	}
}
