// Command notifications-consumer consumes order, payment and user events from the notifications queue: it tells the users about them by email and push.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/logging"
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
	redelivery, err := consumer.RedeliveryFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(consumer.SQSHandler(notificationswire.Handle(svc, logger), logger, redelivery))
	return nil
}
