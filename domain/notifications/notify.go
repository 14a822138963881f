package notifications

import (
	"context"
	"errors"
	"fmt"
)

// Notify tells n's recipient about event eventID, once per channel of
// ChannelsFor(n), following the record, send, mark order of the package
// doc. A redelivered event sends only its messages still PENDING.
//
// Errors: ErrInvalidEvent (never retry), *DeliveryError when a channel
// failed, ErrInFlight when another delivery holds a message, ErrConflict,
// or a storage error; all but the first are worth a retry.
func (s *Service) Notify(ctx context.Context, eventID string, n Notice) error {
	if !validEventID(eventID) {
		return fmt.Errorf("%w: event id %q", ErrInvalidEvent, eventID)
	}
	content, err := Render(n)
	if err != nil {
		return err
	}
	now := s.now()
	var msgs []Message
	for _, ch := range ChannelsFor(n) {
		m, err := NewMessage(MessageParams{
			ID: s.newID(), UserID: n.Recipient(), EventID: eventID, EventType: n.EventType(),
			Channel: ch, Subject: content.Subject, Body: content.Body,
		}, now, s.lease)
		if err != nil {
			return fmt.Errorf("notify %s: %w", eventID, err)
		}
		msgs = append(msgs, m)
	}
	err = s.repo.Record(ctx, eventID, msgs)
	switch {
	case errors.Is(err, ErrDuplicateEvent):
		return s.resume(ctx, eventID)
	case err != nil:
		return fmt.Errorf("notify %s: %w", eventID, err)
	}
	// Freshly recorded messages are leased to this delivery already.
	return s.deliver(ctx, eventID, msgs)
}

// resume sends the PENDING messages of an event recorded before, each
// after claiming it.
func (s *Service) resume(ctx context.Context, eventID string) error {
	stored, err := s.repo.EventMessages(ctx, eventID)
	if err != nil {
		return fmt.Errorf("notify %s: %w", eventID, err)
	}
	var claimed []Message
	var claimErr error
	for _, m := range stored {
		if m.Status() == StatusSent {
			continue
		}
		var mine Message
		err := s.repo.Update(ctx, m.Key(), func(cur *Message) error {
			if err := cur.Claim(s.now(), s.lease); err != nil {
				return err
			}
			mine = *cur
			return nil
		})
		switch {
		case errors.Is(err, ErrAlreadySent):
			continue
		case err != nil:
			// Still send what this delivery did claim: its lease would
			// otherwise hold those messages back.
			claimErr = errors.Join(claimErr, fmt.Errorf("notify %s: claim %s: %w", eventID, m.Channel(), err))
			continue
		}
		claimed = append(claimed, mine)
	}
	return errors.Join(s.deliver(ctx, eventID, claimed), claimErr)
}

// deliver sends msgs, which this delivery holds, and marks each one SENT.
// A failed channel does not stop the others.
func (s *Service) deliver(ctx context.Context, eventID string, msgs []Message) error {
	var failed []Channel
	var errs []error
	for _, m := range msgs {
		if err := s.send(ctx, m); err != nil {
			failed = append(failed, m.Channel())
			errs = append(errs, fmt.Errorf("%s: %w", m.Channel(), err))
			// Best effort: if this fails the lease simply runs out.
			if rerr := s.repo.Update(ctx, m.Key(), func(cur *Message) error { cur.Release(); return nil }); rerr != nil {
				errs = append(errs, fmt.Errorf("release %s: %w", m.Channel(), rerr))
			}
			continue
		}
		err := s.repo.Update(ctx, m.Key(), func(cur *Message) error { return cur.MarkSent(s.now()) })
		if err != nil && !errors.Is(err, ErrAlreadySent) {
			// Sent but not marked: a redelivery after the lease re-sends it.
			return fmt.Errorf("notify %s: mark %s sent: %w", eventID, m.Channel(), err)
		}
	}
	if len(failed) > 0 {
		return &DeliveryError{EventID: eventID, Failed: failed, Err: errors.Join(errs...)}
	}
	return nil
}

func (s *Service) send(ctx context.Context, m Message) error {
	switch m.Channel() {
	case ChannelEmail:
		if s.channels.Email != nil {
			return s.channels.Email.SendEmail(ctx, m)
		}
	case ChannelSMS:
		if s.channels.SMS != nil {
			return s.channels.SMS.SendSMS(ctx, m)
		}
	case ChannelPush:
		if s.channels.Push != nil {
			return s.channels.Push.SendPush(ctx, m)
		}
	}
	return fmt.Errorf("no sender for channel %q", m.Channel())
}
