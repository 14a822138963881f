// Command notifications-health serves GET /health/notifications: the health of the notifications service,
// its table read and the process's circuit breakers judged (internal/health).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/notifications/notificationsddb"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/healthwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("notifications").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	h, err := healthwire.FromEnv(ctx, "notifications", "NOTIFICATIONS_TABLE", notificationsddb.CreateTableInput)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("notifications-health"), h, logging.ForService("notifications"))
	return nil
}
