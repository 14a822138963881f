// Package notificationssandbox is the sandbox adapter of the notification
// channels: it sends nothing anywhere, records every message it accepts
// (and logs it, when given a logger) so tests and local runs can see what
// was sent, and can be told to fail a channel.
package notificationssandbox

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/goshop-dev/goshop/domain/notifications"
)

// Sender implements the Email, SMS and Push ports. It is safe for
// concurrent use.
type Sender struct {
	logger *slog.Logger
	mu     sync.Mutex
	sent   []notifications.Message
	fail   map[notifications.Channel]error
}

var (
	_ notifications.Email = (*Sender)(nil)
	_ notifications.SMS   = (*Sender)(nil)
	_ notifications.Push  = (*Sender)(nil)
)

// New returns a Sender that logs each accepted message to logger, if not
// nil.
func New(logger *slog.Logger) *Sender {
	return &Sender{logger: logger, fail: map[notifications.Channel]error{}}
}

// Channels returns s as every channel of a notifications.Service.
func (s *Sender) Channels() notifications.Channels {
	return notifications.Channels{Email: s, SMS: s, Push: s}
}

// Fail makes every later send on ch return err and record nothing; a nil
// err heals the channel.
func (s *Sender) Fail(ch notifications.Channel, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		delete(s.fail, ch)
		return
	}
	s.fail[ch] = err
}

// Sent returns the messages accepted so far, in order.
func (s *Sender) Sent() []notifications.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// SendEmail records m as sent by email.
func (s *Sender) SendEmail(ctx context.Context, m notifications.Message) error {
	return s.send(ctx, notifications.ChannelEmail, m)
}

// SendSMS records m as sent by SMS.
func (s *Sender) SendSMS(ctx context.Context, m notifications.Message) error {
	return s.send(ctx, notifications.ChannelSMS, m)
}

// SendPush records m as sent by push.
func (s *Sender) SendPush(ctx context.Context, m notifications.Message) error {
	return s.send(ctx, notifications.ChannelPush, m)
}

func (s *Sender) send(ctx context.Context, ch notifications.Channel, m notifications.Message) error {
	if m.Channel() != ch {
		return fmt.Errorf("sandbox: %s message handed to the %s channel", m.Channel(), ch)
	}
	s.mu.Lock()
	if err := s.fail[ch]; err != nil {
		s.mu.Unlock()
		return fmt.Errorf("sandbox %s: %w", ch, err)
	}
	s.sent = append(s.sent, m)
	s.mu.Unlock()
	if s.logger != nil {
		s.logger.InfoContext(ctx, "notification sent (sandbox)",
			slog.String("channel", string(ch)), slog.String("messageId", m.ID()), slog.String("userId", m.UserID()),
			slog.String("eventId", m.EventID()), slog.String("subject", m.Subject()))
	}
	return nil
}
