// Command catalog-reserve is the checkout saga's ReserveInventory: sets aside the order's units
// (internal/catalogtask), idempotent per order id.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/invocation"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/wire/catalogwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("catalog").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	reserve, err := catalogwire.ReserveFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(invocation.Handle("catalog-reserve", logging.ForService("catalog"), reserve))
	return nil
}
