// Command payments-refund-admin serves POST /payments/{id}/refund: refunds a charged payment once (admin).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/payments/paymentshttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
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
	lambdahttp.Start(routes.Pattern("payments-refund-admin"), paymentshttp.RefundAdmin(svc), logging.ForService("payments"))
	return nil
}
