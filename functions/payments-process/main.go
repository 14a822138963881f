// Command payments-process runs the ProcessPayment task of the checkout saga: charges an order once.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/paymentstask"
	"github.com/goshop-dev/goshop/internal/wire"
)

func main() {
	if err := run(context.Background()); err != nil {
		wire.Logger("payments").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := wire.PaymentsFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(paymentstask.ProcessPayment(svc, wire.Logger("payments")))
	return nil
}
