// Package consumer runs an event handler over an SQS batch delivered by a
// Lambda event source mapping: it decodes each message (an EventBridge
// event whose detail is an events.Envelope), calls the handler with the
// event's correlation id in the context, and reports the messages that
// failed as batch item failures, so only those are retried and, after
// maxReceiveCount deliveries, moved to the dead-letter queue.
//
// Handlers must be idempotent on the event id: SQS delivers at least once.
// They record the id in the same write as their effect.
package consumer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	lambdaevents "github.com/aws/aws-lambda-go/events"

	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/tracing"
)

// Handle processes one event.
type Handle func(ctx context.Context, e events.Envelope) error

// ErrPoison marks an event that can never be processed (malformed, of an
// unknown version). It is still reported as failed, so it reaches the
// dead-letter queue where an operator can inspect it, but it is logged as
// such.
var ErrPoison = errors.New("poison event")

// Decode reads the envelope out of an SQS message body holding an
// EventBridge event; a body that holds no goshop event is ErrPoison.
func Decode(body string) (events.Envelope, error) {
	env, err := events.FromEventBridge([]byte(body))
	if err != nil {
		return events.Envelope{}, fmt.Errorf("%w: %v", ErrPoison, err)
	}
	return env, nil
}

// SQSHandler returns the Lambda handler of a consumer. redelivery may be
// nil: failed messages then wait out the queue's visibility timeout.
func SQSHandler(handle Handle, logger *slog.Logger, redelivery *Redelivery) func(context.Context, lambdaevents.SQSEvent) (lambdaevents.SQSEventResponse, error) {
	return func(ctx context.Context, batch lambdaevents.SQSEvent) (lambdaevents.SQSEventResponse, error) {
		var resp lambdaevents.SQSEventResponse
		for _, msg := range batch.Records {
			if err := process(ctx, handle, logger, msg); err != nil {
				if redelivery != nil {
					redelivery.schedule(ctx, logger, msg, err)
				}
				resp.BatchItemFailures = append(resp.BatchItemFailures, lambdaevents.SQSBatchItemFailure{ItemIdentifier: msg.MessageId})
			}
		}
		return resp, nil
	}
}

func process(ctx context.Context, handle Handle, logger *slog.Logger, msg lambdaevents.SQSMessage) (err error) {
	env, err := Decode(msg.Body)
	if err != nil {
		logger.ErrorContext(ctx, "poison message", slog.String("messageId", msg.MessageId), slog.String("error", err.Error()))
		return err
	}
	ctx = logging.WithIDs(ctx, logging.IDs{CorrelationID: env.CorrelationID, RequestID: msg.MessageId})
	ctx, end := tracing.Start(ctx, "event "+env.Type)
	defer func() { end(err) }()
	tracing.Annotate(ctx, tracing.EventType, env.Type)
	tracing.Annotate(ctx, tracing.CorrelationID, env.CorrelationID)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
			logger.ErrorContext(ctx, "event handler panicked", slog.String("eventId", env.ID), slog.String("panic", fmt.Sprint(p)))
		}
	}()
	if err := handle(ctx, env); err != nil {
		logger.ErrorContext(ctx, "event failed", slog.String("eventId", env.ID), slog.String("type", env.Type),
			slog.Bool("poison", errors.Is(err, ErrPoison)), slog.String("error", err.Error()))
		return err
	}
	logger.InfoContext(ctx, "event handled", slog.String("eventId", env.ID), slog.String("type", env.Type))
	return nil
}
