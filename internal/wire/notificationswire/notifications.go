// Package notificationswire builds the notifications service from a
// notifications function's environment, and maps the events the
// notifications-consumer receives to the service's notices.
package notificationswire

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/notifications"
	"github.com/goshop-dev/goshop/domain/notifications/notificationsddb"
	"github.com/goshop-dev/goshop/domain/notifications/notificationssandbox"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/consumer"
	"github.com/goshop-dev/goshop/internal/envconfig"
)

// ServiceFromEnv builds the notifications service on the DynamoDB
// table named by NOTIFICATIONS_TABLE. Its channels are the sandbox, which
// logs every message to logger: no email, SMS or push provider is wired
// yet.
func ServiceFromEnv(ctx context.Context, logger *slog.Logger) (*notifications.Service, error) {
	env := envconfig.New()
	table := env.String("NOTIFICATIONS_TABLE")
	if err := env.Err(); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	store := notificationsddb.New(dynamodb.NewFromConfig(cfg), table)
	channels := notificationssandbox.New(logger).Channels()
	return notifications.NewService(store, channels, time.Now, uuid.NewString), nil
}

// Handle is the notifications-consumer's event handler: it
// maps each envelope to the domain's notice and calls Notify. An event of a
// type the service does not notify about is logged and skipped (the queue's
// rule may deliver more than needed; that is not poison). A known type
// that cannot be decoded, of an unknown version, or missing what its
// message needs is consumer.ErrPoison. Any other failure (a channel or the
// table) is returned as is, so the queue redelivers the event.
func Handle(svc *notifications.Service, logger *slog.Logger) consumer.Handle {
	return func(ctx context.Context, env events.Envelope) error {
		notice, ok, err := notificationNotice(env)
		if err != nil {
			return fmt.Errorf("%w: %s %s: %v", consumer.ErrPoison, env.Type, env.ID, err)
		}
		if !ok {
			logger.InfoContext(ctx, "event ignored", slog.String("eventId", env.ID), slog.String("type", env.Type),
				slog.Int("version", env.Version))
			return nil
		}
		err = svc.Notify(ctx, env.ID, notice)
		if errors.Is(err, notifications.ErrInvalidEvent) {
			return fmt.Errorf("%w: %v", consumer.ErrPoison, err)
		}
		return err
	}
}

// notificationNotice maps an envelope to its notice; ok is false for a type
// the service does not notify about.
func notificationNotice(env events.Envelope) (notifications.Notice, bool, error) {
	var (
		n   notifications.Notice
		err error
	)
	switch env.Type {
	case events.TypeUserRegistered:
		n, err = decodeNotice(env, func(e events.UserRegisteredV1) (notifications.Notice, error) {
			return notifications.UserRegistered{UserID: e.UserID, Name: e.Name}, nil
		})
	case events.TypeOrderCreated:
		n, err = decodeNotice(env, func(e events.OrderCreatedV1) (notifications.Notice, error) {
			total, err := toMoney(e.Total)
			items := 0
			for _, l := range e.Lines {
				items += l.Quantity
			}
			return notifications.OrderCreated{OrderID: e.OrderID, UserID: e.UserID, Items: items, Total: total}, err
		})
	case events.TypeOrderConfirmed:
		n, err = decodeNotice(env, func(e events.OrderConfirmedV1) (notifications.Notice, error) {
			total, err := toMoney(e.Total)
			return notifications.OrderConfirmed{OrderID: e.OrderID, UserID: e.UserID, Total: total}, err
		})
	case events.TypeOrderCancelled:
		n, err = decodeNotice(env, func(e events.OrderCancelledV1) (notifications.Notice, error) {
			return notifications.OrderCancelled{OrderID: e.OrderID, UserID: e.UserID, Reason: cancelReason(e.Reason)}, nil
		})
	case events.TypeOrderShipped:
		n, err = decodeNotice(env, func(e events.OrderShippedV1) (notifications.Notice, error) {
			return notifications.OrderShipped{OrderID: e.OrderID, UserID: e.UserID}, nil
		})
	case events.TypePaymentSucceeded:
		n, err = decodeNotice(env, func(e events.PaymentSucceededV1) (notifications.Notice, error) {
			amount, err := toMoney(e.Amount)
			return notifications.PaymentSucceeded{PaymentID: e.PaymentID, OrderID: e.OrderID, UserID: e.UserID, Amount: amount}, err
		})
	case events.TypePaymentFailed:
		n, err = decodeNotice(env, func(e events.PaymentFailedV1) (notifications.Notice, error) {
			amount, err := toMoney(e.Amount)
			reason := notifications.PaymentError
			if e.Reason == "declined" {
				reason = notifications.PaymentDeclined
			}
			return notifications.PaymentFailed{PaymentID: e.PaymentID, OrderID: e.OrderID, UserID: e.UserID, Amount: amount, Reason: reason}, err
		})
	case events.TypePaymentRefunded:
		n, err = decodeNotice(env, func(e events.PaymentRefundedV1) (notifications.Notice, error) {
			amount, err := toMoney(e.Amount)
			return notifications.PaymentRefunded{PaymentID: e.PaymentID, OrderID: e.OrderID, UserID: e.UserID, Amount: amount}, err
		})
	default:
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return n, true, nil
}

// decodeNotice decodes env's data as a T and maps it.
func decodeNotice[T events.Event](env events.Envelope, toNotice func(T) (notifications.Notice, error)) (notifications.Notice, error) {
	e, err := events.Decode[T](env)
	if err != nil {
		return nil, err
	}
	return toNotice(e)
}

func toMoney(m events.Money) (money.Money, error) {
	out, err := money.New(m.Amount, m.Currency)
	if err != nil {
		return money.Money{}, fmt.Errorf("amount: %w", err)
	}
	return out, nil
}

// cancelReason maps the wire's cancellation reasons to the domain's; an
// unknown one passes through and reads as unspecified.
func cancelReason(reason string) string {
	switch reason {
	case events.ReasonOutOfStock:
		return notifications.CancelOutOfStock
	case events.ReasonPaymentDeclined:
		return notifications.CancelPaymentDeclined
	case events.ReasonPaymentFailed:
		return notifications.CancelPaymentFailed
	case events.ReasonConfirmFailed:
		return notifications.CancelConfirmFailed
	}
	return reason
}
