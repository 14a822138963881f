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
	"github.com/goshop-dev/goshop/internal/wire"
)

func main() {
	if err := run(context.Background()); err != nil {
		wire.Logger("dashboard").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	logger := wire.Logger("dashboard")
	svc, err := wire.DashboardConsumerFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(consumer.SQSHandler(wire.DashboardHandle(svc, logger), logger))
	return nil
}
