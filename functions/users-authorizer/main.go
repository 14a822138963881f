// Command users-authorizer is the API Gateway TOKEN authorizer: it verifies
// the bearer tokens users-login issues and passes the caller's id and role
// to the route's function.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/lambdaauth"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/wire/userswire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("users").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	tokens, err := userswire.TokensFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(lambdaauth.Handler(tokens, logging.ForService("users")))
	return nil
}
