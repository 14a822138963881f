// Command cart-remove-saved serves DELETE /cart/saved/{productId}: removes a
// product from the saved-for-later list.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/cart/carthttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire"
)

func main() {
	if err := run(context.Background()); err != nil {
		wire.Logger("cart").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := wire.CartFromEnv(ctx)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("cart-remove-saved"), carthttp.RemoveSaved(svc), wire.Logger("cart"))
	return nil
}
