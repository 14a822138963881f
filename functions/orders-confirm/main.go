// Command orders-confirm is the checkout saga's ConfirmOrder task: the order becomes CONFIRMED with its payment (idempotent).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/orderstask"
	"github.com/goshop-dev/goshop/internal/wire"
)

func main() {
	if err := run(context.Background()); err != nil {
		wire.Logger("orders").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := wire.OrdersFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(orderstask.Confirm(svc))
	return nil
}
