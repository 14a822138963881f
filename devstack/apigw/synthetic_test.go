package apigw_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/goshop-dev/goshop/devstack/apigw"
	"github.com/goshop-dev/goshop/devstack/lambdart"
	"github.com/goshop-dev/goshop/devstack/template"
)

// syntheticAPI is a small REST API without gateway responses, with greedy
// and ANY methods.
func syntheticAPI() *template.RestAPI {
	proxy := func(method, path, fn string) *template.Method {
		return &template.Method{HTTPMethod: method, ResourcePath: path, AuthorizationType: "NONE",
			Integration: template.Integration{Type: template.IntegrationLambdaProxy, FunctionName: fn}}
	}
	res := func(id, path string, methods ...*template.Method) *template.Resource {
		return &template.Resource{ID: id, Path: path, Methods: methods}
	}
	return &template.RestAPI{LogicalID: "Api", ID: "abc123", Resources: []*template.Resource{
		res("r0", "/"),
		res("r1", "/files/{proxy+}", proxy("ANY", "/files/{proxy+}", "files")),
		res("r2", "/items/{id}", proxy("GET", "/items/{id}", "item")),
		res("r3", "/items/special", proxy("GET", "/items/special", "special")),
		res("r4", "/upload", proxy("POST", "/upload", "upload")),
	}, Stages: []*template.Stage{{Name: "v1"}}}
}

func TestRoutingPrecedenceGreedyAndANY(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, target, fn, resource string
		params                       map[string]string
	}{
		{"GET", "/v1/items/special", "special", "/items/special", nil},
		{"GET", "/v1/items/other", "item", "/items/{id}", map[string]string{"id": "other"}},
		{"GET", "/v1/items/a%20b", "item", "/items/{id}", map[string]string{"id": "a b"}},
		{"DELETE", "/v1/files/a/b/c.txt", "files", "/files/{proxy+}", map[string]string{"proxy": "a/b/c.txt"}},
		{"PATCH", "/v1/files/x", "files", "/files/{proxy+}", map[string]string{"proxy": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			t.Parallel()
			lambda := newFakeLambda()
			for _, fn := range []string{"files", "item", "special"} {
				lambda.handle(fn, respond(events.APIGatewayProxyResponse{StatusCode: 200}))
			}
			gw, err := apigw.New(apigw.Config{API: syntheticAPI(), Invoker: lambda})
			if err != nil {
				t.Fatal(err)
			}
			if w := do(gw, tt.method, tt.target, "", nil); w.Code != 200 {
				t.Fatalf("status %d %s", w.Code, w.Body)
			}
			calls := lambda.callsTo(tt.fn)
			if len(calls) != 1 {
				t.Fatalf("%d calls to %s", len(calls), tt.fn)
			}
			ev := decodeEvent(t, calls[0])
			if ev.Resource != tt.resource || ev.HTTPMethod != tt.method || !cmp.Equal(ev.PathParameters, tt.params) {
				t.Errorf("event resource %q method %q params %v", ev.Resource, ev.HTTPMethod, ev.PathParameters)
			}
		})
	}
}

func TestBuiltInGatewayResponsesWithoutCustomization(t *testing.T) {
	t.Parallel()
	lambda := newFakeLambda()
	lambda.handle("item", fail("Error", "boom"))
	gw, err := apigw.New(apigw.Config{API: syntheticAPI(), Invoker: lambda})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/v1/nowhere", 403, `{"message":"Missing Authentication Token"}`},
		{"GET", "/v1/files", 403, `{"message":"Missing Authentication Token"}`}, // greedy needs a segment
		{"POST", "/v1/items/x", 403, `{"message":"Missing Authentication Token"}`},
		{"GET", "/v1/items/x", 502, `{"message":"Internal server error"}`},
		{"POST", "/v1/upload", 500, `{"message":"Internal server error"}`}, // no such function: Lambda refuses
	}
	for _, tt := range tests {
		w := do(gw, tt.method, tt.target, "", nil)
		if w.Code != tt.status || w.Body.String() != tt.body {
			t.Errorf("%s %s: %d %s, want %d %s", tt.method, tt.target, w.Code, w.Body, tt.status, tt.body)
		}
	}
}

func TestBinaryMediaTypes(t *testing.T) {
	t.Parallel()
	lambda := newFakeLambda()
	png := []byte{0x89, 'P', 'N', 'G', 0, 0xff}
	lambda.handle("upload", func(context.Context, []byte) (lambdart.Result, error) {
		return respond(events.APIGatewayProxyResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "image/png"},
			Body: base64.StdEncoding.EncodeToString(png), IsBase64Encoded: true})(context.Background(), nil)
	})
	gw, err := apigw.New(apigw.Config{API: syntheticAPI(), Invoker: lambda, BinaryMediaTypes: []string{"image/*"}})
	if err != nil {
		t.Fatal(err)
	}
	w := do(gw, "POST", "/v1/upload", string(png), http.Header{"Content-Type": {"image/png"}, "Accept": {"image/png, */*"}})
	if w.Code != 200 || w.Body.String() != string(png) {
		t.Fatalf("response %d %q, want the decoded bytes", w.Code, w.Body)
	}
	ev := decodeEvent(t, lambda.callsTo("upload")[0])
	if !ev.IsBase64Encoded || ev.Body != base64.StdEncoding.EncodeToString(png) {
		t.Errorf("binary request: base64 %v body %q", ev.IsBase64Encoded, ev.Body)
	}
	// A text request and a client that does not accept the binary type
	// first get the body as text.
	w = do(gw, "POST", "/v1/upload", `{"a":1}`, http.Header{"Content-Type": {"application/json"}, "Accept": {"application/json"}})
	if w.Body.String() != base64.StdEncoding.EncodeToString(png) {
		t.Errorf("body %q, want the base64 text", w.Body)
	}
	if ev := decodeEvent(t, lambda.callsTo("upload")[1]); ev.IsBase64Encoded || ev.Body != `{"a":1}` {
		t.Errorf("text request: base64 %v body %q", ev.IsBase64Encoded, ev.Body)
	}
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*template.RestAPI)
		want   string
	}{
		{"no stage", func(a *template.RestAPI) { a.Stages = nil }, "no stage"},
		{"velocity template", func(a *template.RestAPI) {
			a.GatewayResponses = []*template.GatewayResponse{{LogicalID: "Gr", ResponseType: "DEFAULT_4XX",
				ResponseTemplates: map[string]string{"application/json": `#if($x)a#end`}}}
		}, "Gr"},
		{"dynamic header", func(a *template.RestAPI) {
			a.GatewayResponses = []*template.GatewayResponse{{LogicalID: "Gh", ResponseType: "DEFAULT_4XX",
				ResponseParameters: map[string]string{"gatewayresponse.header.X": "context.requestId"}}}
		}, "Gh"},
		{"bad schema", func(a *template.RestAPI) {
			a.Models = []*template.Model{{Name: "Bad", ContentType: "application/json", Schema: []byte(`{"type":12}`)}}
		}, "model Bad"},
		{"HTTP integration", func(a *template.RestAPI) {
			a.Resources[2].Methods[0].Integration.Type = "HTTP_PROXY"
		}, "HTTP_PROXY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := syntheticAPI()
			tt.change(api)
			_, err := apigw.New(apigw.Config{API: api, Invoker: newFakeLambda()})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: %v, want an error naming %q", err, tt.want)
			}
		})
	}
}

func TestWildcardMatch(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/users/u-1"
	tests := []struct {
		pattern string
		want    bool
	}{
		{arn, true},
		{"*", true},
		{"arn:aws:execute-api:us-east-1:000000000000:abc/dev/*/*", true},
		{"arn:aws:execute-api:*:*:abc/dev/GET/users/*", true},
		{"arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/users/u-?", true},
		{"arn:aws:execute-api:us-east-1:000000000000:abc/dev/POST/*", false},
		{"arn:aws:execute-api:us-east-1:000000000000:abc/prod/*", false},
		{"arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/users/u-??", false},
		{"arn:aws:execute-api:us-east-1:000000000000:ABC/dev/*", false},
	}
	for _, tt := range tests {
		if got := apigw.WildcardMatch(tt.pattern, arn); got != tt.want {
			t.Errorf("match(%q) = %v, want %v", tt.pattern, got, tt.want)
		}
	}
}
