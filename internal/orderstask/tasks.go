package orderstask

import (
	"context"
	"errors"
	"fmt"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/sagatask"
)

// ConfirmInput is the ConfirmOrder task's input.
type ConfirmInput struct {
	OrderID       string `json:"orderId"`
	CorrelationID string `json:"correlationId"`
	PaymentID     string `json:"paymentId"`
}

// CancelInput is the CancelOrder task's input; Reason is one of the
// events.Reason constants.
type CancelInput struct {
	OrderID       string `json:"orderId"`
	CorrelationID string `json:"correlationId"`
	Reason        string `json:"reason"`
}

// Output is the answer of both tasks.
type Output struct {
	OrderID string `json:"orderId"`
	Status  string `json:"status"`
}

// Confirm returns the ConfirmOrder task handler: the order becomes
// CONFIRMED with its payment (idempotent). A cancelled, unknown or
// malformed order is the business error OrderNotConfirmable, which the
// state machine compensates (refund, release, cancel); anything else is
// transient.
func Confirm(svc *orders.Service) func(context.Context, ConfirmInput) (Output, error) {
	return func(ctx context.Context, in ConfirmInput) (Output, error) {
		ctx = logging.WithCorrelationID(ctx, in.CorrelationID)
		o, err := svc.Confirm(ctx, in.OrderID, in.PaymentID)
		switch {
		case err == nil:
			return Output{OrderID: o.ID(), Status: string(o.Status())}, nil
		case errors.Is(err, orders.ErrNotConfirmable), errors.Is(err, orders.ErrNotFound),
			errors.Is(err, orders.ErrInvalidPaymentID), errors.Is(err, orders.ErrInvalidTransition):
			return Output{}, sagatask.Business(sagatask.ErrOrderNotConfirmable, "order %s: %v", in.OrderID, err)
		default:
			return Output{}, sagatask.Transient(fmt.Errorf("confirm order %s: %w", in.OrderID, err))
		}
	}
}

// Cancel returns the CancelOrder task handler: the order becomes CANCELLED
// with the reason (idempotent: a cancelled order stays as it is). A
// shipped or delivered order, an unknown order or an invalid reason fail
// the task without retry (a plain error the state machine surfaces);
// anything else is transient.
func Cancel(svc *orders.Service) func(context.Context, CancelInput) (Output, error) {
	return func(ctx context.Context, in CancelInput) (Output, error) {
		ctx = logging.WithCorrelationID(ctx, in.CorrelationID)
		o, err := svc.Cancel(ctx, in.OrderID, in.Reason)
		switch {
		case err == nil:
			return Output{OrderID: o.ID(), Status: string(o.Status())}, nil
		case errors.Is(err, orders.ErrInvalidTransition), errors.Is(err, orders.ErrNotFound), errors.Is(err, orders.ErrInvalidReason):
			return Output{}, fmt.Errorf("cancel order %s: %w", in.OrderID, err)
		default:
			return Output{}, sagatask.Transient(fmt.Errorf("cancel order %s: %w", in.OrderID, err))
		}
	}
}
