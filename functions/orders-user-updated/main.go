// Command orders-user-updated consumes UserRegistered and UserUpdated
// events from its SQS queue and keeps the orders' replica of user names.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/orderstask"
	"github.com/goshop-dev/goshop/internal/wire/orderswire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("orders").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := orderswire.ServiceFromEnv(ctx)
	if err != nil {
		return err
	}
	redelivery, err := consumer.RedeliveryFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(consumer.SQSHandler(orderstask.UserNames(svc), logging.ForService("orders"), redelivery))
	return nil
}
