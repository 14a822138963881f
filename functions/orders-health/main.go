// Command orders-health serves GET /health/orders: the health of the orders service,
// its table read and the process's circuit breakers judged (internal/health).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/orders/ordersddb"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/healthwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("orders").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	h, err := healthwire.FromEnv(ctx, "orders", "ORDERS_TABLE", ordersddb.CreateTableInput)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("orders-health"), h, logging.ForService("orders"))
	return nil
}
