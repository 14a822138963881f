package payments

import (
	"context"

	"github.com/goshop-dev/goshop/domain/money"
)

// PaymentGateway is the card processor port. Implementations: the sandbox
// (paymentssandbox), whose test tokens behave like a card processor's.
type PaymentGateway interface {
	// Charge charges req.Amount to the card behind req.Token. Charging an
	// IdempotencyKey that already has an outcome returns that outcome and
	// never charges again. Errors: ErrDeclined (business: do not retry),
	// ErrGatewayUnavailable (transient: retry), ErrGatewayTimeout (no
	// answer before ctx's deadline).
	Charge(ctx context.Context, req ChargeRequest) (ChargeResult, error)
	// Refund refunds amount of the charge gatewayRef in full. Errors:
	// ErrChargeAlreadyRefunded, ErrUnknownCharge, ErrGatewayUnavailable,
	// ErrGatewayTimeout.
	Refund(ctx context.Context, gatewayRef string, amount money.Money) error
}

// ChargeRequest asks the gateway for one charge.
type ChargeRequest struct {
	IdempotencyKey string // the order id
	Amount         money.Money
	Token          string // the card token from the client
}

// ChargeResult is an approved charge.
type ChargeResult struct {
	GatewayRef string // the processor's id of the charge
}
