// Command cart-remove-saved serves DELETE /cart/saved/{productId}: removes a
// product from the saved-for-later list.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/cart/carthttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/cartwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("cart").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := cartwire.ServiceFromEnv(ctx)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("cart-remove-saved"), carthttp.RemoveSaved(svc), logging.ForService("cart"))
	return nil
}
