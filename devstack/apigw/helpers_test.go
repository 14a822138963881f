package apigw_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/goshop-dev/goshop/devstack/apigw"
	"github.com/goshop-dev/goshop/devstack/lambdart"
	"github.com/goshop-dev/goshop/devstack/template"
)

// loadAPI loads the app's REST API from the template package's copy of the
// synthesized template.
func loadAPI(t *testing.T) *template.RestAPI {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "template", "testdata", "goshop-dev.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := template.Load(data, template.Options{StackName: "goshop-dev", AWSEndpoint: "http://127.0.0.1:4566", APIEndpoint: "http://127.0.0.1:3000"})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(s.RestAPIs) != 1 {
		t.Fatalf("%d REST APIs, want 1", len(s.RestAPIs))
	}
	return s.RestAPIs[0]
}

// functionOf returns the function of a route of the API.
func functionOf(t *testing.T, api *template.RestAPI, method, path string) string {
	t.Helper()
	res, ok := api.Resource(path)
	if !ok {
		t.Fatalf("no resource %s", path)
	}
	m, ok := res.Method(method)
	if !ok || m.Integration.FunctionName == "" {
		t.Fatalf("no function behind %s %s", method, path)
	}
	return m.Integration.FunctionName
}

// call is one invocation the fake Lambda received.
type call struct {
	name    string
	payload []byte
}

// fakeLambda is a Lambda service whose functions are Go funcs; it records
// every invocation.
type fakeLambda struct {
	mu       sync.Mutex
	calls    []call
	handlers map[string]func(ctx context.Context, payload []byte) (lambdart.Result, error)
}

func newFakeLambda() *fakeLambda {
	return &fakeLambda{handlers: map[string]func(context.Context, []byte) (lambdart.Result, error){}}
}

func (f *fakeLambda) handle(name string, h func(ctx context.Context, payload []byte) (lambdart.Result, error)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[name] = h
}

func (f *fakeLambda) Invoke(ctx context.Context, name string, payload []byte) (lambdart.Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, call{name: name, payload: append([]byte(nil), payload...)})
	h := f.handlers[name]
	f.mu.Unlock()
	if h == nil {
		return lambdart.Result{}, lambdart.ErrFunctionNotFound
	}
	return h(ctx, payload)
}

// callsTo returns the payloads sent to a function.
func (f *fakeLambda) callsTo(name string) [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out [][]byte
	for _, c := range f.calls {
		if c.name == name {
			out = append(out, c.payload)
		}
	}
	return out
}

func (f *fakeLambda) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// respond makes a function answering a proxy response.
func respond(resp events.APIGatewayProxyResponse) func(context.Context, []byte) (lambdart.Result, error) {
	return func(context.Context, []byte) (lambdart.Result, error) {
		b, err := json.Marshal(resp)
		return lambdart.Result{Payload: b}, err
	}
}

// fail makes a function that fails with an error, as lambdart reports it.
func fail(errorType, message string) func(context.Context, []byte) (lambdart.Result, error) {
	return func(context.Context, []byte) (lambdart.Result, error) {
		b, _ := json.Marshal(map[string]string{"errorMessage": message, "errorType": errorType})
		return lambdart.Result{Payload: b, FunctionError: "Unhandled", ErrorType: errorType, ErrorMessage: message}, nil
	}
}

// tokenAuthorizer is a fake of the app's TOKEN authorizer: "Bearer
// allow:<user>:<role>" allows the whole stage, "Bearer only:<resource>"
// allows one method ARN pattern, "Bearer deny" denies explicitly, "Bearer
// broken" fails, anything else is Unauthorized.
func tokenAuthorizer(ctx context.Context, payload []byte) (lambdart.Result, error) {
	var req events.APIGatewayCustomAuthorizerRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		return lambdart.Result{}, err
	}
	token := strings.TrimPrefix(req.AuthorizationToken, "Bearer ")
	stageWide := strings.Join(strings.SplitN(req.MethodArn, "/", 3)[:2], "/") + "/*/*"
	policy := func(effect, resource, user string, context map[string]any) (lambdart.Result, error) {
		b, err := json.Marshal(map[string]any{
			"principalId": user,
			"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{
				map[string]any{"Action": "execute-api:Invoke", "Effect": effect, "Resource": []string{resource}},
			}},
			"context": context,
		})
		return lambdart.Result{Payload: b}, err
	}
	switch {
	case strings.HasPrefix(token, "allow:"):
		parts := strings.Split(token, ":")
		return policy("Allow", stageWide, parts[1], map[string]any{"userId": parts[1], "role": parts[2]})
	case strings.HasPrefix(token, "only:"):
		return policy("Allow", strings.TrimPrefix(token, "only:"), "u-only", nil)
	case token == "deny":
		return policy("Deny", stageWide, "u-deny", nil)
	case token == "broken":
		return fail("errorString", "database unreachable")(ctx, payload)
	}
	return fail("errorString", "Unauthorized")(ctx, payload)
}

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// goshop is a gateway on the app's REST API with a fake Lambda whose
// authorizer is tokenAuthorizer.
type goshop struct {
	api    *template.RestAPI
	lambda *fakeLambda
	clock  *clock
	gw     *apigw.Gateway
	auth   string
}

func newGoshop(t *testing.T) *goshop {
	t.Helper()
	api := loadAPI(t)
	g := &goshop{api: api, lambda: newFakeLambda(), clock: &clock{now: epoch}}
	if len(api.Authorizers) != 1 {
		t.Fatalf("%d authorizers, want 1", len(api.Authorizers))
	}
	g.auth = api.Authorizers[0].FunctionName
	g.lambda.handle(g.auth, tokenAuthorizer)
	gw, err := apigw.New(apigw.Config{API: api, Invoker: g.lambda, Now: g.clock.Now, IntegrationTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	g.gw = gw
	return g
}

// do serves one request.
func do(h http.Handler, method, target, body string, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Host = "api.example.test:3000"
	r.RemoteAddr = "192.0.2.7:51234"
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

// decodeEvent decodes a proxy event payload.
func decodeEvent(t *testing.T, payload []byte) events.APIGatewayProxyRequest {
	t.Helper()
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		t.Fatalf("event: %v", err)
	}
	return ev
}

// gatewayBody is the body of the app's gateway responses.
type gatewayBody struct {
	Error struct {
		Code      string  `json:"code"`
		Message   *string `json:"message"`
		RequestID string  `json:"requestId"`
	} `json:"error"`
}

// checkGatewayResponse checks a response is the app's gateway response with
// this status, code and message (nil for null).
func checkGatewayResponse(t *testing.T, w *httptest.ResponseRecorder, status int, code string, message *string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	var b gatewayBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("body %q is not the gateway response template's JSON: %v", w.Body, err)
	}
	if b.Error.Code != code {
		t.Errorf("code %q, want %q", b.Error.Code, code)
	}
	switch {
	case message == nil && b.Error.Message != nil:
		t.Errorf("message %q, want null", *b.Error.Message)
	case message != nil && (b.Error.Message == nil || *b.Error.Message != *message):
		t.Errorf("message %v, want %q", b.Error.Message, *message)
	}
	if id := w.Header().Get("x-amzn-RequestId"); b.Error.RequestID == "" || b.Error.RequestID != id {
		t.Errorf("requestId %q, header %q", b.Error.RequestID, id)
	}
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q, want * (the gateway response's header)", got)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
}

func ptr(s string) *string { return &s }
