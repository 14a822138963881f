package orderstask

import (
	"context"
	"errors"
	"fmt"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/consumer"
)

// UserNames returns the event handler of the orders-user-updated consumer:
// UserRegistered and UserUpdated set the replica of the user's name as of
// the event's OccurredAt. Older and repeated events change nothing, so the
// handler is idempotent and insensitive to delivery order. Other event
// types are ignored; undecodable or invalid events are poison.
func UserNames(svc *orders.Service) consumer.Handle {
	return func(ctx context.Context, env events.Envelope) error {
		var userID, name string
		switch env.Type {
		case events.TypeUserRegistered:
			e, err := events.Decode[events.UserRegisteredV1](env)
			if err != nil {
				return fmt.Errorf("%w: %w", consumer.ErrPoison, err)
			}
			userID, name = e.UserID, e.Name
		case events.TypeUserUpdated:
			e, err := events.Decode[events.UserUpdatedV1](env)
			if err != nil {
				return fmt.Errorf("%w: %w", consumer.ErrPoison, err)
			}
			userID, name = e.UserID, e.Name
		default:
			return nil
		}
		err := svc.RecordUserName(ctx, userID, name, env.OccurredAt, env.ID)
		if errors.Is(err, orders.ErrInvalidID) || errors.Is(err, orders.ErrInvalidName) {
			return fmt.Errorf("%w: %w", consumer.ErrPoison, err)
		}
		return err
	}
}
