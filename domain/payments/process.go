package payments

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/goshop-dev/goshop/domain/money"
)

// ProcessRequest asks for the payment of an order.
type ProcessRequest struct {
	OrderID       string
	UserID        string
	CorrelationID string
	Amount        money.Money
	Token         string
}

// Process charges the order's amount once. It is idempotent per order: the
// first call records a PENDING payment and charges the gateway with the
// order id as idempotency key; a settled payment is reported without
// calling the gateway again, whatever the replay's amount or token say.
//
// Outcomes:
//   - approved: SUCCEEDED (and PaymentSucceeded) is recorded and returned;
//   - declined: FAILED with reason declined (and PaymentFailed) is
//     recorded; ErrDeclined;
//   - no answer within the gateway timeout while ctx is still alive: FAILED
//     with reason error (and PaymentFailed) is recorded; ErrPaymentFailed;
//   - a transient gateway error (ErrGatewayUnavailable) or ctx ending: the
//     payment stays PENDING; the error is returned for the caller to retry;
//   - an order whose payment was refunded: ErrRefunded.
//
// Other errors: ErrInvalidOrderID, ErrInvalidUserID, ErrInvalidAmount,
// ErrInvalidToken, ErrConflict. The payment is returned with ErrDeclined,
// ErrPaymentFailed and ErrRefunded too.
func (s *Service) Process(ctx context.Context, req ProcessRequest) (Payment, error) {
	candidate, err := NewPayment(NewPaymentParams{
		OrderID: req.OrderID, UserID: req.UserID, CorrelationID: req.CorrelationID, Amount: req.Amount,
	}, s.now())
	if err != nil {
		return Payment{}, err
	}
	if strings.TrimSpace(req.Token) == "" || len(req.Token) > MaxTokenLen {
		return Payment{}, fmt.Errorf("%w: blank or longer than %d", ErrInvalidToken, MaxTokenLen)
	}
	p, err := s.start(ctx, candidate)
	if err != nil {
		return Payment{}, fmt.Errorf("process order %s: %w", req.OrderID, err)
	}
	if p.Status() != StatusPending {
		return p.outcome()
	}
	return s.charge(ctx, p, req.Token)
}

// start records candidate, or returns the payment the order already has.
func (s *Service) start(ctx context.Context, candidate Payment) (Payment, error) {
	var out Payment
	err := s.retry.Do(ctx, ErrConflict, func() error {
		err := s.repo.Create(ctx, candidate)
		if err == nil {
			out = candidate
			return nil
		}
		if !errors.Is(err, ErrExists) {
			return err
		}
		out, err = s.repo.Get(ctx, candidate.ID())
		if errors.Is(err, ErrNotFound) {
			// Payments are never deleted: not seeing the one that exists
			// is a stale read; try again.
			return fmt.Errorf("payment %s not visible yet: %w", candidate.ID(), ErrConflict)
		}
		return err
	})
	return out, err
}

// charge calls the gateway for the PENDING payment p and records the
// outcome.
func (s *Service) charge(ctx context.Context, p Payment, token string) (Payment, error) {
	gctx, cancel := s.gatewayContext(ctx)
	res, err := s.gateway.Charge(gctx, ChargeRequest{IdempotencyKey: p.OrderID(), Amount: p.Amount(), Token: token})
	timedOut := err != nil && ctx.Err() == nil &&
		(errors.Is(err, ErrGatewayTimeout) || errors.Is(gctx.Err(), context.DeadlineExceeded))
	cancel()

	var change func(*Payment) error
	switch {
	case err == nil:
		change = func(p *Payment) error { return p.Succeed(res.GatewayRef, s.now()) }
	case errors.Is(err, ErrDeclined):
		change = func(p *Payment) error { return p.Fail(ReasonDeclined, s.now()) }
	case timedOut:
		change = func(p *Payment) error { return p.Fail(ReasonError, s.now()) }
	default:
		chargeErr := fmt.Errorf("charge order %s: %w", p.OrderID(), err)
		if ctx.Err() != nil {
			return Payment{}, chargeErr
		}
		if _, noteErr := s.settle(ctx, p.ID(), StatusPending, func(p *Payment) error { return p.NoteAttempt(s.now()) }); noteErr != nil {
			return Payment{}, fmt.Errorf("%w (counting the attempt: %v)", chargeErr, noteErr)
		}
		return Payment{}, chargeErr
	}
	settled, err := s.settle(ctx, p.ID(), StatusPending, change)
	if err != nil {
		return Payment{}, fmt.Errorf("record payment of order %s: %w", p.OrderID(), err)
	}
	return settled.outcome()
}
