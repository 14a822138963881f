package metrics

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
)

var (
	// ErrInvalidMetric marks a metric that was not written because its
	// name, unit or value breaks the rules of the package documentation.
	ErrInvalidMetric = errors.New("metric not recorded")
	// ErrFieldRefused marks a dimension written as a property instead, or a
	// dimension or property dropped, because of its name or value.
	ErrFieldRefused = errors.New("field refused")
)

// LogOnce returns a problem handler for OnError that logs the first problem
// of each kind (ErrInvalidMetric, ErrFieldRefused, failed writes) to logger
// at warn level, with the ids found in the context, and drops the rest.
// Each call returns a handler with its own memory of what it has logged.
func LogOnce(logger *slog.Logger) func(context.Context, error) {
	var invalid, refused, write atomic.Bool
	return func(ctx context.Context, err error) {
		seen, kind := &write, "write"
		switch {
		case errors.Is(err, ErrInvalidMetric):
			seen, kind = &invalid, "invalid metric"
		case errors.Is(err, ErrFieldRefused):
			seen, kind = &refused, "field refused"
		}
		if seen.CompareAndSwap(false, true) {
			logger.WarnContext(ctx, "metric problem; later ones of this kind are not logged",
				"kind", kind, "error", err.Error())
		}
	}
}
