// Command notifications-list serves GET /users/{id}/notifications: a user's notifications, newest first, paginated.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/notifications/notificationshttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/notificationswire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("notifications").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	logger := logging.ForService("notifications")
	svc, err := notificationswire.ServiceFromEnv(ctx, logger)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("notifications-list"), notificationshttp.List(svc), logger)
	return nil
}
