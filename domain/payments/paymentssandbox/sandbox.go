// Package paymentssandbox is an in-memory payments.PaymentGateway whose test
// tokens behave like a card processor's sandbox:
//
//	tok_visa             approves
//	tok_chargeDeclined   declines (payments.ErrDeclined)
//	tok_processingError  fails transiently (payments.ErrGatewayUnavailable)
//	                     twice per idempotency key, then approves
//	tok_timeout          never answers: blocks until ctx is done, then
//	                     returns payments.ErrGatewayTimeout
//	any other token      declines
//
// It honours idempotency keys: once a key has an outcome (approved or
// declined), charging it again returns that outcome and charges nothing.
// It records every charge and refund so tests can assert that a card was
// charged exactly once and refunded. State lives in memory, per process;
// because each Lambda instance has its own, a charge reference is derived
// from the idempotency key, and a refund of a sandbox reference this
// process did not issue is accepted as another instance's charge. The
// payments service, not the gateway, is what guarantees a single refund.
package paymentssandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
)

// Test tokens.
const (
	TokenVisa            = "tok_visa"
	TokenDeclined        = "tok_chargeDeclined"
	TokenProcessingError = "tok_processingError"
	TokenTimeout         = "tok_timeout"
)

// processingErrors is how many times tok_processingError fails per key.
const processingErrors = 2

// Charge is a charge the sandbox made.
type Charge struct {
	GatewayRef     string
	IdempotencyKey string
	Amount         money.Money
	Token          string
	Refunded       bool
}

// outcome is the recorded answer to an idempotency key.
type outcome struct {
	ref      string // approved
	declined bool
}

// Gateway is the sandbox gateway, safe for concurrent use.
type Gateway struct {
	mu       sync.Mutex
	outcomes map[string]outcome // by idempotency key
	failures map[string]int     // tok_processingError failures so far, by key
	charges  []Charge
	byRef    map[string]int // index in charges
	calls    int
}

var _ payments.PaymentGateway = (*Gateway)(nil)

// New returns an empty sandbox.
func New() *Gateway {
	return &Gateway{outcomes: map[string]outcome{}, failures: map[string]int{}, byRef: map[string]int{}}
}

// Charge answers by req.Token, as the package doc says.
func (g *Gateway) Charge(ctx context.Context, req payments.ChargeRequest) (payments.ChargeResult, error) {
	if req.Token == TokenTimeout {
		g.count()
		<-ctx.Done()
		return payments.ChargeResult{}, fmt.Errorf("charge %s: %w: %w", req.IdempotencyKey, payments.ErrGatewayTimeout, ctx.Err())
	}
	if err := ctx.Err(); err != nil {
		return payments.ChargeResult{}, fmt.Errorf("charge %s: %w", req.IdempotencyKey, err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	if o, ok := g.outcomes[req.IdempotencyKey]; ok {
		return o.result(req.IdempotencyKey)
	}
	switch req.Token {
	case TokenVisa:
	case TokenProcessingError:
		if g.failures[req.IdempotencyKey] < processingErrors {
			g.failures[req.IdempotencyKey]++
			return payments.ChargeResult{}, fmt.Errorf("charge %s: processing error: %w", req.IdempotencyKey, payments.ErrGatewayUnavailable)
		}
	default:
		g.outcomes[req.IdempotencyKey] = outcome{declined: true}
		return g.outcomes[req.IdempotencyKey].result(req.IdempotencyKey)
	}
	ref := Ref(req.IdempotencyKey)
	g.byRef[ref] = len(g.charges)
	g.charges = append(g.charges, Charge{GatewayRef: ref, IdempotencyKey: req.IdempotencyKey, Amount: req.Amount, Token: req.Token})
	g.outcomes[req.IdempotencyKey] = outcome{ref: ref}
	return payments.ChargeResult{GatewayRef: ref}, nil
}

const refPrefix = "ch_sandbox_"

// Ref is the charge reference the sandbox gives the charge of an
// idempotency key: the same in every process.
func Ref(idempotencyKey string) string {
	sum := sha256.Sum256([]byte(idempotencyKey))
	return refPrefix + hex.EncodeToString(sum[:12])
}

func (o outcome) result(key string) (payments.ChargeResult, error) {
	if o.declined {
		return payments.ChargeResult{}, fmt.Errorf("charge %s: %w", key, payments.ErrDeclined)
	}
	return payments.ChargeResult{GatewayRef: o.ref}, nil
}

func (g *Gateway) count() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
}

// Refund refunds the charge gatewayRef in full: payments.ErrUnknownCharge
// for a charge it did not make or another amount, and
// payments.ErrChargeAlreadyRefunded the second time.
func (g *Gateway) Refund(ctx context.Context, gatewayRef string, amount money.Money) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("refund %s: %w", gatewayRef, err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	i, ok := g.byRef[gatewayRef]
	if !ok && strings.HasPrefix(gatewayRef, refPrefix) {
		// Another instance of the sandbox made this charge.
		i, ok = len(g.charges), true
		g.byRef[gatewayRef] = i
		g.charges = append(g.charges, Charge{GatewayRef: gatewayRef, Amount: amount})
	}
	if !ok || g.charges[i].Amount != amount {
		return fmt.Errorf("refund %s of %s: %w", gatewayRef, amount, payments.ErrUnknownCharge)
	}
	if g.charges[i].Refunded {
		return fmt.Errorf("refund %s: %w", gatewayRef, payments.ErrChargeAlreadyRefunded)
	}
	g.charges[i].Refunded = true
	return nil
}

// Charges returns the charges made for idempotency key, oldest first: at
// most one, whatever the number of calls.
func (g *Gateway) Charges(key string) []Charge {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []Charge
	for _, c := range g.charges {
		if c.IdempotencyKey == key {
			out = append(out, c)
		}
	}
	return out
}

// Calls counts the Charge calls the sandbox answered or timed out.
func (g *Gateway) Calls() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls
}
