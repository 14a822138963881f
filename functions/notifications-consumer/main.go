// Command notifications-consumer consumes order, payment and user events from the notifications queue: it tells the users about them by email and push.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/wire"
)

func main() {
	if err := run(context.Background()); err != nil {
		wire.Logger("notifications").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	logger := wire.Logger("notifications")
	svc, err := wire.NotificationsFromEnv(ctx, logger)
	if err != nil {
		return err
	}
	lambda.Start(consumer.SQSHandler(wire.NotificationsHandle(svc, logger), logger))
	return nil
}
