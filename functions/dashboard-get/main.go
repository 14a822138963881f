// Command dashboard-get serves GET /dashboard: the caller's profile,
// recent orders and recommendations, each part degraded on its own.
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/dashboard/dashboardhttp"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/dashboardwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("dashboard").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	svc, err := dashboardwire.ServiceFromEnv(ctx)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("dashboard-get"), dashboardhttp.Get(svc), logging.ForService("dashboard"))
	return nil
}
