// Package lambdahttp runs a plain net/http handler as the Lambda function of
// one API Gateway REST API route (v1 proxy events), through
// aws-lambda-go-api-proxy. It carries API Gateway's request id and the
// authorizer's identity into the request context, so handlers never see a
// Lambda type.
package lambdahttp

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/lambdaauth"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/tracing"
)

// Handler returns the Lambda handler serving h on pattern, a ServeMux
// pattern such as "GET /users/{id}" (API Gateway's {param} syntax is the
// same), so that h can read r.PathValue.
func Handler(pattern string, h http.Handler, logger *slog.Logger) func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	router := httpapi.NewRouter()
	router.Handle(pattern, h)
	chain := withLambdaRequestID(httpapi.Middleware(logger, requestID, withIdentity(annotated(pattern, router))))
	adapter := httpadapter.New(chain)
	return func(ctx context.Context, event events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		ctx, end := tracing.Start(ctx, pattern)
		resp, err := adapter.ProxyWithContext(ctx, event)
		end(err)
		if err == nil {
			return resp, nil
		}
		// An event net/http cannot turn into a request (a path with a
		// control character such as %00) is the client's error: answer it
		// in the API's shape rather than fail the invocation (a 502).
		if _, cerr := adapter.EventToRequestWithContext(ctx, event); cerr != nil {
			logger.WarnContext(ctx, "request refused", slog.String("requestId", event.RequestContext.RequestID),
				slog.String("path", event.Path), slog.String("error", cerr.Error()))
			return invalidRequest(event.RequestContext.RequestID), nil
		}
		return resp, err
	}
}

// invalidRequest is the 400 answer to an event that names no valid URL.
func invalidRequest(requestID string) events.APIGatewayProxyResponse {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{
		"code": "invalid_request", "message": "the request URL is not valid", "requestId": requestID,
	}})
	return events.APIGatewayProxyResponse{
		StatusCode: http.StatusBadRequest,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}
}

// Start serves h on pattern until the Lambda runtime stops the process.
// CORS_ALLOW_ORIGIN, when set, is sent as Access-Control-Allow-Origin.
func Start(pattern string, h http.Handler, logger *slog.Logger) {
	lambda.Start(Handler(pattern, httpapi.CORS(os.Getenv("CORS_ALLOW_ORIGIN"), h), logger))
}

func requestID(r *http.Request) (string, bool) {
	rc, ok := core.GetAPIGatewayContextFromContext(r.Context())
	if !ok || rc.RequestID == "" {
		return "", false
	}
	return rc.RequestID, true
}

func withLambdaRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if lc, ok := lambdacontext.FromContext(r.Context()); ok {
			r = r.WithContext(logging.WithIDs(r.Context(), logging.IDs{LambdaRequestID: lc.AwsRequestID}))
		}
		next.ServeHTTP(w, r)
	})
}

// annotated labels the request's trace with the caller, the correlation id
// and, on an order's routes, the order id, so X-Ray finds it by any of them.
func annotated(pattern string, next http.Handler) http.Handler {
	orderRoute := strings.Contains(pattern, "/orders/{id}")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if id, err := httpapi.Caller(r); err == nil {
			tracing.Annotate(ctx, tracing.UserID, id.UserID)
		}
		tracing.Annotate(ctx, tracing.CorrelationID, logging.IDsFrom(ctx).CorrelationID)
		next.ServeHTTP(w, r)
		if orderRoute {
			tracing.Annotate(ctx, tracing.OrderID, r.PathValue("id"))
		}
	})
}

func withIdentity(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rc, ok := core.GetAPIGatewayContextFromContext(r.Context()); ok {
			if id, ok := lambdaauth.Identity(rc.Authorizer); ok {
				r = r.WithContext(auth.WithIdentity(r.Context(), id))
			}
		}
		next.ServeHTTP(w, r)
	})
}
