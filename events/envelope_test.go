package events_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/events"
)

var meta = events.Meta{
	ID:            "0f8fad5b-d9cb-469f-a165-70867728950e",
	OccurredAt:    time.Date(2026, 3, 6, 10, 2, 11, 204e6, time.UTC),
	CorrelationID: "corr-1",
}

func TestNew(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	data := events.OrderShippedV1{OrderID: "o-1", UserID: "u-1", ShippedAt: meta.OccurredAt}
	env, err := events.New(events.Meta{ID: meta.ID, OccurredAt: meta.OccurredAt.In(paris), CorrelationID: meta.CorrelationID}, data)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	want := events.Envelope{
		ID: meta.ID, Type: events.TypeOrderShipped, Version: 1,
		OccurredAt: meta.OccurredAt, CorrelationID: meta.CorrelationID, Producer: events.ProducerOrders,
		Data: json.RawMessage(`{"orderId":"o-1","userId":"u-1","shippedAt":"2026-03-06T10:02:11.204Z"}`),
	}
	if diff := cmp.Diff(want, env); diff != "" {
		t.Errorf("envelope (-want +got):\n%s", diff)
	}
	if env.OccurredAt.Location() != time.UTC {
		t.Errorf("occurredAt in %s, want UTC", env.OccurredAt.Location())
	}
	if env.DetailType() != events.TypeOrderShipped {
		t.Errorf("DetailType() = %q", env.DetailType())
	}
}

func TestNewRefusesMissingMeta(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		meta events.Meta
	}{
		{"no id", events.Meta{OccurredAt: meta.OccurredAt, CorrelationID: "c"}},
		{"no time", events.Meta{ID: meta.ID, CorrelationID: "c"}},
		{"nothing", events.Meta{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env, err := events.New(tt.meta, events.OrderShippedV1{OrderID: "o-1"})
			if err == nil {
				t.Fatalf("New accepted %+v: %+v", tt.meta, env)
			}
			if diff := cmp.Diff(events.Envelope{}, env); diff != "" {
				t.Errorf("envelope returned with the error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSource(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		events.TypeUserRegistered:    "goshop.users",
		events.TypeUserUpdated:       "goshop.users",
		events.TypeOrderCreated:      "goshop.orders",
		events.TypeOrderConfirmed:    "goshop.orders",
		events.TypeOrderCancelled:    "goshop.orders",
		events.TypeOrderShipped:      "goshop.orders",
		events.TypePaymentSucceeded:  "goshop.payments",
		events.TypePaymentFailed:     "goshop.payments",
		events.TypePaymentRefunded:   "goshop.payments",
		events.TypeInventoryReserved: "goshop.catalog",
		events.TypeInventoryReleased: "goshop.catalog",
	}
	if len(want) != len(events.All) {
		t.Fatalf("this test knows %d types, events.All has %d", len(want), len(events.All))
	}
	for _, e := range events.All {
		env, err := events.New(meta, e)
		if err != nil {
			t.Fatalf("New %s: %v", e.EventType(), err)
		}
		if got := env.Source(); got != want[e.EventType()] || got != "goshop."+env.Producer {
			t.Errorf("%s: Source() = %q, want %q", e.EventType(), got, want[e.EventType()])
		}
	}
	sources := map[string]string{
		events.SourceUsers: "goshop.users", events.SourceOrders: "goshop.orders",
		events.SourcePayments: "goshop.payments", events.SourceCatalog: "goshop.catalog",
	}
	for got, want := range sources {
		if got != want {
			t.Errorf("source constant %q, want %q", got, want)
		}
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	created := events.OrderCreatedV1{
		OrderID: "o-1", UserID: "u-1",
		Lines:     []events.OrderLine{{ProductID: "p-1", Name: "Mug", Quantity: 2, UnitPrice: events.Money{Amount: 1299, Currency: "USD"}}},
		Total:     events.Money{Amount: 2598, Currency: "USD"},
		CreatedAt: meta.OccurredAt,
	}
	env, err := events.New(meta, created)
	if err != nil {
		t.Fatal(err)
	}
	got, err := events.Decode[events.OrderCreatedV1](env)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}

	// Through the wire: what a consumer reads back is what was published.
	wire, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	var read events.Envelope
	if err := json.Unmarshal(wire, &read); err != nil {
		t.Fatal(err)
	}
	got, err = events.Decode[events.OrderCreatedV1](read)
	if err != nil {
		t.Fatalf("Decode after the wire: %v", err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("decoded after the wire (-want +got):\n%s", diff)
	}
}

func TestDecodeRefusesOtherTypeOrVersion(t *testing.T) {
	t.Parallel()
	confirmed, err := events.New(meta, events.OrderConfirmedV1{OrderID: "o-1"})
	if err != nil {
		t.Fatal(err)
	}
	created, err := events.New(meta, events.OrderCreatedV1{OrderID: "o-1"})
	if err != nil {
		t.Fatal(err)
	}
	v2 := created
	v2.Version = 2
	v0 := created
	v0.Version = 0
	tests := []struct {
		name string
		env  events.Envelope
	}{
		{"other type", confirmed},
		{"newer version", v2},
		{"no version", v0},
		{"no type", events.Envelope{ID: "x", Version: 1, Data: json.RawMessage(`{}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := events.Decode[events.OrderCreatedV1](tt.env); !errors.Is(err, events.ErrUnexpectedType) {
				t.Errorf("Decode error = %v, want ErrUnexpectedType", err)
			}
		})
	}
}

func TestDecodeRefusesMalformedData(t *testing.T) {
	t.Parallel()
	env := events.Envelope{ID: "x", Type: events.TypeOrderShipped, Version: 1, Data: json.RawMessage(`{"orderId": 7}`)}
	_, err := events.Decode[events.OrderShippedV1](env)
	if err == nil || errors.Is(err, events.ErrUnexpectedType) {
		t.Errorf("Decode error = %v, want a decoding error", err)
	}
}
