// Command cart-move-to-cart serves POST /cart/saved/{productId}/move-to-cart:
// moves a saved-for-later item back into the cart.
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
	lambdahttp.Start(routes.Pattern("cart-move-to-cart"), carthttp.MoveToCart(svc), logging.ForService("cart"))
	return nil
}
