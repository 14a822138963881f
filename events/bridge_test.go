package events_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/events"
)

// bridgeEvent is an EventBridge event as a rule delivers it to an SQS queue.
func bridgeEvent(detailType, source string, detail []byte) []byte {
	return []byte(`{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"` + detailType +
		`","source":"` + source + `","account":"123456789012","time":"2026-03-06T10:02:12Z",` +
		`"region":"eu-west-1","resources":[],"detail":` + string(detail) + `}`)
}

func TestFromEventBridge(t *testing.T) {
	t.Parallel()
	for _, e := range events.All {
		key := events.SchemaKey(e.EventType(), e.EventVersion())
		sample := golden(t, key)
		var want events.Envelope
		if err := json.Unmarshal(sample, &want); err != nil {
			t.Fatal(err)
		}
		got, err := events.FromEventBridge(bridgeEvent(e.EventType(), events.SourcePrefix+e.EventProducer(), sample))
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: envelope (-want +got):\n%s", key, diff)
		}
	}
}

func TestFromEventBridgeMalformed(t *testing.T) {
	t.Parallel()
	sample := golden(t, "OrderShipped.v1")
	with := func(field string, v any) []byte {
		var m map[string]any
		if err := json.Unmarshal(sample, &m); err != nil {
			t.Fatal(err)
		}
		if v == nil {
			delete(m, field)
		} else {
			m[field] = v
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const dt, src = events.TypeOrderShipped, events.SourceOrders
	tests := []struct {
		name string
		body []byte
	}{
		{"empty", nil},
		{"not JSON", []byte("OrderShipped")},
		{"no detail", []byte(`{"detail-type":"OrderShipped","source":"goshop.orders"}`)},
		{"null detail", bridgeEvent(dt, src, []byte(`null`))},
		{"detail not an object", bridgeEvent(dt, src, []byte(`[1]`))},
		{"detail not an envelope", bridgeEvent(dt, src, []byte(`{"orderId":"o-1"}`))},
		{"missing id", bridgeEvent(dt, src, with("id", nil))},
		{"missing producer", bridgeEvent(dt, src, with("producer", nil))},
		{"missing version", bridgeEvent(dt, src, with("version", nil))},
		{"bad time", bridgeEvent(dt, src, with("occurredAt", "soon"))},
		{"detail-type mismatch", bridgeEvent(events.TypeOrderConfirmed, src, sample)},
		{"source mismatch", bridgeEvent(dt, events.SourcePayments, sample)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env, err := events.FromEventBridge(tt.body)
			if !errors.Is(err, events.ErrMalformed) {
				t.Errorf("FromEventBridge = %+v, %v; want ErrMalformed", env, err)
			}
		})
	}
}
