// Command payments-health serves GET /health/payments: the health of the payments service,
// its table read and the process's circuit breakers judged (internal/health).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/payments/paymentsddb"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/healthwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("payments").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	h, err := healthwire.FromEnv(ctx, "payments", "PAYMENTS_TABLE", paymentsddb.CreateTableInput)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("payments-health"), h, logging.ForService("payments"))
	return nil
}
