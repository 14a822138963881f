package orders

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxUserNameRunes bounds a replicated user name.
const MaxUserNameRunes = 200

// RecordUserName updates the replica of the user's name from the event
// eventID that occurred at occurredAt (UserRegistered or UserUpdated). An
// event older than the one the replica holds, or the same event again,
// changes nothing and is not an error: events may arrive late, twice, or
// out of order.
func (s *Service) RecordUserName(ctx context.Context, userID, name string, occurredAt time.Time, eventID string) error {
	if !ValidID(userID) {
		return fmt.Errorf("record user name: %w: user %q", ErrInvalidID, userID)
	}
	if eventID == "" || occurredAt.IsZero() {
		return fmt.Errorf("record user name of %s: %w: event without id or time", userID, ErrInvalidID)
	}
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > MaxUserNameRunes || !printable(name) {
		return fmt.Errorf("record user name of %s: %w", userID, ErrInvalidName)
	}
	err := s.repo.PutUserName(ctx, UserName{UserID: userID, Name: name, OccurredAt: occurredAt.UTC(), EventID: eventID})
	if err != nil {
		return fmt.Errorf("record user name of %s: %w", userID, err)
	}
	return nil
}
