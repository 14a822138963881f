package events

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrMalformed is returned by FromEventBridge for a message that does not
// hold a goshop event. Retrying it cannot help.
var ErrMalformed = errors.New("malformed event")

// bridgeEvent is the part of an EventBridge event a consumer reads: what a
// rule delivers to its targets (the body of an SQS message, the payload of
// a Lambda function).
type bridgeEvent struct {
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Detail     json.RawMessage `json:"detail"`
}

// FromEventBridge reads the envelope out of an EventBridge event as a rule
// delivers it, for example the body of an SQS message. The envelope must
// have an id, a version, and a type and producer that agree with the
// event's detail-type and source; otherwise the error wraps ErrMalformed.
// Read the data with Decode.
func FromEventBridge(body []byte) (Envelope, error) {
	var be bridgeEvent
	if err := json.Unmarshal(body, &be); err != nil {
		return Envelope{}, fmt.Errorf("%w: not an EventBridge event: %v", ErrMalformed, err)
	}
	var env Envelope
	if err := json.Unmarshal(be.Detail, &env); err != nil {
		return Envelope{}, fmt.Errorf("%w: detail is not an envelope: %v", ErrMalformed, err)
	}
	switch {
	case env.ID == "" || env.Type == "" || env.Producer == "" || env.Version < 1:
		return Envelope{}, fmt.Errorf("%w: envelope without id, type, producer or version", ErrMalformed)
	case env.Type != be.DetailType:
		return Envelope{}, fmt.Errorf("%w: envelope of type %q under detail-type %q", ErrMalformed, env.Type, be.DetailType)
	case env.Source() != be.Source:
		return Envelope{}, fmt.Errorf("%w: envelope from %q under source %q", ErrMalformed, env.Producer, be.Source)
	}
	return env, nil
}
