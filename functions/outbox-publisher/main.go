// Command outbox-publisher drains a service's transactional outbox: the
// DynamoDB Streams consumer that puts each new outbox item on the event
// bus (internal/outbox). The CDK app deploys it once per service that
// publishes events, as <service>-outbox, on that service's table stream.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/wire/outboxwire"
)

func main() {
	logger := logging.ForService(os.Getenv("SERVICE_NAME"))
	if err := run(context.Background(), logger); err != nil {
		logger.Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context, logger *slog.Logger) error {
	handler, err := outboxwire.PublisherFromEnv(ctx, logger)
	if err != nil {
		return err
	}
	lambda.Start(handler)
	return nil
}
