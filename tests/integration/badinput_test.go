package integration

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestBadInputEveryOperation sends every operation of the OpenAPI document
// the stack serves (fetched at run time, so a new route is covered without
// touching this file) the inputs a client may get wrong or an attacker may
// try: malformed JSON, wrong types, missing and unknown fields, huge bodies,
// ids that cannot be ids and bad query values. Each must be refused with a
// 4xx carrying the error envelope, never a 5xx. Every failure is reported,
// with its route and case, so one run lists them all.
func TestBadInputEveryOperation(t *testing.T) {
	t.Parallel()
	doc := fetchAPIDocument(t)
	boss := admin(t)
	customer := newUser(t)
	p := newProduct(t, unique("badinput"), 10)
	o := settled(t, customer, placeOrder(t, customer, checkoutBody("tok_visa", line{ProductID: p.ID, Quantity: 1})))
	if o.Status != "CONFIRMED" || o.PaymentID == "" {
		t.Fatalf("order %s: %s, payment %q; want CONFIRMED with a payment", o.ID, o.Status, o.PaymentID)
	}
	ops := doc.operations(t)
	if len(ops) == 0 {
		t.Fatal("the OpenAPI document has no operation")
	}
	for _, op := range ops {
		t.Run(op.method+" "+op.path, func(t *testing.T) {
			t.Parallel()
			caller := ""
			if op.authenticated {
				caller = customer.Token
				if op.admin {
					caller = boss.Token
				}
			}
			// The user id is the caller's own, so that only the bad input
			// can be why the request is refused.
			ids := validIDs{user: customer.ID, product: p.ID, order: o.ID, payment: o.PaymentID, category: p.Category}
			if caller == boss.Token {
				ids.user = boss.ID
			}
			path, err := ids.fill(op, "", "")
			if err != nil {
				t.Fatalf("%s %s: %v", op.method, op.path, err)
			}
			who := "anonymously"
			switch caller {
			case customer.Token:
				who = "as a customer"
			case boss.Token:
				who = "as the admin"
			}
			b := badInput{t: t, op: op, token: caller, who: who, path: path, ids: ids}
			b.bodyCases()
			b.queryCases()
			b.pathCases()
			if caller == customer.Token {
				// An admin may name any user, so a bad id gets past the
				// ownership check to the service itself.
				ids.user = boss.ID
				b.ids, b.token, b.who = ids, boss.Token, "as the admin"
				b.pathCases()
			}
		})
	}
}

// badInput sends the bad inputs of one operation.
type badInput struct {
	t     *testing.T
	op    apiOperation
	token string
	who   string // who the caller is, for the failure messages
	path  string // with valid ids
	ids   validIDs
}

// expectation is what the API must answer a case with.
type expectation struct {
	statuses []int // one of these; empty: any 4xx
	// lenient: the operation takes no body, which the contract says is
	// ignored: any answer but a 5xx will do, and a 4xx must still be the
	// envelope.
	lenient bool
}

func (b badInput) send(name string, req request, exp expectation) {
	b.t.Helper()
	route := b.op.method + " " + b.op.path + " (" + b.who + ")"
	res, err := send(req)
	if err != nil {
		b.t.Errorf("%s, %s: %s %s: %v", route, name, req.method, req.path, err)
		return
	}
	if res.status >= 500 {
		b.t.Errorf("%s, %s: %s %s = %s, want a 4xx", route, name, req.method, req.path, res)
		return
	}
	if exp.lenient && res.status < 300 {
		return
	}
	switch {
	case len(exp.statuses) > 0 && !containsInt(exp.statuses, res.status):
		b.t.Errorf("%s, %s: %s %s = %s, want one of %v", route, name, req.method, req.path, res, exp.statuses)
		return
	case len(exp.statuses) == 0 && (res.status < 400 || res.status > 499):
		b.t.Errorf("%s, %s: %s %s = %s, want a 4xx", route, name, req.method, req.path, res)
		return
	}
	if problem := envelopeProblem(res); problem != "" {
		b.t.Errorf("%s, %s: %s %s = %s: %s", route, name, req.method, req.path, res, problem)
	}
}

func (b badInput) request(path string, raw []byte) request {
	req := request{method: b.op.method, path: path, token: b.token, raw: raw, headers: map[string]string{}}
	for _, p := range b.op.params {
		// A required header (the checkout's Idempotency-Key) is sent
		// valid, so that the body is what gets refused.
		if p.In == "header" && p.Required {
			req.headers[p.Name] = unique("bad")
		}
	}
	return req
}

// hugeBody is the huge body case's expectation. A valid body padded with
// whitespace passes API Gateway's request model, so the function's own
// limit (65536 bytes) is what refuses it.
func hugeBody() expectation {
	if stack.name == "aws" {
		// A deployed stack has AWS WAF in front of the API, whose
		// body-size rule blocks a large body first: WAF_FILTERED, which
		// the API's gateway response answers 403 `forbidden`.
		return expectation{statuses: []int{http.StatusForbidden, http.StatusRequestEntityTooLarge}}
	}
	return expectation{statuses: []int{http.StatusRequestEntityTooLarge}}
}

// bodyCases sends the body cases, to every operation but a GET.
func (b badInput) bodyCases() {
	if b.op.method == http.MethodGet || b.op.method == http.MethodHead {
		return
	}
	example := b.op.example
	if example == nil {
		example = json.RawMessage(`{}`)
	}
	pad := func(n int) []byte { return append(append([]byte{}, example...), bytes.Repeat([]byte(" "), n)...) }
	if b.op.body == nil {
		// The operation takes no body; the contract says one sent is
		// ignored. Only check that none of them breaks it.
		lenient := expectation{lenient: true}
		b.send("malformed JSON body", b.request(b.path, []byte(`{"`)), lenient)
		b.send("huge body (70 KiB)", b.request(b.path, pad(70<<10)), lenient)
		b.send("huge body (1 MiB)", b.request(b.path, pad(1<<20)), lenient)
		return
	}
	bad := expectation{statuses: []int{http.StatusBadRequest}}
	b.send("malformed JSON (truncated)", b.request(b.path, []byte(`{"`+firstProperty(b.op.body)+`": `)), bad)
	b.send("malformed JSON (single quotes)", b.request(b.path, []byte(`{'`+firstProperty(b.op.body)+`': 1}`)), bad)
	b.send("two JSON objects", b.request(b.path, append(append([]byte{}, example...), example...)), bad)
	b.send("empty body", b.request(b.path, []byte{}), bad)
	b.send("null body", b.request(b.path, []byte(`null`)), bad)
	b.send("an array instead of the object", b.request(b.path, append(append([]byte("["), example...), ']')), bad)
	b.send("a string instead of the object", b.request(b.path, []byte(`"`+firstProperty(b.op.body)+`"`)), bad)
	b.send("missing required fields ({})", b.request(b.path, []byte(`{}`)), expectation{statuses: []int{http.StatusBadRequest, http.StatusUnprocessableEntity}})
	unknown := decodeExample(b.t, example)
	unknown["unexpectedField"] = true
	b.send("unknown field", b.request(b.path, mustJSON(b.t, unknown)), bad)
	for _, c := range wrongTypeCases(b.op.doc, b.op.body, decodeExample(b.t, example), nil) {
		body := decodeExample(b.t, example)
		setAt(body, c.at, c.value)
		b.send(c.name, b.request(b.path, mustJSON(b.t, body)), bad)
	}
	req := b.request(b.path, example)
	req.headers["Content-Type"] = "text/plain"
	b.send("a text/plain body", req, expectation{statuses: []int{http.StatusBadRequest, http.StatusUnsupportedMediaType}})
	b.send("huge body (70 KiB)", b.request(b.path, pad(70<<10)), hugeBody())
	b.send("huge body (1 MiB)", b.request(b.path, pad(1<<20)), hugeBody())
}

// queryCases sends bad values of each query parameter, the others valid.
func (b badInput) queryCases() {
	var query []apiParameter
	for _, p := range b.op.params {
		if p.In == "query" {
			query = append(query, p)
		}
	}
	if len(query) == 0 {
		return
	}
	bad := expectation{statuses: []int{http.StatusBadRequest}}
	for _, p := range query {
		var values []string
		switch {
		case p.Name == "limit":
			values = []string{"0", "-1", "abc", "1.5", "1e2", "99999999999999999999"}
			if p.Schema != nil && p.Schema.Maximum != nil {
				values = append(values, strconv.Itoa(int(*p.Schema.Maximum)+1))
			}
		case p.Name == "cursor":
			values = []string{
				"garbage!",
				"AAAA", // base64url of three zero bytes: not JSON
				base64.RawURLEncoding.EncodeToString([]byte(`{"id":"x"}`)), // well-formed, of no list
				base64.RawURLEncoding.EncodeToString([]byte(`["a"]`)),
			}
		case p.Schema != nil && p.Schema.Type == "string":
			values = []string{"a\x00b"} // no string parameter takes control characters
			if p.Schema.Pattern != "" {
				if re, err := regexp.Compile(p.Schema.Pattern); err == nil && !re.MatchString("<script>") {
					values = append(values, "<script>")
				}
			}
		case p.Schema != nil && p.Schema.Type == "integer":
			values = []string{"abc"}
		}
		if p.Schema != nil && p.Schema.MaxLength != nil {
			values = append(values, strings.Repeat("a", *p.Schema.MaxLength+1))
		}
		for _, v := range values {
			q := b.ids.query(query)
			q.Set(p.Name, v)
			name := fmt.Sprintf("query %s=%.40q", p.Name, v)
			var raw []byte
			if b.op.body != nil {
				raw = b.op.example
			}
			b.send(name, b.request(b.path+"?"+q.Encode(), raw), bad)
		}
	}
}

// badIDs are path values that cannot be ids, as they go in the URL.
var badIDs = []struct{ name, escaped string }{
	{"an id over 64 characters", strings.Repeat("a", 65)},
	{"a NUL id (%00)", "%00"},
	{"a traversal id (..%2F)", "..%2F"},
	{"a dot-dot id (%2E%2E)", "%2E%2E"},
	{"an id with a space (a%20b)", "a%20b"},
	{"an id with markup (%3Cx%3E)", "%3Cx%3E"},
	{"a non-ASCII id (%C3%A9)", "%C3%A9"},
	{"an id with a quote (a%22b)", "a%22b"},
}

// pathCases sends each path parameter bad, the rest of the request valid.
func (b badInput) pathCases() {
	var raw []byte
	if b.op.body != nil {
		raw = b.op.example
	}
	for _, p := range b.op.params {
		if p.In != "path" {
			continue
		}
		for _, bad := range badIDs {
			path, err := b.ids.fill(b.op, p.Name, bad.escaped)
			if err != nil {
				b.t.Errorf("%s %s: %v", b.op.method, b.op.path, err)
				return
			}
			name := fmt.Sprintf("path %s: %s", p.Name, bad.name)
			b.send(name, b.request(path, raw), expectation{statuses: []int{http.StatusBadRequest, http.StatusNotFound}})
		}
	}
}

// validIDs are ids that exist, to fill the path parameters not under test.
type validIDs struct {
	user, product, order, payment string
	category                      string
}

// fill returns op's path with its parameters filled, bad (already escaped)
// in the one named param.
func (ids validIDs) fill(op apiOperation, param, bad string) (string, error) {
	segs := strings.Split(op.path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
			continue
		}
		name := strings.Trim(s, "{}+")
		if name == param {
			segs[i] = bad
			continue
		}
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		var v string
		switch {
		case name == "productId" || prev == "products":
			v = ids.product
		case prev == "users":
			v = ids.user
		case prev == "orders":
			v = ids.order
		case prev == "payments":
			v = ids.payment
		}
		if v == "" {
			return "", fmt.Errorf("no valid id for path parameter %s: add one to validIDs", name)
		}
		segs[i] = url.PathEscape(v)
	}
	return strings.Join(segs, "/"), nil
}

// query returns valid values of the operation's query parameters that
// narrow a search, so that the one under test is what gets refused.
func (ids validIDs) query(params []apiParameter) url.Values {
	q := url.Values{}
	for _, p := range params {
		if p.Name == "category" {
			q.Set("category", ids.category)
		}
	}
	return q
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// envelopeProblem says how res is not the API's error envelope
// {"error": {"code", "message", "requestId"}}, "" when it is.
func envelopeProblem(res response) string {
	var e struct {
		Error *struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			RequestID string `json:"requestId"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return "the body is not the error envelope: " + err.Error()
	}
	switch {
	case e.Error == nil:
		return "the body has no error object"
	case !snakeCase.MatchString(e.Error.Code):
		return fmt.Sprintf("error code %q is not snake_case", e.Error.Code)
	case e.Error.Message == "":
		return "the error has no message"
	case e.Error.RequestID == "":
		return "the error has no requestId"
	}
	return ""
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// typeCase is a body with the value at one place of the wrong type.
type typeCase struct {
	name  string
	at    []any // keys and indices from the root
	value any
}

// wrongTypeCases lists, for each property the schema names (nested
// objects and the first element of arrays of objects included), a value of
// another type: a string for a number, a number for a string, an object for
// an array, an array for an object.
func wrongTypeCases(doc *apiDocument, s *apiSchema, example any, at []any) []typeCase {
	s = doc.resolve(s)
	if s == nil {
		return nil
	}
	var out []typeCase
	obj, _ := example.(map[string]any)
	for _, name := range sortedKeys(s.Properties) {
		prop := doc.resolve(s.Properties[name])
		here := append(append([]any{}, at...), name)
		if v := wrongValue(prop); v != nil {
			out = append(out, typeCase{name: fmt.Sprintf("wrong type: %s as %s", pathString(here), describe(v)), at: here, value: v})
		}
		switch prop.Type {
		case "object":
			if sub, ok := obj[name].(map[string]any); ok {
				out = append(out, wrongTypeCases(doc, prop, sub, here)...)
			}
		case "array":
			if list, ok := obj[name].([]any); ok && len(list) > 0 && prop.Items != nil {
				if first, ok := list[0].(map[string]any); ok {
					out = append(out, wrongTypeCases(doc, prop.Items, first, append(here, 0))...)
				}
			}
		}
	}
	return out
}

func wrongValue(s *apiSchema) any {
	switch s.Type {
	case "integer", "number":
		return "12"
	case "string":
		return 12345
	case "boolean":
		return "true"
	case "array":
		return map[string]any{"0": "an object, not an array"}
	case "object":
		return []any{"an array, not an object"}
	}
	return nil
}

func describe(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func pathString(at []any) string {
	var sb strings.Builder
	for i, k := range at {
		switch k := k.(type) {
		case int:
			fmt.Fprintf(&sb, "[%d]", k)
		default:
			if i > 0 {
				sb.WriteByte('.')
			}
			fmt.Fprint(&sb, k)
		}
	}
	return sb.String()
}

// setAt sets the value at the place at of root, creating objects on the
// way when the example lacks them.
func setAt(root map[string]any, at []any, v any) {
	var cur any = root
	for i, k := range at {
		last := i == len(at)-1
		switch c := cur.(type) {
		case map[string]any:
			key := k.(string)
			if last {
				c[key] = v
				return
			}
			if _, ok := c[key]; !ok {
				c[key] = map[string]any{}
			}
			cur = c[key]
		case []any:
			idx := k.(int)
			if last {
				c[idx] = v
				return
			}
			cur = c[idx]
		}
	}
}

func decodeExample(t testing.TB, example json.RawMessage) map[string]any {
	t.Helper()
	m := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(example))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("the document's example %s is not a JSON object: %v", example, err)
	}
	return m
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func firstProperty(s *apiSchema) string {
	if s == nil || len(s.Properties) == 0 {
		return "field"
	}
	return sortedKeys(s.Properties)[0]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
