package notifications

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of the notifications context; test them with errors.Is.
var (
	// ErrInvalidEvent is returned for a notice that cannot be rendered:
	// missing or malformed ids, or missing amounts. Retrying cannot help.
	ErrInvalidEvent = errors.New("invalid event")
	// ErrDuplicateEvent is returned by Repository.Record when the event's
	// messages were already recorded.
	ErrDuplicateEvent = errors.New("event already recorded")
	// ErrNotFound is returned when no message or event marker has the key.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when a concurrent write won.
	ErrConflict = errors.New("concurrent modification")
	// ErrInFlight is returned when another delivery of the event holds the
	// lease of a message still to send: retry after the lease.
	ErrInFlight = errors.New("message is being sent by another delivery")
	// ErrAlreadySent is returned when a message to claim or mark is SENT.
	ErrAlreadySent = errors.New("message already sent")
	// ErrInvalidMessage is returned by NewMessage for a message missing a
	// field or naming an unknown channel.
	ErrInvalidMessage = errors.New("invalid message")

	// ErrInvalidUserID is returned for a user id that is not 1 to 64
	// characters of [A-Za-z0-9_-].
	ErrInvalidUserID = errors.New("invalid user id")
	// ErrInvalidLimit is returned for a page size outside [1, MaxLimit].
	ErrInvalidLimit = errors.New("invalid limit")
	// ErrInvalidCursor is returned for a list cursor that is malformed or
	// belongs to another user's list.
	ErrInvalidCursor = errors.New("invalid cursor")
)

// DeliveryError reports the channels whose send failed; their messages
// stay PENDING for the event's redelivery. It unwraps to the channels'
// errors.
type DeliveryError struct {
	EventID string
	Failed  []Channel
	Err     error
}

func (e *DeliveryError) Error() string {
	names := make([]string, len(e.Failed))
	for i, c := range e.Failed {
		names[i] = string(c)
	}
	return fmt.Sprintf("event %s: send %s: %v", e.EventID, strings.Join(names, ", "), e.Err)
}

// Unwrap returns the channels' errors.
func (e *DeliveryError) Unwrap() error { return e.Err }
