// Package wire builds each service from a function's environment: it reads
// the configuration once, builds the AWS clients and the adapters, and
// returns the service ready for its handlers. Function mains stay a dozen
// lines, and a local run differs from AWS only by endpoint variables.
package wire

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/outbox"

	"github.com/goshop-dev/goshop/internal/logging"
)

// Logger returns the JSON logger of service, at LOG_LEVEL (default info).
func Logger(service string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))); err != nil {
		level = slog.LevelInfo
	}
	return logging.New(os.Stdout, service, level)
}

// OutboxFromEnv builds a service's outbox publisher (the handler of its
// table's stream), putting events on the bus named by EVENT_BUS_NAME.
func OutboxFromEnv(ctx context.Context, logger *slog.Logger) (func(context.Context, lambdaevents.DynamoDBEvent) (lambdaevents.DynamoDBEventResponse, error), error) {
	env := envconfig.New()
	bus := env.String("EVENT_BUS_NAME")
	if err := env.Err(); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return outbox.Handler(eventbridge.NewFromConfig(cfg), bus, logger), nil
}
