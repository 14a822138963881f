// Command payments-process runs the ProcessPayment task of the checkout saga: charges an order once.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/invocation"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/paymentstask"
	"github.com/goshop-dev/goshop/internal/wire/paymentswire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("payments").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := paymentswire.ServiceFromEnv(ctx)
	if err != nil {
		return err
	}
	lambda.Start(invocation.Handle("payments-process", logging.ForService("payments"), paymentstask.ProcessPayment(svc, logging.ForService("payments"))))
	return nil
}
