// Command users-login serves POST /users/login: checks credentials and issues an access token.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/users/usershttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/userswire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("users").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := userswire.ServiceFromEnv(ctx)
	if err != nil {
		return err
	}
	tokens, err := userswire.TokensFromEnv(ctx)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("users-login"), usershttp.Login(svc, tokens), logging.ForService("users"))
	return nil
}
