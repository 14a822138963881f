// Package paymentstask holds the payments' tasks of the checkout saga: the
// Lambda handlers of ProcessPayment (functions/payments-process) and
// RefundPayment (functions/payments-refund), their JSON input and output,
// and the mapping of payments errors to the sagatask error names.
//
// It lives under internal/ rather than domain/payments because sagatask
// speaks the Lambda runtime's error type, and nothing under domain/ may
// import AWS.
package paymentstask

import (
	"context"
	"errors"
	"log/slog"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/sagatask"
)

// Money is an amount in minor units of a currency.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// ProcessInput is the input of ProcessPayment.
type ProcessInput struct {
	OrderID       string `json:"orderId"`
	UserID        string `json:"userId"`
	CorrelationID string `json:"correlationId"`
	Amount        Money  `json:"amount"`
	PaymentToken  string `json:"paymentToken"`
}

// ProcessOutput is the output of ProcessPayment.
type ProcessOutput struct {
	OrderID   string `json:"orderId"`
	PaymentID string `json:"paymentId"`
	Status    string `json:"status"` // SUCCEEDED
}

// RefundInput is the input of RefundPayment.
type RefundInput struct {
	OrderID       string `json:"orderId"`
	CorrelationID string `json:"correlationId"`
}

// RefundOutput is the output of RefundPayment.
type RefundOutput struct {
	OrderID string `json:"orderId"`
	Status  string `json:"status"` // REFUNDED or NOT_CHARGED
}

// ProcessPayment returns the ProcessPayment task handler. Errors:
// sagatask.ErrPaymentDeclined for a declined card; sagatask.ErrPaymentFailed
// when the gateway gave up (a timeout, recorded FAILED), the payment was
// refunded already, or the input can never be charged (invalid ids, amount
// or token); sagatask.ErrTransient for anything worth retrying, including
// a gateway call that was not made because the gateway's circuit breaker
// was open, its bulkhead full or no time was left: that is
// payments.ErrGatewayUnavailable from paymentswire.GuardedGateway, whose
// doc says why retrying the task later is the fallback.
func ProcessPayment(svc *payments.Service, logger *slog.Logger) func(context.Context, ProcessInput) (ProcessOutput, error) {
	return func(ctx context.Context, in ProcessInput) (ProcessOutput, error) {
		ctx = logging.WithCorrelationID(ctx, in.CorrelationID)
		log := logger.With(slog.String("orderId", in.OrderID))
		amount, err := money.New(in.Amount.Amount, in.Amount.Currency)
		if err != nil {
			log.WarnContext(ctx, "payment input invalid", slog.String("error", err.Error()))
			return ProcessOutput{}, sagatask.Business(sagatask.ErrPaymentFailed, "order %s: invalid amount", in.OrderID)
		}
		p, err := svc.Process(ctx, payments.ProcessRequest{
			OrderID: in.OrderID, UserID: in.UserID, CorrelationID: in.CorrelationID, Amount: amount, Token: in.PaymentToken,
		})
		switch {
		case err == nil:
			log.InfoContext(ctx, "payment succeeded", slog.String("paymentId", p.ID()))
			return ProcessOutput{OrderID: in.OrderID, PaymentID: p.ID(), Status: string(p.Status())}, nil
		case errors.Is(err, payments.ErrDeclined):
			log.InfoContext(ctx, "payment declined", slog.String("paymentId", p.ID()))
			return ProcessOutput{}, sagatask.Business(sagatask.ErrPaymentDeclined, "order %s: card declined", in.OrderID)
		case permanent(err):
			log.WarnContext(ctx, "payment failed", slog.String("error", err.Error()))
			return ProcessOutput{}, sagatask.Business(sagatask.ErrPaymentFailed, "order %s: payment failed", in.OrderID)
		default:
			log.ErrorContext(ctx, "payment attempt failed", slog.String("error", err.Error()))
			return ProcessOutput{}, sagatask.Transient(err)
		}
	}
}

// permanent reports whether a Process error will not change on retry.
func permanent(err error) bool {
	for _, target := range []error{
		payments.ErrPaymentFailed, payments.ErrRefunded,
		payments.ErrInvalidOrderID, payments.ErrInvalidUserID, payments.ErrInvalidAmount, payments.ErrInvalidToken,
	} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// RefundPayment returns the RefundPayment task handler: REFUNDED once the
// order's charge is refunded (now or before), NOT_CHARGED when nothing was
// charged. Every error is sagatask.ErrTransient (a charge in progress, the
// gateway, the table) except an invalid order id, returned as a plain error
// that retries cannot fix.
func RefundPayment(svc *payments.Service, logger *slog.Logger) func(context.Context, RefundInput) (RefundOutput, error) {
	return func(ctx context.Context, in RefundInput) (RefundOutput, error) {
		ctx = logging.WithCorrelationID(ctx, in.CorrelationID)
		log := logger.With(slog.String("orderId", in.OrderID))
		res, err := svc.Refund(ctx, in.OrderID)
		switch {
		case err == nil:
			log.InfoContext(ctx, "payment refund", slog.String("status", string(res.Status)))
			return RefundOutput{OrderID: in.OrderID, Status: string(res.Status)}, nil
		case errors.Is(err, payments.ErrInvalidOrderID):
			log.ErrorContext(ctx, "refund input invalid", slog.String("error", err.Error()))
			return RefundOutput{}, err
		default:
			log.ErrorContext(ctx, "refund attempt failed", slog.String("error", err.Error()))
			return RefundOutput{}, sagatask.Transient(err)
		}
	}
}
