package lambdaauth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/lambdaauth"
	"github.com/goshop-dev/goshop/internal/logging"
)

const methodArn = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/users/u-1"

func tokens(t *testing.T, key string) *auth.Tokens {
	t.Helper()
	tok, err := auth.NewTokens(auth.TokenConfig{Key: []byte(key), Issuer: "goshop", Audience: "goshop-api", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestHandlerAllowsValidToken(t *testing.T) {
	t.Parallel()
	tok := tokens(t, "0123456789abcdef0123456789abcdef")
	s, _, err := tok.Issue(auth.Identity{UserID: "u-1", Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	h := lambdaauth.Handler(tok, logging.Discard())
	got, err := h(context.Background(), events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: "Bearer " + s, MethodArn: methodArn})
	if err != nil {
		t.Fatalf("authorizer: %v", err)
	}
	want := events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: "u-1",
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version: "2012-10-17",
			Statement: []events.IAMPolicyStatement{{
				Action:   []string{"execute-api:Invoke"},
				Effect:   "Allow",
				Resource: []string{"arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*"},
			}},
		},
		Context: map[string]any{"userId": "u-1", "role": "admin"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("response (-want +got):\n%s", diff)
	}
	id, ok := lambdaauth.Identity(got.Context)
	if !ok || id != (auth.Identity{UserID: "u-1", Role: auth.RoleAdmin}) {
		t.Fatalf("Identity(context) = %+v, %v", id, ok)
	}
}

func TestHandlerRefuses(t *testing.T) {
	t.Parallel()
	tok := tokens(t, "0123456789abcdef0123456789abcdef")
	foreign, _, err := tokens(t, "ffffffffffffffffffffffffffffffff").Issue(auth.Identity{UserID: "u-1", Role: auth.RoleCustomer})
	if err != nil {
		t.Fatal(err)
	}
	h := lambdaauth.Handler(tok, logging.Discard())
	for _, header := range []string{"", "Bearer", "Bearer " + foreign, "Basic dXNlcjpwdw==", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1LTEifQ."} {
		_, err := h(context.Background(), events.APIGatewayCustomAuthorizerRequest{AuthorizationToken: header, MethodArn: methodArn})
		if !errors.Is(err, lambdaauth.ErrUnauthorized) || err.Error() != "Unauthorized" {
			t.Errorf("header %q: error %v, want Unauthorized (API Gateway's 401)", header, err)
		}
	}
}

func TestIdentityNeedsUserAndRole(t *testing.T) {
	t.Parallel()
	for _, ctx := range []map[string]any{nil, {"userId": "u-1"}, {"role": "admin"}, {"userId": "u-1", "role": "root"}, {"userId": 7, "role": "admin"}} {
		if id, ok := lambdaauth.Identity(ctx); ok {
			t.Errorf("Identity(%v) = %+v, want none", ctx, id)
		}
	}
}
