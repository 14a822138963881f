// Package lambdaauth is the API Gateway TOKEN authorizer: it verifies the
// bearer token with auth.Tokens and answers with an IAM policy whose context
// carries the caller's user id and role to the route's function.
package lambdaauth

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/goshop-dev/goshop/internal/auth"
)

// Context keys the authorizer sets and lambdahttp reads.
const (
	ContextUserID = "userId"
	ContextRole   = "role"
)

// ErrUnauthorized is the error text API Gateway turns into a 401.
var ErrUnauthorized = errors.New("Unauthorized")

// Handler returns the authorizer function.
func Handler(tokens *auth.Tokens, logger *slog.Logger) func(context.Context, events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	return func(ctx context.Context, req events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		token, ok := auth.BearerToken(req.AuthorizationToken)
		if !ok {
			logger.InfoContext(ctx, "authorizer refused", slog.String("reason", "no bearer token"))
			return events.APIGatewayCustomAuthorizerResponse{}, ErrUnauthorized
		}
		id, err := tokens.Verify(token)
		if err != nil {
			logger.InfoContext(ctx, "authorizer refused", slog.String("reason", "token did not verify"))
			return events.APIGatewayCustomAuthorizerResponse{}, ErrUnauthorized
		}
		return events.APIGatewayCustomAuthorizerResponse{
			PrincipalID: id.UserID,
			PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
				Version: "2012-10-17",
				Statement: []events.IAMPolicyStatement{{
					Action:   []string{"execute-api:Invoke"},
					Effect:   "Allow",
					Resource: []string{apiWide(req.MethodArn)},
				}},
			},
			Context: map[string]any{ContextUserID: id.UserID, ContextRole: string(id.Role)},
		}, nil
	}
}

// apiWide widens a method ARN
// (arn:aws:execute-api:region:account:api/stage/VERB/path) to every method of
// the stage. API Gateway caches the policy per token, so a policy for one
// method alone would refuse the caller's next, different route.
func apiWide(methodArn string) string {
	parts := strings.SplitN(methodArn, "/", 3)
	if len(parts) < 2 {
		return methodArn
	}
	return parts[0] + "/" + parts[1] + "/*/*"
}

// Identity reads the identity the authorizer placed in a request's
// authorizer context; ok is false when there is none.
func Identity(authorizer map[string]any) (auth.Identity, bool) {
	userID, _ := authorizer[ContextUserID].(string)
	role, _ := authorizer[ContextRole].(string)
	id := auth.Identity{UserID: userID, Role: auth.Role(role)}
	if id.UserID == "" || !id.Role.Valid() {
		return auth.Identity{}, false
	}
	return id, true
}
