// Command catalog-lookup answers the internal catalogrpc lookup (a direct
// Lambda invocation): the products among up to 100 ids, unknown ids absent.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/invocation"
	"github.com/goshop-dev/goshop/internal/logging"
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
	lambda.Start(invocation.Handle("catalog-lookup", logging.ForService("catalog"), catalogrpc.Handler(catalogwire.Lookup(svc))))
	return nil
}
