// Package wire builds each service from a function's environment: it reads
// the configuration once, builds the AWS clients and the adapters, and
// returns the service ready for its handlers. Function mains stay a dozen
// lines, and a local run differs from AWS only by endpoint variables.
package wire

import (
	"log/slog"
	"os"

	"github.com/goshop-dev/goshop/internal/logging"
)

// Logger returns the JSON logger of service, at LOG_LEVEL (default info).
func Logger(service string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))); err != nil {
		level = slog.LevelInfo
	}
	return logging.New(os.Stdout, service, level)
}
