package logging_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/goshop-dev/goshop/internal/logging"
)

// TestForServiceLevel sets LOG_LEVEL, so it cannot run in parallel.
func TestForServiceLevel(t *testing.T) {
	tests := []struct {
		name      string
		level     string
		wantDebug bool
		wantInfo  bool
	}{
		{"unset", "", false, true},
		{"debug", "debug", true, true},
		{"upper case", "DEBUG", true, true},
		{"warn", "warn", false, false},
		{"unknown", "loud", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LOG_LEVEL", tt.level)
			logger := logging.ForService("test")
			ctx := context.Background()
			if got := logger.Enabled(ctx, slog.LevelDebug); got != tt.wantDebug {
				t.Errorf("debug enabled = %v, want %v", got, tt.wantDebug)
			}
			if got := logger.Enabled(ctx, slog.LevelInfo); got != tt.wantInfo {
				t.Errorf("info enabled = %v, want %v", got, tt.wantInfo)
			}
		})
	}
}

func TestWithCorrelationIDKeepsTheOtherIDs(t *testing.T) {
	t.Parallel()
	ctx := logging.WithIDs(context.Background(), logging.IDs{RequestID: "r-1", LambdaRequestID: "l-1", CorrelationID: "old"})
	got := logging.IDsFrom(logging.WithCorrelationID(ctx, "c-1"))
	if got != (logging.IDs{RequestID: "r-1", LambdaRequestID: "l-1", CorrelationID: "c-1"}) {
		t.Errorf("ids = %+v", got)
	}
}
