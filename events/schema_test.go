package events_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/events/eventstest"
)

// roundTrips decodes an envelope into the Go type of its event and encodes
// it again with the same meta, one function per type of events.All.
var roundTrips = map[string]func(events.Envelope) (events.Envelope, error){
	events.TypeUserRegistered:    roundTrip[events.UserRegisteredV1],
	events.TypeUserUpdated:       roundTrip[events.UserUpdatedV1],
	events.TypeOrderCreated:      roundTrip[events.OrderCreatedV1],
	events.TypeOrderConfirmed:    roundTrip[events.OrderConfirmedV1],
	events.TypeOrderCancelled:    roundTrip[events.OrderCancelledV1],
	events.TypeOrderShipped:      roundTrip[events.OrderShippedV1],
	events.TypePaymentSucceeded:  roundTrip[events.PaymentSucceededV1],
	events.TypePaymentFailed:     roundTrip[events.PaymentFailedV1],
	events.TypePaymentRefunded:   roundTrip[events.PaymentRefundedV1],
	events.TypeInventoryReserved: roundTrip[events.InventoryReservedV1],
	events.TypeInventoryReleased: roundTrip[events.InventoryReleasedV1],
}

func roundTrip[T events.Event](env events.Envelope) (events.Envelope, error) {
	data, err := events.Decode[T](env)
	if err != nil {
		return events.Envelope{}, err
	}
	return events.New(events.Meta{ID: env.ID, OccurredAt: env.OccurredAt, CorrelationID: env.CorrelationID}, data)
}

func golden(t *testing.T, key string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", key+".json"))
	if err != nil {
		t.Fatalf("golden sample %s: %v", key, err)
	}
	return b
}

func compiled(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	schemas, err := eventstest.Compile(events.Schemas())
	if err != nil {
		t.Fatalf("compile schemas: %v", err)
	}
	return schemas
}

func instance(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("read JSON: %v", err)
	}
	return v
}

// semantic unmarshals JSON into plain values so that two documents compare
// equal whatever their layout and key order.
func semantic(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("read JSON: %v", err)
	}
	return v
}

func TestEveryEventHasSchemaAndGoldenSample(t *testing.T) {
	t.Parallel()
	all := events.Schemas()
	want := map[string]bool{}
	for _, e := range events.All {
		key := events.SchemaKey(e.EventType(), e.EventVersion())
		want[key] = true
		b, ok := events.Schema(e.EventType(), e.EventVersion())
		if !ok {
			t.Errorf("no schema for %s", key)
			continue
		}
		if !bytes.Equal(b, all[key]) {
			t.Errorf("Schema(%s) and Schemas()[%s] differ", key, key)
		}
		var doc struct {
			Schema string `json:"$schema"`
			ID     string `json:"$id"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Errorf("schema %s is not JSON: %v", key, err)
		}
		if doc.Schema != "https://json-schema.org/draft/2020-12/schema" || !strings.HasSuffix(doc.ID, "/"+key+".json") {
			t.Errorf("schema %s: $schema %q, $id %q", key, doc.Schema, doc.ID)
		}
		if _, err := os.Stat(filepath.Join("testdata", key+".json")); err != nil {
			t.Errorf("no golden sample for %s: %v", key, err)
		}
		if _, ok := roundTrips[e.EventType()]; !ok {
			t.Errorf("no round trip for %s in this test", key)
		}
	}
	// Nothing is published for a type the Go code does not know.
	for key := range all {
		if !want[key] {
			t.Errorf("schema %s has no type in events.All", key)
		}
	}
	samples, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		if key := strings.TrimSuffix(filepath.Base(s), ".json"); !want[key] {
			t.Errorf("golden sample %s has no type in events.All", key)
		}
	}
	if len(all) != len(events.All) {
		t.Errorf("Schemas() has %d entries, events.All %d", len(all), len(events.All))
	}
}

func TestSchemaUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		eventType string
		version   int
	}{
		{events.TypeOrderCreated, 2},
		{events.TypeOrderCreated, 0},
		{"OrderLost", 1},
		{"", 1},
		{"../schemas/OrderCreated", 1},
	}
	for _, tt := range tests {
		if _, ok := events.Schema(tt.eventType, tt.version); ok {
			t.Errorf("Schema(%q, %d) found a schema", tt.eventType, tt.version)
		}
	}
}

func TestGoldenSamples(t *testing.T) {
	t.Parallel()
	schemas := compiled(t)
	for _, e := range events.All {
		key := events.SchemaKey(e.EventType(), e.EventVersion())
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			sample := golden(t, key)
			if err := schemas[key].Validate(instance(t, sample)); err != nil {
				t.Fatalf("golden sample does not match the schema: %v", err)
			}

			var env events.Envelope
			dec := json.NewDecoder(bytes.NewReader(sample))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&env); err != nil {
				t.Fatalf("decode envelope: %v", err)
			}
			if env.Type != e.EventType() || env.Version != e.EventVersion() || env.Producer != e.EventProducer() {
				t.Fatalf("sample is %s v%d by %s, want %s v%d by %s", env.Type, env.Version, env.Producer, e.EventType(), e.EventVersion(), e.EventProducer())
			}
			again, err := roundTrips[e.EventType()](env)
			if err != nil {
				t.Fatalf("round trip: %v", err)
			}
			out, err := json.Marshal(again)
			if err != nil {
				t.Fatal(err)
			}
			// A Go field renamed, retagged or added shows here as a
			// difference with the published sample.
			if diff := cmp.Diff(semantic(t, sample), semantic(t, out)); diff != "" {
				t.Errorf("Go type does not round-trip the golden sample (-sample +Go):\n%s", diff)
			}
			if err := schemas[key].Validate(instance(t, out)); err != nil {
				t.Errorf("what the Go type encodes does not match the schema: %v", err)
			}
		})
	}
}

// mutate returns the golden sample of key changed by edit.
func mutate(t *testing.T, key string, edit func(env, data map[string]any)) []byte {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal(golden(t, key), &env); err != nil {
		t.Fatal(err)
	}
	data, _ := env["data"].(map[string]any)
	edit(env, data)
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSchemasRejectUnknownAndMissingFields(t *testing.T) {
	t.Parallel()
	schemas := compiled(t)
	for _, e := range events.All {
		key := events.SchemaKey(e.EventType(), e.EventVersion())
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			var sample map[string]any
			if err := json.Unmarshal(golden(t, key), &sample); err != nil {
				t.Fatal(err)
			}
			type edit struct {
				name string
				do   func(env, data map[string]any)
			}
			edits := []edit{
				{"unknown envelope field", func(env, _ map[string]any) { env["source"] = "goshop.test" }},
				{"unknown data field", func(_, data map[string]any) { data["note"] = "extra" }},
				{"data not an object", func(env, _ map[string]any) { env["data"] = "{}" }},
			}
			for field := range sample {
				edits = append(edits, edit{"missing envelope " + field, func(env, _ map[string]any) { delete(env, field) }})
			}
			for field := range sample["data"].(map[string]any) {
				edits = append(edits, edit{"missing data " + field, func(_, data map[string]any) { delete(data, field) }})
			}
			for _, ed := range edits {
				if err := schemas[key].Validate(instance(t, mutate(t, key, ed.do))); err == nil {
					t.Errorf("%s: accepted", ed.name)
				}
			}
		})
	}
}

func TestSchemaValues(t *testing.T) {
	t.Parallel()
	schemas := compiled(t)
	set := func(path string, v any) func(env, data map[string]any) {
		return func(env, _ map[string]any) {
			parts := strings.Split(path, ".")
			m := env
			for _, p := range parts[:len(parts)-1] {
				next, ok := m[p].(map[string]any)
				if !ok {
					arr := m[p].([]any)
					next = arr[0].(map[string]any)
				}
				m = next
			}
			m[parts[len(parts)-1]] = v
		}
	}
	tests := []struct {
		name  string
		key   string
		edit  func(env, data map[string]any)
		valid bool
	}{
		{"golden", "OrderCreated.v1", func(_, _ map[string]any) {}, true},
		{"lower-case currency", "OrderCreated.v1", set("data.total.currency", "usd"), false},
		{"four-letter currency", "PaymentSucceeded.v1", set("data.amount.currency", "USDT"), false},
		{"negative amount", "PaymentRefunded.v1", set("data.amount.amount", -1), false},
		{"fractional amount", "OrderConfirmed.v1", set("data.total.amount", 61.99), false},
		{"amount as string", "OrderConfirmed.v1", set("data.total.amount", "6199"), false},
		{"zero amount", "OrderConfirmed.v1", set("data.total.amount", 0), true},
		{"unit price currency", "OrderCreated.v1", set("data.lines.unitPrice.currency", "eur"), false},
		{"unknown field in a line", "OrderCreated.v1", set("data.lines.sku", "SKU-1"), false},
		{"zero quantity", "InventoryReserved.v1", set("data.lines.quantity", 0), false},
		{"no lines", "InventoryReleased.v1", set("data.lines", []any{}), false},
		{"null lines", "OrderCreated.v1", set("data.lines", nil), false},
		{"unknown cancel reason", "OrderCancelled.v1", set("data.reason", "changed_mind"), false},
		{"cancel out_of_stock", "OrderCancelled.v1", set("data.reason", events.ReasonOutOfStock), true},
		{"cancel reservation_failed", "OrderCancelled.v1", set("data.reason", events.ReasonReservationFailed), true},
		{"cancel payment_declined", "OrderCancelled.v1", set("data.reason", events.ReasonPaymentDeclined), true},
		{"cancel payment_failed", "OrderCancelled.v1", set("data.reason", events.ReasonPaymentFailed), true},
		{"cancel confirm_failed", "OrderCancelled.v1", set("data.reason", events.ReasonConfirmFailed), true},
		{"payment declined", "PaymentFailed.v1", set("data.reason", events.PaymentReasonDeclined), true},
		{"payment error", "PaymentFailed.v1", set("data.reason", events.PaymentReasonError), true},
		{"payment timeout", "PaymentFailed.v1", set("data.reason", "timeout"), false},
		{"occurredAt not a time", "OrderShipped.v1", set("occurredAt", "yesterday"), false},
		{"data time not a time", "OrderShipped.v1", set("data.shippedAt", "2026-03-07"), false},
		{"time with offset", "OrderShipped.v1", set("data.shippedAt", "2026-03-07T09:30:00+01:00"), true},
		{"other type", "OrderShipped.v1", set("type", events.TypeOrderConfirmed), false},
		{"other version", "OrderShipped.v1", set("version", 2), false},
		{"version as string", "OrderShipped.v1", set("version", "1"), false},
		{"other producer", "OrderShipped.v1", set("producer", events.ProducerPayments), false},
		{"empty id", "OrderShipped.v1", set("id", ""), false},
		{"empty order id", "OrderShipped.v1", set("data.orderId", ""), false},
		{"empty correlation id", "OrderShipped.v1", set("correlationId", ""), true},
		{"bad email", "UserRegistered.v1", set("data.email", "not-an-email"), false},
		{"no categories", "UserUpdated.v1", set("data.categories", []any{}), true},
		{"null categories", "UserUpdated.v1", set("data.categories", nil), true},
		{"numeric category", "UserUpdated.v1", set("data.categories", []any{7}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := schemas[tt.key].Validate(instance(t, mutate(t, tt.key, tt.edit)))
			if got := err == nil; got != tt.valid {
				t.Errorf("valid = %t, want %t (error: %v)", got, tt.valid, err)
			}
		})
	}
}
