// Command catalog-set-inventory serves PUT /products/{id}/inventory: sets the units available to sell (admin only).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/catalog/cataloghttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
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
	lambdahttp.Start(routes.Pattern("catalog-set-inventory"), cataloghttp.SetInventory(svc), logging.ForService("catalog"))
	return nil
}
