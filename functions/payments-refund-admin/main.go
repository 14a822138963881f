// Command payments-refund-admin serves POST /payments/{id}/refund: refunds a charged payment once (admin).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/payments/paymentshttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/routes"
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
	lambdahttp.Start(routes.Pattern("payments-refund-admin"), paymentshttp.RefundAdmin(svc), wire.Logger("payments"))
	return nil
}
