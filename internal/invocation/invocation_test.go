package invocation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/invocation"
	"github.com/goshop-dev/goshop/internal/logging"
)

type input struct {
	OrderID       string `json:"orderId"`
	CorrelationID string `json:"correlationId"`
	Amount        int    `json:"amount"`
}

func TestHandleCarriesTheCorrelationIDAndLogsTheOutcome(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := logging.New(&buf, "payments", slog.LevelInfo)
	var seen logging.IDs
	h := invocation.Handle("payments-process", logger, func(ctx context.Context, in input) (string, error) {
		seen = logging.IDsFrom(ctx)
		logger.InfoContext(ctx, "charging")
		if in.Amount < 0 {
			return "", errors.New("negative amount")
		}
		return "ok", nil
	})
	if out, err := h(context.Background(), input{OrderID: "o-1", CorrelationID: "corr-1", Amount: 5}); err != nil || out != "ok" {
		t.Fatalf("h = %q, %v", out, err)
	}
	if seen.CorrelationID != "corr-1" {
		t.Errorf("the handler's context carries correlation id %q, want corr-1", seen.CorrelationID)
	}
	if _, err := h(context.Background(), input{OrderID: "o-2", CorrelationID: "corr-2", Amount: -1}); err == nil {
		t.Fatal("the handler's error was lost")
	}
	type line struct{ Level, Msg, Function, OrderID, CorrelationID, Error string }
	var got []line
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var l line
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		got = append(got, l)
	}
	want := []line{
		{"INFO", "charging", "", "", "corr-1", ""},
		{"INFO", "invocation handled", "payments-process", "o-1", "corr-1", ""},
		{"INFO", "charging", "", "", "corr-2", ""},
		{"WARN", "invocation failed", "payments-process", "o-2", "corr-2", "negative amount"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log lines (-want +got):\n%s", diff)
	}
}
