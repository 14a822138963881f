package payments

import (
	"context"
	"errors"
	"fmt"
)

// RefundStatus is what Refund did.
type RefundStatus string

// Refund statuses, as the RefundPayment task reports them.
const (
	RefundRefunded   RefundStatus = "REFUNDED"    // the charge is refunded (now or before)
	RefundNotCharged RefundStatus = "NOT_CHARGED" // nothing was charged: no payment, or FAILED
)

// RefundResult is the outcome of Refund. Payment is the zero Payment when
// the order has none.
type RefundResult struct {
	Status  RefundStatus
	Payment Payment
}

// Refund gives the order's charge back; it is idempotent:
//   - SUCCEEDED: the gateway refunds the charge, then REFUNDED (and
//     PaymentRefunded) is recorded;
//   - REFUNDED: returned as is, the gateway is not called;
//   - no payment, or FAILED: RefundNotCharged, nothing changes.
//
// Errors: ErrInvalidOrderID, ErrPending (the charge is still in progress:
// retry), gateway errors (ErrGatewayUnavailable, ErrGatewayTimeout: retry),
// ErrConflict.
func (s *Service) Refund(ctx context.Context, orderID string) (RefundResult, error) {
	if !ValidID(orderID) {
		return RefundResult{}, fmt.Errorf("%w: %q", ErrInvalidOrderID, orderID)
	}
	p, err := s.repo.Get(ctx, PaymentID(orderID))
	if errors.Is(err, ErrNotFound) {
		return RefundResult{Status: RefundNotCharged}, nil
	}
	if err != nil {
		return RefundResult{}, fmt.Errorf("refund order %s: %w", orderID, err)
	}
	switch p.Status() {
	case StatusFailed:
		return RefundResult{Status: RefundNotCharged, Payment: p}, nil
	case StatusPending:
		return RefundResult{}, fmt.Errorf("refund order %s: %w", orderID, ErrPending)
	}
	p, err = s.refund(ctx, p)
	if err != nil {
		return RefundResult{}, err
	}
	return RefundResult{Status: RefundRefunded, Payment: p}, nil
}

// RefundPayment is Refund for the payment id, as an admin asks for it: a
// payment that was never charged (PENDING or FAILED) is ErrNotRefundable.
// Errors: ErrNotFound, ErrNotRefundable, gateway errors, ErrConflict.
func (s *Service) RefundPayment(ctx context.Context, id string) (Payment, error) {
	p, err := s.Get(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	if p.Status() != StatusSucceeded && p.Status() != StatusRefunded {
		return Payment{}, fmt.Errorf("refund payment %s: %s: %w", id, p.Status(), ErrNotRefundable)
	}
	return s.refund(ctx, p)
}

// refund refunds the SUCCEEDED payment p and records it; a REFUNDED p is
// returned as is.
func (s *Service) refund(ctx context.Context, p Payment) (Payment, error) {
	if p.Status() == StatusRefunded {
		return p, nil
	}
	gctx, cancel := s.gatewayContext(ctx)
	err := s.gateway.Refund(gctx, p.GatewayRef(), p.Amount())
	cancel()
	// Already refunded: a concurrent refund, or one whose record was lost;
	// either way the card got its money back once.
	if err != nil && !errors.Is(err, ErrChargeAlreadyRefunded) {
		return Payment{}, fmt.Errorf("refund order %s: %w", p.OrderID(), err)
	}
	refunded, err := s.settle(ctx, p.ID(), StatusSucceeded, func(p *Payment) error { return p.Refund(s.now()) })
	if err != nil {
		return Payment{}, fmt.Errorf("record refund of order %s: %w", p.OrderID(), err)
	}
	return refunded, nil
}
