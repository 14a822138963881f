// Command orders-checkout serves POST /checkout: places an order (priced by the catalog, idempotent per Idempotency-Key) and starts its checkout saga.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/orders/ordershttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/orderstask/sfnstarter"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/orderswire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("orders").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := orderswire.CheckoutFromEnv(ctx, sfnstarter.FromConfig)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("orders-checkout"), ordershttp.Checkout(svc), logging.ForService("orders"))
	return nil
}
