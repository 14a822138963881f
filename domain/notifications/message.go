package notifications

import (
	"fmt"
	"strings"
	"time"
)

// Channel is a way of reaching a user.
type Channel string

// Channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
	ChannelPush  Channel = "push"
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	return c == ChannelEmail || c == ChannelSMS || c == ChannelPush
}

// Status is where a message is in its delivery.
type Status string

// Statuses: a message is recorded PENDING and becomes SENT once its
// channel accepted it.
const (
	StatusPending Status = "PENDING"
	StatusSent    Status = "SENT"
)

// maxIDLen bounds user, message and event ids, in bytes.
const maxIDLen = 64

// Message is one notification to one user through one channel.
type Message struct {
	id         string
	userID     string
	eventID    string
	eventType  string
	channel    Channel
	subject    string
	body       string
	status     Status
	attempts   int
	createdAt  time.Time
	leaseUntil time.Time
	sentAt     time.Time
	version    int64
}

// Key identifies a stored message: the user's list is ordered by
// (CreatedAt, ID).
type Key struct {
	UserID    string
	CreatedAt time.Time
	ID        string
}

// MessageParams are the values of a new message.
type MessageParams struct {
	ID        string
	UserID    string
	EventID   string
	EventType string
	Channel   Channel
	Subject   string
	Body      string
}

// NewMessage returns a PENDING message created at now, leased to its
// creator until now+lease, at attempt 1 and version 1.
func NewMessage(p MessageParams, now time.Time, lease time.Duration) (Message, error) {
	switch {
	case !ValidID(p.ID):
		return Message{}, fmt.Errorf("%w: id %q", ErrInvalidMessage, p.ID)
	case !ValidID(p.UserID):
		return Message{}, fmt.Errorf("%w: user id %q", ErrInvalidMessage, p.UserID)
	case !validEventID(p.EventID):
		return Message{}, fmt.Errorf("%w: event id %q", ErrInvalidMessage, p.EventID)
	case p.EventType == "":
		return Message{}, fmt.Errorf("%w: no event type", ErrInvalidMessage)
	case !p.Channel.Valid():
		return Message{}, fmt.Errorf("%w: channel %q", ErrInvalidMessage, p.Channel)
	case p.Subject == "" || p.Body == "":
		return Message{}, fmt.Errorf("%w: no subject or body", ErrInvalidMessage)
	}
	now = now.UTC()
	return Message{
		id: p.ID, userID: p.UserID, eventID: p.EventID, eventType: p.EventType, channel: p.Channel,
		subject: p.Subject, body: p.Body, status: StatusPending, attempts: 1,
		createdAt: now, leaseUntil: now.Add(lease), version: 1,
	}, nil
}

// MessageState is a stored message, for adapters to rehydrate.
type MessageState struct {
	ID         string
	UserID     string
	EventID    string
	EventType  string
	Channel    Channel
	Subject    string
	Body       string
	Status     Status
	Attempts   int
	CreatedAt  time.Time
	LeaseUntil time.Time
	SentAt     time.Time
	Version    int64
}

// RehydrateMessage rebuilds a stored message without validating it.
func RehydrateMessage(s MessageState) Message {
	return Message{
		id: s.ID, userID: s.UserID, eventID: s.EventID, eventType: s.EventType, channel: s.Channel,
		subject: s.Subject, body: s.Body, status: s.Status, attempts: s.Attempts,
		createdAt: s.CreatedAt, leaseUntil: s.LeaseUntil, sentAt: s.SentAt, version: s.Version,
	}
}

// ID is the message id; stable across retries, a provider's idempotency
// key.
func (m Message) ID() string { return m.id }

// UserID is the recipient.
func (m Message) UserID() string { return m.userID }

// EventID is the id of the event the message tells about.
func (m Message) EventID() string { return m.eventID }

// EventType is the type of that event, e.g. "OrderShipped".
func (m Message) EventType() string { return m.eventType }

// Channel is the channel the message goes through.
func (m Message) Channel() Channel { return m.channel }

// Subject is the subject line (the title of a push).
func (m Message) Subject() string { return m.subject }

// Body is the plain-text content.
func (m Message) Body() string { return m.body }

// Status is PENDING or SENT.
func (m Message) Status() Status { return m.status }

// Attempts counts the deliveries that claimed the message.
func (m Message) Attempts() int { return m.attempts }

// CreatedAt is when the message was recorded.
func (m Message) CreatedAt() time.Time { return m.createdAt }

// LeaseUntil is when the delivery holding the message gives it up; zero
// once SENT.
func (m Message) LeaseUntil() time.Time { return m.leaseUntil }

// SentAt is when the channel accepted the message; zero while PENDING.
func (m Message) SentAt() time.Time { return m.sentAt }

// Version counts the message's changes, for optimistic locking.
func (m Message) Version() int64 { return m.version }

// Key is the message's storage key.
func (m Message) Key() Key { return Key{UserID: m.userID, CreatedAt: m.createdAt, ID: m.id} }

// Claim leases a PENDING message to the caller until now+lease:
// ErrAlreadySent when it is SENT, ErrInFlight while another delivery's
// lease runs.
func (m *Message) Claim(now time.Time, lease time.Duration) error {
	switch {
	case m.status == StatusSent:
		return ErrAlreadySent
	case m.leaseUntil.After(now):
		return fmt.Errorf("%w: until %s", ErrInFlight, m.leaseUntil.Format(time.RFC3339))
	}
	m.attempts++
	m.leaseUntil = now.UTC().Add(lease)
	m.version++
	return nil
}

// Release gives up the lease of a PENDING message whose send failed, so
// that the event's redelivery may send it at once; a SENT message is left
// as it is.
func (m *Message) Release() {
	if m.status == StatusSent || m.leaseUntil.IsZero() {
		return
	}
	m.leaseUntil = time.Time{}
	m.version++
}

// MarkSent records that the channel accepted the message at now:
// ErrAlreadySent when it is SENT already.
func (m *Message) MarkSent(now time.Time) error {
	if m.status == StatusSent {
		return ErrAlreadySent
	}
	m.status = StatusSent
	m.sentAt = now.UTC()
	m.leaseUntil = time.Time{}
	m.version++
	return nil
}

// ValidID reports whether id can be a user or message id: 1 to 64 ASCII
// letters, digits, '-' or '_'.
func ValidID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validEventID accepts the ids events carry (UUIDs, ULIDs): 1 to 64
// printable ASCII characters other than '#', which separates key parts.
func validEventID(id string) bool {
	if id == "" || len(id) > maxIDLen || strings.ContainsRune(id, '#') {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}
