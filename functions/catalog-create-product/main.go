// Command catalog-create-product serves POST /products: creates a product (admin only).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/catalog/cataloghttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire"
)

func main() {
	if err := run(context.Background()); err != nil {
		wire.Logger("catalog").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := wire.CatalogFromEnv(ctx)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("catalog-create-product"), cataloghttp.CreateProduct(svc), wire.Logger("catalog"))
	return nil
}
