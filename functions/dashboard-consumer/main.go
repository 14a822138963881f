// Command dashboard-consumer consumes user and order events from the
// dashboard queue and keeps the dashboard's read models: profiles, order
// summaries and sales counts.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/wire/dashboardwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("dashboard").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	logger := logging.ForService("dashboard")
	svc, err := dashboardwire.ConsumerFromEnv(ctx)
	if err != nil {
		return err
	}
	redelivery, err := consumer.RedeliveryFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(consumer.SQSHandler(dashboardwire.Handle(svc, logger), logger, redelivery))
	return nil
}
