// Command orders-cancel is the checkout saga's CancelOrder compensation: the order becomes CANCELLED with the reason (idempotent).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/invocation"
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
	lambda.Start(invocation.Handle("orders-cancel", logging.ForService("orders"), orderstask.Cancel(svc)))
	return nil
}
