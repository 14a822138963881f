// Package events holds the wire contracts of every event the shop
// publishes: the envelope, one versioned Go type per event, their JSON
// Schemas and golden samples (schemas/, testdata/), and the helpers that
// put events on EventBridge and read them back from SQS.
//
// These types are a public contract: other teams subscribe to them. A
// field is never renamed or removed within a version; a breaking change is
// a new version (OrderCreatedV2) published beside the old one.
package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// SourcePrefix starts the EventBridge source of every goshop event:
// "goshop." followed by the producing service.
const SourcePrefix = "goshop."

// Producers.
const (
	ProducerUsers    = "users"
	ProducerOrders   = "orders"
	ProducerPayments = "payments"
	ProducerCatalog  = "catalog"
)

// Envelope wraps every event: it is the EventBridge detail of the event
// and what consumers decode first.
type Envelope struct {
	ID            string          `json:"id"`            // unique per event; consumers deduplicate on it
	Type          string          `json:"type"`          // also the EventBridge detail-type
	Version       int             `json:"version"`       // version of the data's schema
	OccurredAt    time.Time       `json:"occurredAt"`    // when the change happened
	CorrelationID string          `json:"correlationId"` // the request that caused it
	Producer      string          `json:"producer"`      // the service that published it
	Data          json.RawMessage `json:"data"`
}

// Source is the EventBridge source of e: "goshop.<producer>".
func (e Envelope) Source() string { return SourcePrefix + e.Producer }

// Event is implemented by every event data type.
type Event interface {
	EventType() string
	EventVersion() int
	EventProducer() string
}

// Meta is what New needs beside the data: ids and time come from the
// caller, never from inside.
type Meta struct {
	ID            string
	OccurredAt    time.Time
	CorrelationID string
}

// New wraps data in an envelope.
func New(meta Meta, data Event) (Envelope, error) {
	if meta.ID == "" || meta.OccurredAt.IsZero() {
		return Envelope{}, errors.New("event needs an id and a time")
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return Envelope{}, fmt.Errorf("encode %s: %w", data.EventType(), err)
	}
	return Envelope{
		ID:            meta.ID,
		Type:          data.EventType(),
		Version:       data.EventVersion(),
		OccurredAt:    meta.OccurredAt.UTC(),
		CorrelationID: meta.CorrelationID,
		Producer:      data.EventProducer(),
		Data:          raw,
	}, nil
}

// ErrUnexpectedType is returned by Decode for an envelope of another type
// or version than asked for.
var ErrUnexpectedType = errors.New("unexpected event type")

// Decode reads the data of e into a T, checking that e carries a T.
func Decode[T Event](e Envelope) (T, error) {
	var out T
	if e.Type != out.EventType() || e.Version != out.EventVersion() {
		return out, fmt.Errorf("%w: got %s v%d, want %s v%d", ErrUnexpectedType, e.Type, e.Version, out.EventType(), out.EventVersion())
	}
	if err := json.Unmarshal(e.Data, &out); err != nil {
		return out, fmt.Errorf("decode %s: %w", e.Type, err)
	}
	return out, nil
}
