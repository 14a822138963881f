// Command users-update serves PUT /users/{id}: changes the name and
// preferences of a profile, the caller's own or, for an admin, anyone's.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/users/usershttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire"
)

func main() {
	if err := run(context.Background()); err != nil {
		wire.Logger("users").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := wire.UsersFromEnv(ctx)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("users-update"), usershttp.Update(svc), wire.Logger("users"))
	return nil
}
