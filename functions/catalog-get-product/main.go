// Command catalog-get-product serves GET /products/{id}: returns a product with its stock.
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
	lambdahttp.Start(routes.Pattern("catalog-get-product"), cataloghttp.GetProduct(svc), logging.ForService("catalog"))
	return nil
}
