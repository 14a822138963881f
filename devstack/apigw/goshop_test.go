package apigw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/goshop-dev/goshop/devstack/lambdart"
)

func TestPublicRouteGetsAPIGatewaysEvent(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	fn := functionOf(t, g.api, "GET", "/products/{id}")
	g.lambda.handle(fn, respond(events.APIGatewayProxyResponse{
		StatusCode:        200,
		Headers:           map[string]string{"Content-Type": "application/json", "X-One": "1"},
		MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1", "b=2"}},
		Body:              `{"id":"p-1"}`,
	}))
	w := do(g.gw, "GET", "/dev/products/p-1?q=a&q=b&page=2", "", http.Header{"X-Custom": {"one", "two"}, "User-Agent": {"tester/1.0"}})
	if w.Code != 200 || w.Body.String() != `{"id":"p-1"}` {
		t.Fatalf("response %d %s", w.Code, w.Body)
	}
	if got := w.Header().Values("Set-Cookie"); !cmp.Equal(got, []string{"a=1", "b=2"}) {
		t.Errorf("Set-Cookie %v", got)
	}
	if w.Header().Get("X-One") != "1" || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", w.Header())
	}
	calls := g.lambda.callsTo(fn)
	if len(calls) != 1 {
		t.Fatalf("%d calls to %s, want 1", len(calls), fn)
	}
	if n := g.lambda.callCount(); n != 1 {
		t.Errorf("%d invocations, want 1 (a public route calls no authorizer)", n)
	}
	var raw map[string]any
	if err := json.Unmarshal(calls[0], &raw); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"body", "stageVariables"} {
		if v, ok := raw[key]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null as API Gateway sends", key, v, ok)
		}
	}
	ev := decodeEvent(t, calls[0])
	res, _ := g.api.Resource("/products/{id}")
	requestID := w.Header().Get("x-amzn-RequestId")
	want := events.APIGatewayProxyRequest{
		Resource:                        "/products/{id}",
		Path:                            "/products/p-1",
		HTTPMethod:                      "GET",
		QueryStringParameters:           map[string]string{"q": "b", "page": "2"},
		MultiValueQueryStringParameters: map[string][]string{"q": {"a", "b"}, "page": {"2"}},
		PathParameters:                  map[string]string{"id": "p-1"},
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:        "000000000000",
			ResourceID:       res.ID,
			Stage:            "dev",
			DomainName:       "api.example.test:3000",
			DomainPrefix:     "api",
			RequestID:        requestID,
			Protocol:         "HTTP/1.1",
			Identity:         events.APIGatewayRequestIdentity{SourceIP: "192.0.2.7", UserAgent: "tester/1.0"},
			ResourcePath:     "/products/{id}",
			Path:             "/dev/products/p-1",
			HTTPMethod:       "GET",
			RequestTime:      "01/Mar/2026:12:00:00 +0000",
			RequestTimeEpoch: epoch.UnixMilli(),
			APIID:            g.api.ID,
		},
	}
	opts := cmp.Options{cmpopts.IgnoreFields(events.APIGatewayProxyRequest{}, "Headers", "MultiValueHeaders"),
		cmpopts.IgnoreFields(events.APIGatewayProxyRequestContext{}, "ExtendedRequestID")}
	if diff := cmp.Diff(want, ev, opts); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
	if requestID == "" || ev.RequestContext.ExtendedRequestID == "" {
		t.Errorf("request ids %q %q", requestID, ev.RequestContext.ExtendedRequestID)
	}
	if got := ev.MultiValueHeaders["X-Custom"]; !cmp.Equal(got, []string{"one", "two"}) {
		t.Errorf("multiValueHeaders X-Custom %v", got)
	}
	wantHeaders := map[string]string{"X-Custom": "two", "Host": "api.example.test:3000", "X-Forwarded-For": "192.0.2.7",
		"X-Forwarded-Proto": "http", "X-Forwarded-Port": "3000", "User-Agent": "tester/1.0"}
	for k, v := range wantHeaders {
		if ev.Headers[k] != v {
			t.Errorf("headers[%s] = %q, want %q", k, ev.Headers[k], v)
		}
	}
	if !strings.HasPrefix(ev.Headers["X-Amzn-Trace-Id"], "Root=1-") {
		t.Errorf("X-Amzn-Trace-Id %q", ev.Headers["X-Amzn-Trace-Id"])
	}
}

func TestRequestWithoutQueryOrParamsHasNullMaps(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	fn := functionOf(t, g.api, "GET", "/products/search")
	g.lambda.handle(fn, respond(events.APIGatewayProxyResponse{StatusCode: 204}))
	w := do(g.gw, "GET", "/dev/products/search/", "", nil)
	if w.Code != 204 {
		t.Fatalf("status %d %s (a trailing slash routes as without)", w.Code, w.Body)
	}
	var raw map[string]any
	if err := json.Unmarshal(g.lambda.callsTo(fn)[0], &raw); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"queryStringParameters", "multiValueQueryStringParameters", "pathParameters"} {
		if raw[key] != nil {
			t.Errorf("%s = %v, want null", key, raw[key])
		}
	}
	if auth := raw["requestContext"].(map[string]any)["authorizer"]; auth != nil {
		t.Errorf("authorizer %v on a public route", auth)
	}
}

func TestAuthenticatedRouteWithoutTokenIs401(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	for _, h := range []http.Header{nil, {"Authorization": {""}}} {
		w := do(g.gw, "GET", "/dev/users/u-1", "", h)
		checkGatewayResponse(t, w, http.StatusUnauthorized, "unauthorized", ptr("Unauthorized"))
		if w.Header().Get("x-amzn-ErrorType") != "UnauthorizedException" {
			t.Errorf("x-amzn-ErrorType %q", w.Header().Get("x-amzn-ErrorType"))
		}
	}
	if n := g.lambda.callCount(); n != 0 {
		t.Errorf("%d invocations, want none: a missing token never reaches the authorizer", n)
	}
}

func TestAuthorizerOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		token   string
		status  int
		code    string
		message *string
	}{
		{"unauthorized error", "garbage", 401, "unauthorized", ptr("Unauthorized")},
		{"explicit deny", "deny", 403, "forbidden", ptr("User is not authorized to access this resource with an explicit deny")},
		{"allows another method only", "only:arn:aws:execute-api:*:*:*/dev/GET/cart", 403, "forbidden", ptr("User is not authorized to access this resource")},
		{"authorizer fails", "broken", 500, "internal", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGoshop(t)
			fn := functionOf(t, g.api, "GET", "/users/{id}")
			g.lambda.handle(fn, respond(events.APIGatewayProxyResponse{StatusCode: 200}))
			w := do(g.gw, "GET", "/dev/users/u-1", "", bearer(tt.token))
			checkGatewayResponse(t, w, tt.status, tt.code, tt.message)
			if n := len(g.lambda.callsTo(fn)); n != 0 {
				t.Errorf("%d calls to the route's function, want none", n)
			}
			if n := len(g.lambda.callsTo(g.auth)); n != 1 {
				t.Errorf("%d authorizer calls, want 1", n)
			}
		})
	}
}

func TestAllowedTokenReachesFunctionWithIdentity(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	fn := functionOf(t, g.api, "GET", "/users/{id}")
	g.lambda.handle(fn, respond(events.APIGatewayProxyResponse{StatusCode: 200, Body: "{}"}))
	w := do(g.gw, "GET", "/dev/users/u-1", "", bearer("allow:u-1:admin"))
	if w.Code != 200 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	authCalls := g.lambda.callsTo(g.auth)
	if len(authCalls) != 1 {
		t.Fatalf("%d authorizer calls", len(authCalls))
	}
	var req events.APIGatewayCustomAuthorizerRequest
	if err := json.Unmarshal(authCalls[0], &req); err != nil {
		t.Fatal(err)
	}
	wantReq := events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: "Bearer allow:u-1:admin",
		MethodArn: fmt.Sprintf("arn:aws:execute-api:us-east-1:000000000000:%s/dev/GET/users/u-1", g.api.ID)}
	if diff := cmp.Diff(wantReq, req); diff != "" {
		t.Errorf("authorizer request (-want +got):\n%s", diff)
	}
	ev := decodeEvent(t, g.lambda.callsTo(fn)[0])
	wantAuth := map[string]any{"principalId": "u-1", "userId": "u-1", "role": "admin", "integrationLatency": float64(0)}
	if diff := cmp.Diff(wantAuth, ev.RequestContext.Authorizer); diff != "" {
		t.Errorf("requestContext.authorizer (-want +got):\n%s", diff)
	}
	if ev.Headers["Authorization"] != "Bearer allow:u-1:admin" {
		t.Errorf("Authorization header %q not passed on", ev.Headers["Authorization"])
	}
}

func TestAuthorizerCacheHonoursTTLAndEvaluatesEachMethodARN(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	for _, route := range [][2]string{{"GET", "/users/{id}"}, {"GET", "/cart"}, {"GET", "/orders/{id}"}} {
		g.lambda.handle(functionOf(t, g.api, route[0], route[1]), respond(events.APIGatewayProxyResponse{StatusCode: 200}))
	}
	authCalls := func() int { return len(g.lambda.callsTo(g.auth)) }
	if w := do(g.gw, "GET", "/dev/users/u-1", "", bearer("allow:u-1:customer")); w.Code != 200 {
		t.Fatalf("first: %d", w.Code)
	}
	if w := do(g.gw, "GET", "/dev/cart", "", bearer("allow:u-1:customer")); w.Code != 200 {
		t.Fatalf("cached: %d", w.Code)
	}
	if n := authCalls(); n != 1 {
		t.Fatalf("%d authorizer calls, want 1 (the policy is cached per token)", n)
	}
	ev := decodeEvent(t, g.lambda.callsTo(functionOf(t, g.api, "GET", "/cart"))[0])
	if ev.RequestContext.Authorizer["userId"] != "u-1" {
		t.Errorf("cached authorizer context %v", ev.RequestContext.Authorizer)
	}

	// A policy for one method ARN, cached, refuses the token's other routes.
	only := "only:arn:aws:execute-api:*:*:*/dev/GET/users/*"
	if w := do(g.gw, "GET", "/dev/users/u-9", "", bearer(only)); w.Code != 200 {
		t.Fatalf("only users: %d", w.Code)
	}
	if w := do(g.gw, "GET", "/dev/orders/o-1", "", bearer(only)); w.Code != 403 {
		t.Fatalf("only users, orders: %d, want 403 from the cached policy", w.Code)
	}
	if n := authCalls(); n != 2 {
		t.Fatalf("%d authorizer calls, want 2", n)
	}

	g.clock.advance(299 * time.Second)
	do(g.gw, "GET", "/dev/cart", "", bearer("allow:u-1:customer"))
	if n := authCalls(); n != 2 {
		t.Fatalf("%d authorizer calls within the TTL, want 2", n)
	}
	g.clock.advance(2 * time.Second)
	do(g.gw, "GET", "/dev/cart", "", bearer("allow:u-1:customer"))
	if n := authCalls(); n != 3 {
		t.Fatalf("%d authorizer calls after the 300 s TTL, want 3", n)
	}
}

func TestUnknownPathAndMethodUseTheTemplatesGatewayResponse(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, method, target string }{
		{"unknown path", "GET", "/dev/nowhere"},
		{"unknown nested path", "GET", "/dev/products/p-1/reviews"},
		{"method not defined", "DELETE", "/dev/products/p-1"},
		{"HEAD is not GET", "HEAD", "/dev/products/p-1"},
		{"stage root without a GET", "GET", "/dev/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGoshop(t)
			w := do(g.gw, tt.method, tt.target, "", nil)
			if tt.method == "HEAD" {
				if w.Code != 404 {
					t.Fatalf("status %d", w.Code)
				}
				return
			}
			checkGatewayResponse(t, w, http.StatusNotFound, "route_not_found", ptr("Missing Authentication Token"))
			if w.Header().Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" {
				t.Errorf("x-amzn-ErrorType %q", w.Header().Get("x-amzn-ErrorType"))
			}
			if n := g.lambda.callCount(); n != 0 {
				t.Errorf("%d invocations", n)
			}
		})
	}
}

func TestUnknownStageIsForbidden(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	w := do(g.gw, "GET", "/prod/products/p-1", "", nil)
	if w.Code != 403 || w.Body.String() != `{"message":"Forbidden"}` {
		t.Fatalf("response %d %s", w.Code, w.Body)
	}
	if got := g.gw.Stages(); !cmp.Equal(got, []string{"dev"}) {
		t.Errorf("Stages() = %v", got)
	}
}

func TestBodyValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		contentType string
		body        string
		valid       bool
	}{
		{"valid", "application/json", `{"email":"ada@example.com","name":"Ada","password":"correct horse"}`, true},
		{"valid with charset", "application/json; charset=utf-8", `{"email":"ada@example.com","name":"Ada","password":"correct horse"}`, true},
		{"wrong type", "application/json", `{"email":1,"name":"Ada","password":"correct horse"}`, false},
		{"missing field", "application/json", `{"email":"ada@example.com"}`, false},
		{"unknown field", "application/json", `{"email":"ada@example.com","name":"Ada","password":"correct horse","admin":true}`, false},
		{"not JSON", "application/json", `{"email":`, false},
		{"empty", "application/json", ``, false},
		{"no content type is application/json", "", `{"email":1}`, false},
		{"content type without a model is not validated", "text/plain", `anything`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGoshop(t)
			fn := functionOf(t, g.api, "POST", "/users/register")
			g.lambda.handle(fn, respond(events.APIGatewayProxyResponse{StatusCode: 201}))
			h := http.Header{}
			if tt.contentType != "" {
				h.Set("Content-Type", tt.contentType)
			}
			w := do(g.gw, "POST", "/dev/users/register", tt.body, h)
			if !tt.valid {
				checkGatewayResponse(t, w, http.StatusBadRequest, "invalid_body", ptr("Invalid request body"))
				if n := g.lambda.callCount(); n != 0 {
					t.Errorf("%d invocations, want none before a valid body", n)
				}
				return
			}
			if w.Code != 201 {
				t.Fatalf("status %d %s", w.Code, w.Body)
			}
			if ev := decodeEvent(t, g.lambda.callsTo(fn)[0]); ev.Body != tt.body || ev.IsBase64Encoded {
				t.Errorf("event body %q base64 %v", ev.Body, ev.IsBase64Encoded)
			}
		})
	}
}

func TestValidationRunsAfterAuthorization(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	w := do(g.gw, "POST", "/dev/checkout", `{}`, http.Header{"Content-Type": {"application/json"}})
	checkGatewayResponse(t, w, 401, "unauthorized", ptr("Unauthorized"))
	w = do(g.gw, "POST", "/dev/checkout", `{}`, http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer allow:u-1:customer"}})
	checkGatewayResponse(t, w, 400, "invalid_body", ptr("Invalid request body"))
	if n := len(g.lambda.callsTo(functionOf(t, g.api, "POST", "/checkout"))); n != 0 {
		t.Errorf("%d checkout calls", n)
	}
}

func TestPreflightIsAnsweredByTheMock(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	for _, target := range []string{"/dev/users/u-1", "/dev/checkout", "/dev/"} {
		w := do(g.gw, "OPTIONS", target, "", http.Header{"Origin": {"https://shop.example"}, "Access-Control-Request-Method": {"PUT"}})
		if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
			t.Fatalf("%s: response %d %q", target, w.Code, w.Body)
		}
		want := map[string]string{
			"Access-Control-Allow-Origin":  "*",
			"Access-Control-Allow-Methods": "OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD",
			"Access-Control-Allow-Headers": "Content-Type,Authorization,Idempotency-Key,X-Correlation-Id",
			"Access-Control-Max-Age":       "3600",
		}
		for k, v := range want {
			if got := w.Header().Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", target, k, got, v)
			}
		}
	}
	if n := g.lambda.callCount(); n != 0 {
		t.Errorf("%d invocations for preflights", n)
	}
}

func TestIntegrationFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler func(context.Context, []byte) (lambdart.Result, error)
		status  int
		message string
	}{
		{"function error", fail("OutOfStockError", "boom"), 502, "Internal server error"},
		{"timed out in Lambda", fail("Sandbox.Timedout", "Task timed out after 3.00 seconds"), 502, "Internal server error"},
		{"not JSON", func(context.Context, []byte) (lambdart.Result, error) {
			return lambdart.Result{Payload: []byte(`"hello"`)}, nil
		}, 502, "Internal server error"},
		{"no statusCode", func(context.Context, []byte) (lambdart.Result, error) {
			return lambdart.Result{Payload: []byte(`{"body":"x"}`)}, nil
		}, 502, "Internal server error"},
		{"unexpected field", func(context.Context, []byte) (lambdart.Result, error) {
			return lambdart.Result{Payload: []byte(`{"statusCode":200,"cookies":["a=1"]}`)}, nil
		}, 502, "Internal server error"},
		{"body not a string", func(context.Context, []byte) (lambdart.Result, error) {
			return lambdart.Result{Payload: []byte(`{"statusCode":200,"body":{"a":1}}`)}, nil
		}, 502, "Internal server error"},
		{"throttled by Lambda", func(context.Context, []byte) (lambdart.Result, error) {
			return lambdart.Result{}, fmt.Errorf("invoke: %w", lambdart.ErrTooManyRequests)
		}, 500, "Internal server error"},
		{"integration timeout", func(ctx context.Context, _ []byte) (lambdart.Result, error) {
			<-ctx.Done()
			return lambdart.Result{}, ctx.Err()
		}, 504, "Endpoint request timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGoshop(t)
			fn := functionOf(t, g.api, "GET", "/products/{id}")
			g.lambda.handle(fn, tt.handler)
			w := do(g.gw, "GET", "/dev/products/p-1", "", nil)
			checkGatewayResponse(t, w, tt.status, "internal", ptr(tt.message))
		})
	}
}

func TestStatusCodeAsStringAndMergedHeaders(t *testing.T) {
	t.Parallel()
	g := newGoshop(t)
	fn := functionOf(t, g.api, "GET", "/products/{id}")
	g.lambda.handle(fn, func(context.Context, []byte) (lambdart.Result, error) {
		return lambdart.Result{Payload: []byte(`{"statusCode":"418","headers":{"X-A":"single","X-B":"b"},"multiValueHeaders":{"x-a":["m1","m2"]},"body":"tea"}`)}, nil
	})
	w := do(g.gw, "GET", "/dev/products/p-1", "", nil)
	if w.Code != 418 || w.Body.String() != "tea" {
		t.Fatalf("response %d %q", w.Code, w.Body)
	}
	if got := w.Header().Values("X-A"); !cmp.Equal(got, []string{"m1", "m2"}) {
		t.Errorf("X-A %v, want multiValueHeaders' values", got)
	}
	if w.Header().Get("X-B") != "b" {
		t.Errorf("X-B %q", w.Header().Get("X-B"))
	}
}
