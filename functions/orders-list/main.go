// Command orders-list serves GET /users/{id}/orders: the user's orders, newest first, paginated.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/orders/ordershttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
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
	svc, err := orderswire.ServiceFromEnv(ctx)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("orders-list"), ordershttp.List(svc), logging.ForService("orders"))
	return nil
}
