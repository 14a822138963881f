package catalogddb_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/logging"
)

// outboxEvents returns the envelopes of the outbox items in the table.
func outboxEvents(t *testing.T, items []map[string]any) []events.Envelope {
	t.Helper()
	var out []events.Envelope
	for _, item := range items {
		if item["type"] != "Outbox" {
			continue
		}
		var env events.Envelope
		if err := json.Unmarshal([]byte(item["detail"].(string)), &env); err != nil {
			t.Fatalf("outbox detail: %v", err)
		}
		if !strings.HasPrefix(item["pk"].(string), "OUTBOX#"+env.ID) || item["expiresAt"] == nil {
			t.Fatalf("outbox item keys: %v", item)
		}
		out = append(out, env)
	}
	return out
}

func TestReserveAndReleasePublishThroughTheOutbox(t *testing.T) {
	t.Parallel()
	store, client, table := newStore(t)
	svc := catalog.NewService(store, func() time.Time { return epoch }, uuid.NewString)
	ctx := logging.WithIDs(context.Background(), logging.IDs{CorrelationID: "corr-42"})
	p, err := svc.Create(ctx, catalog.NewProductParams{SKU: "MUG-1", Name: "Mug", Category: "kitchen", PriceAmount: 500, Currency: "USD", InitialStock: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Reserve(ctx, "order-ok", []catalog.Line{{ProductID: p.ID(), Quantity: 2}}); err != nil {
		t.Fatal(err)
	}
	var short *catalog.InsufficientStockError
	if _, err := svc.Reserve(ctx, "order-short", []catalog.Line{{ProductID: p.ID(), Quantity: 5}}); !errors.As(err, &short) {
		t.Fatalf("reserve beyond stock: %v", err)
	}
	// A replay publishes nothing new.
	if _, err := svc.Reserve(ctx, "order-ok", []catalog.Line{{ProductID: p.ID(), Quantity: 2}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Release(ctx, "order-ok"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Release(ctx, "order-ok"); err != nil {
		t.Fatal(err)
	}

	got := outboxEvents(t, scanAll(t, client, table))
	if len(got) != 2 {
		t.Fatalf("%d outbox events, want InventoryReserved and InventoryReleased once each: %+v", len(got), got)
	}
	byType := map[string]events.Envelope{}
	for _, e := range got {
		byType[e.Type] = e
		if e.CorrelationID != "corr-42" || e.Producer != events.ProducerCatalog || !e.OccurredAt.Equal(epoch) {
			t.Errorf("%s envelope: %+v", e.Type, e)
		}
	}
	reserved, err := events.Decode[events.InventoryReservedV1](byType[events.TypeInventoryReserved])
	if err != nil {
		t.Fatal(err)
	}
	released, err := events.Decode[events.InventoryReleasedV1](byType[events.TypeInventoryReleased])
	if err != nil {
		t.Fatal(err)
	}
	want := []events.StockLine{{ProductID: p.ID(), Quantity: 2}}
	if reserved.OrderID != "order-ok" || len(reserved.Lines) != 1 || reserved.Lines[0] != want[0] {
		t.Errorf("InventoryReserved = %+v", reserved)
	}
	if released.OrderID != "order-ok" || len(released.Lines) != 1 || released.Lines[0] != want[0] {
		t.Errorf("InventoryReleased = %+v", released)
	}
}
