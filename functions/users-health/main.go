// Command users-health serves GET /health/users: the health of the users service,
// its table read and the process's circuit breakers judged (internal/health).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/users/usersddb"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/healthwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("users").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	h, err := healthwire.FromEnv(ctx, "users", "USERS_TABLE", usersddb.CreateTableInput)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("users-health"), h, logging.ForService("users"))
	return nil
}
