package api_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/api"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
)

func TestHandlerServesTheDocument(t *testing.T) {
	t.Parallel()
	h := api.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), api.Document()) {
		t.Fatalf("GET = %d, body equal to Document: %v", rec.Code, bytes.Equal(rec.Body.Bytes(), api.Document()))
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("Cache-Control = %q", cc)
	}
	etag := rec.Header().Get("ETag")
	if len(etag) < 10 || etag[0] != '"' || etag[len(etag)-1] != '"' {
		t.Fatalf("ETag = %q, want a quoted tag", etag)
	}

	tests := []struct {
		name        string
		ifNoneMatch string
		want        int
	}{
		{"same tag", etag, http.StatusNotModified},
		{"weak same tag", "W/" + etag, http.StatusNotModified},
		{"among others", `"old", ` + etag, http.StatusNotModified},
		{"any", "*", http.StatusNotModified},
		{"other tag", `"old"`, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/openapi.json", nil)
			r.Header.Set("If-None-Match", tt.ifNoneMatch)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d", rec.Code, tt.want)
			}
			if tt.want == http.StatusNotModified && rec.Body.Len() != 0 {
				t.Errorf("304 with a body of %d bytes", rec.Body.Len())
			}
			if rec.Header().Get("ETag") != etag {
				t.Errorf("ETag = %q, want %q", rec.Header().Get("ETag"), etag)
			}
		})
	}
}

func TestDocumentReturnsACopy(t *testing.T) {
	t.Parallel()
	doc := api.Document()
	doc[0] = 'x'
	if api.Document()[0] != '{' {
		t.Fatal("changing the returned document changed the package's")
	}
}

func TestHandlersAreKeyedByFunction(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff([]string{"api-openapi"}, keys(api.Handlers())); diff != "" {
		t.Fatalf("Handlers keys (-want +got):\n%s", diff)
	}
	routes.Pattern("api-openapi") // panics for a function without a route
}

// TestLambdaServesTheDocument runs the handler as its Lambda function does.
func TestLambdaServesTheDocument(t *testing.T) {
	t.Parallel()
	h := lambdahttp.Handler(routes.Pattern("api-openapi"), api.Handler(), logging.Discard())
	resp, err := h(context.Background(), events.APIGatewayProxyRequest{
		HTTPMethod: "GET", Path: "/openapi.json", Resource: "/openapi.json",
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "req-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Body != string(api.Document()) {
		t.Fatalf("status %d, body of %d bytes", resp.StatusCode, len(resp.Body))
	}
}
