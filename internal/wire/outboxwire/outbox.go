// Package outboxwire builds the outbox publisher of outbox-publisher from
// its environment: the handler of a service's table stream, putting each new
// outbox item on the event bus.
package outboxwire

import (
	"context"
	"fmt"
	"log/slog"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/outbox"
)

// PublisherFromEnv builds a service's outbox publisher (the handler of its
// table's stream), putting events on the bus named by EVENT_BUS_NAME.
func PublisherFromEnv(ctx context.Context, logger *slog.Logger) (func(context.Context, lambdaevents.DynamoDBEvent) (lambdaevents.DynamoDBEventResponse, error), error) {
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
