package lambdahttp_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
)

// echo answers with what the handler saw: path value, caller and ids.
func echo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		ids := logging.IDsFrom(r.Context())
		httpapi.Respond(w, http.StatusOK, map[string]string{
			"id": r.PathValue("id"), "user": id.UserID, "role": string(id.Role),
			"requestId": ids.RequestID, "lambdaRequestId": ids.LambdaRequestID, "correlationId": ids.CorrelationID, "q": r.URL.Query().Get("q"),
		})
	})
}

func TestHandlerCarriesEventIntoRequest(t *testing.T) {
	t.Parallel()
	h := lambdahttp.Handler("GET /users/{id}", echo(), logging.Discard())
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-1"})
	resp, err := h(ctx, events.APIGatewayProxyRequest{
		HTTPMethod:                      "GET",
		Path:                            "/users/u-7",
		Resource:                        "/users/{id}",
		PathParameters:                  map[string]string{"id": "u-7"},
		MultiValueQueryStringParameters: map[string][]string{"q": {"a b"}},
		MultiValueHeaders:               map[string][]string{"X-Correlation-Id": {"corr-1"}},
		RequestContext: events.APIGatewayProxyRequestContext{
			RequestID:  "req-1",
			Authorizer: map[string]any{"userId": "u-7", "role": "customer", "principalId": "u-7"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d body %s", resp.StatusCode, resp.Body)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"id": "u-7", "user": "u-7", "role": "customer", "requestId": "req-1", "lambdaRequestId": "lambda-1", "correlationId": "corr-1", "q": "a b"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if c := resp.MultiValueHeaders["X-Correlation-Id"]; len(c) != 1 || c[0] != "corr-1" {
		if resp.Headers["X-Correlation-Id"] != "corr-1" {
			t.Errorf("correlation id not echoed: %v %v", resp.Headers, resp.MultiValueHeaders)
		}
	}
}

func TestHandlerWithoutAuthorizerIsAnonymous(t *testing.T) {
	t.Parallel()
	h := lambdahttp.Handler("GET /users/{id}", echo(), logging.Discard())
	resp, err := h(context.Background(), events.APIGatewayProxyRequest{
		HTTPMethod:     "GET",
		Path:           "/users/u-7",
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "req-2", Authorizer: map[string]any{"userId": "u-7"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Error struct{ Code, RequestID string }
	}
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnauthorized || body.Error.Code != "unauthorized" || body.Error.RequestID != "req-2" {
		t.Fatalf("got %d %s, want 401 unauthorized with request id", resp.StatusCode, resp.Body)
	}
}

// TestHandlerRefusesEventsWithoutAValidURL checks that a path net/http
// cannot parse is the client's 400 in the API's envelope, not a failed
// invocation (which API Gateway turns into a 502).
func TestHandlerRefusesEventsWithoutAValidURL(t *testing.T) {
	t.Parallel()
	h := lambdahttp.Handler("GET /users/{id}", echo(), logging.Discard())
	resp, err := h(context.Background(), events.APIGatewayProxyRequest{
		HTTPMethod: "GET", Path: "/users/a\x00b", Resource: "/users/{id}",
		PathParameters: map[string]string{"id": "a\x00b"},
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "req-9"},
	})
	if err != nil {
		t.Fatalf("invocation failed: %v", err)
	}
	var body struct {
		Error struct{ Code, Message, RequestID string }
	}
	if resp.StatusCode != http.StatusBadRequest || json.Unmarshal([]byte(resp.Body), &body) != nil ||
		body.Error.Code != "invalid_request" || body.Error.RequestID != "req-9" {
		t.Fatalf("answer %d %s, want 400 invalid_request with the request id", resp.StatusCode, resp.Body)
	}
}
