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
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/outbox"
	"github.com/goshop-dev/goshop/internal/wire"
)

func main() {
	if err := run(context.Background()); err != nil {
		wire.Logger("outbox").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	env := envconfig.New()
	bus := env.String("EVENT_BUS_NAME")
	service := env.Optional("SERVICE_NAME", "outbox")
	if err := env.Err(); err != nil {
		return err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return err
	}
	lambda.Start(outbox.Handler(eventbridge.NewFromConfig(cfg), bus, wire.Logger(service)))
	return nil
}
