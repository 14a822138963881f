package eventstest_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/events/eventstest"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	golden, err := os.ReadFile(filepath.Join("..", "testdata", "PaymentFailed.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var bad map[string]any
	if err := json.Unmarshal(golden, &bad); err != nil {
		t.Fatal(err)
	}
	bad["data"].(map[string]any)["reason"] = "lost"
	badJSON, err := json.Marshal(bad)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		detail  []byte
		wantErr bool
		noSchem bool
	}{
		{"golden", golden, false, false},
		{"bad reason", badJSON, true, false},
		{"not JSON", []byte(`{`), true, false},
		{"unknown type", []byte(`{"type":"OrderLost","version":1}`), true, true},
		{"unknown version", []byte(`{"type":"PaymentFailed","version":9}`), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := eventstest.Validate(tt.detail)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate error = %v, want error %t", err, tt.wantErr)
			}
			if errors.Is(err, eventstest.ErrNoSchema) != tt.noSchem {
				t.Errorf("Validate error = %v, want ErrNoSchema %t", err, tt.noSchem)
			}
		})
	}
}

// recorder is a testing.TB that records Fatalf instead of stopping.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(string, ...any) { r.failed = true }

func TestRequireValid(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 6, 10, 2, 11, 0, time.UTC)
	meta := events.Meta{ID: "e-1", OccurredAt: at, CorrelationID: "c-1"}
	good, err := events.New(meta, events.OrderCancelledV1{OrderID: "o-1", UserID: "u-1", Reason: events.ReasonOutOfStock, CancelledAt: at})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := events.New(meta, events.OrderCancelledV1{OrderID: "o-1", UserID: "u-1", Reason: "bored", CancelledAt: at})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		env      events.Envelope
		wantFail bool
	}{
		{"valid", good, false},
		{"invalid reason", bad, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &recorder{TB: t}
			eventstest.RequireValid(r, tt.env)
			if r.failed != tt.wantFail {
				t.Errorf("failed = %t, want %t", r.failed, tt.wantFail)
			}
		})
	}
}
