// Command catalog-release is the checkout saga's ReleaseInventory: returns the order's reserved units
// (internal/catalogtask), idempotent per order id.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/catalogtask"
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
	svc, err := catalogwire.ServiceFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(invocation.Handle("catalog-release", logging.ForService("catalog"), catalogtask.Release(svc)))
	return nil
}
