package notifications

import (
	"context"
	"time"
)

// Repository stores messages and the markers of the events they came from.
// Implementations: the DynamoDB adapter (notificationsddb) and the
// in-memory fake (notificationstest), both held to
// notificationstest.RunRepositoryContract.
type Repository interface {
	// Record stores msgs (one event's messages, at least one, same event
	// and user) and the event's marker in one atomic write:
	// ErrDuplicateEvent when the marker exists, ErrConflict when a
	// concurrent write interfered; nothing is written then.
	Record(ctx context.Context, eventID string, msgs []Message) error
	// EventMessages returns the messages recorded for the event, in the
	// order recorded, or ErrNotFound.
	EventMessages(ctx context.Context, eventID string) ([]Message, error)
	// Update reads the message, applies fn and stores the result only if
	// its version is still the one read: ErrNotFound, fn's error, or
	// ErrConflict. When fn leaves the version unchanged nothing is written.
	Update(ctx context.Context, key Key, fn func(*Message) error) error
	// List returns a page of the user's messages, newest first (by
	// CreatedAt, then ID, descending). q is valid (see Service.List). A
	// cursor that is malformed or from another user's list is
	// ErrInvalidCursor.
	List(ctx context.Context, q Query) (Page, error)
}

// Email sends a message by email. Implementations resolve the user's
// address from the message's user id.
type Email interface {
	SendEmail(ctx context.Context, m Message) error
}

// SMS sends a message by text message.
type SMS interface {
	SendSMS(ctx context.Context, m Message) error
}

// Push sends a message as a push notification, the subject as its title.
type Push interface {
	SendPush(ctx context.Context, m Message) error
}

// Channels are the service's senders. SMS may be nil while no notice
// selects it (see ChannelsFor).
type Channels struct {
	Email Email
	SMS   SMS
	Push  Push
}

// DefaultLease is how long a delivery holds the messages it sends.
const DefaultLease = 60 * time.Second

// Service is the notifications' use cases.
type Service struct {
	repo     Repository
	channels Channels
	now      func() time.Time
	newID    func() string
	lease    time.Duration
}

// Option configures a Service.
type Option func(*Service)

// WithLease sets how long a delivery holds a message before a redelivery
// may send it again (default DefaultLease). Keep it above the consumer's
// timeout.
func WithLease(d time.Duration) Option {
	return func(s *Service) { s.lease = d }
}

// NewService returns the notifications service over repo, sending through
// channels, reading time from now and naming messages with newID.
func NewService(repo Repository, channels Channels, now func() time.Time, newID func() string, opts ...Option) *Service {
	s := &Service{repo: repo, channels: channels, now: now, newID: newID, lease: DefaultLease}
	for _, opt := range opts {
		opt(s)
	}
	return s
}
