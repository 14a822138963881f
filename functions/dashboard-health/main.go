// Command dashboard-health serves GET /health/dashboard: the health of the dashboard service,
// its table read and the process's circuit breakers judged (internal/health).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/domain/dashboard/dashboardddb"
	"github.com/goshop-dev/goshop/internal/lambdahttp"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
	"github.com/goshop-dev/goshop/internal/wire/healthwire"
)

func main() {
	if err := run(context.Background()); err != nil {
		logging.ForService("dashboard").Error("start", slog.String("error", err.Error()))
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	h, err := healthwire.FromEnv(ctx, "dashboard", "DASHBOARD_TABLE", dashboardddb.CreateTableInput)
	if err != nil {
		return err
	}
	lambdahttp.Start(routes.Pattern("dashboard-health"), h, logging.ForService("dashboard"))
	return nil
}
