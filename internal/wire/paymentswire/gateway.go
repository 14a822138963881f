package paymentswire

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/resilience"
)

// GuardedGateway is a payments.PaymentGateway that makes every call of the
// gateway it wraps through one resilience.Guard (GatewayGuard), so that
// the payments domain stays unaware of breakers and retries.
//
// What it retries: a charge only when it carries an idempotency key (the
// payments service always gives the order id, from which the payment id
// derives), because the gateway answers a key it has seen with its first
// outcome and never charges it twice; a charge without a key is made once.
// A refund is always retried: the gateway refunds a charge once and
// answers payments.ErrChargeAlreadyRefunded after, which the service takes
// as success. Only payments.ErrGatewayUnavailable, payments.ErrGatewayTimeout
// and an attempt that ran out of its own time are retried.
//
// What the breaker counts: every failed attempt but the gateway's answers
// (payments.ErrDeclined, ErrChargeAlreadyRefunded, ErrUnknownCharge),
// which are resilience.Permanent: never retried, never counted.
//
// What the service sees: the wrapped gateway's errors as they are, and,
// for a call the guard did not make (the breaker is open, the bulkhead is
// full, no time is left before the caller's deadline),
// payments.ErrGatewayUnavailable. Nothing was charged then, so the payment
// stays PENDING and ProcessPayment fails with the saga's TransientError
// (internal/paymentstask): Step Functions retries the task later, with
// backoff and jitter, possibly in an instance whose breaker is closed or
// after the cooldown, and the gateway is not hammered meanwhile. That is
// the fallback here because a charge has no substitute: no cached answer
// can approve a card, and recording the payment FAILED would cancel an
// order the gateway may well accept a few seconds later. An admin's
// refund answers 503 gateway_unavailable (paymentshttp). A call whose
// attempts all timed out still wraps payments.ErrGatewayTimeout, which the
// service records as FAILED (reason error), as before.
type GuardedGateway struct {
	next  payments.PaymentGateway
	guard *resilience.Guard
}

var _ payments.PaymentGateway = (*GuardedGateway)(nil)

// NewGuardedGateway returns next guarded by guard; build guard once per
// process with GatewayGuard.
func NewGuardedGateway(next payments.PaymentGateway, guard *resilience.Guard) *GuardedGateway {
	return &GuardedGateway{next: next, guard: guard}
}

// GatewaySettings configure GatewayGuard; DefaultGatewaySettings gives the
// project's.
type GatewaySettings struct {
	// Timeout bounds a whole call, attempts and waits included.
	Timeout time.Duration
	// Reserve is kept back from the caller's deadline for it to record the
	// outcome.
	Reserve time.Duration
	// AttemptTimeout bounds one attempt.
	AttemptTimeout time.Duration
	// Retry spaces the attempts (its Retryable is set by GatewayGuard).
	Retry resilience.Policy
	// FailureThreshold failed attempts in a row open the breaker for
	// Cooldown.
	FailureThreshold int
	Cooldown         time.Duration
	// Bulkhead calls at most are in flight in the process; one more waits
	// up to BulkheadWait for a slot.
	Bulkhead     int
	BulkheadWait time.Duration
}

// DefaultGatewaySettings returns the settings of the payment functions,
// with timeout (PAYMENT_GATEWAY_TIMEOUT, also the service's own gateway
// timeout) bounding a call:
//
//   - Reserve 500 ms: the payments service already ends a gateway call up
//     to a second before the invocation's deadline to record the outcome
//     (payments.Service gatewayContext); the guard ends its call half a
//     second before the context it is given, so that its own error, not
//     the service's deadline racing it, ends the call, and a caller that
//     passes the invocation's context straight in keeps time to answer.
//   - AttemptTimeout 2 s: card processors answer in well under a second;
//     two leave time for a second attempt within the call's 5 s.
//   - 3 attempts, full jitter from 100 ms up to 1 s between them.
//   - 5 failed attempts in a row open the breaker for 15 s: longer than
//     the saga's retries of ProcessPayment (1 s doubling to 4 s, about 7 s
//     in all), so that one order's retries do not each probe a failing
//     gateway, yet short enough to try it again four times a minute.
//   - a bulkhead of 8 calls, waiting up to 50 ms: a Lambda instance makes
//     one call at a time, so it bites only in a process serving many
//     requests (a local run, a test), where it keeps a slow gateway from
//     holding every goroutine.
func DefaultGatewaySettings(timeout time.Duration) GatewaySettings {
	return GatewaySettings{
		Timeout:          timeout,
		Reserve:          500 * time.Millisecond,
		AttemptTimeout:   2 * time.Second,
		Retry:            resilience.Policy{Attempts: 3, Base: 100 * time.Millisecond, Max: time.Second},
		FailureThreshold: 5,
		Cooldown:         15 * time.Second,
		Bulkhead:         8,
		BulkheadWait:     50 * time.Millisecond,
	}
}

// GatewayGuard returns the guard of a process's gateway calls with s: the
// breaker "payment-gateway" (its changes logged to logger and counted in
// rec, which may be nil) and a bulkhead of the same name. Call it once
// per process: the breaker is registered under its name.
func GatewayGuard(s GatewaySettings, logger *slog.Logger, rec *metrics.Recorder) *resilience.Guard {
	breaker := resilience.NewBreaker(metrics.BreakerPaymentGateway, resilience.BreakerOptions{
		FailureThreshold: s.FailureThreshold,
		Cooldown:         s.Cooldown,
		OnStateChange:    resilience.ReportStateChanges(logger, rec),
	})
	retry := s.Retry
	retry.Retryable = retryable
	return resilience.NewGuard(metrics.BreakerPaymentGateway, resilience.GuardOptions{
		Timeout:        s.Timeout,
		Reserve:        s.Reserve,
		AttemptTimeout: s.AttemptTimeout,
		Retry:          retry,
		Breaker:        breaker,
		Bulkhead:       resilience.NewBulkhead(metrics.BreakerPaymentGateway, s.Bulkhead, s.BulkheadWait),
	})
}

// Charge charges through the guard; see GuardedGateway.
func (g *GuardedGateway) Charge(ctx context.Context, req payments.ChargeRequest) (payments.ChargeResult, error) {
	var res payments.ChargeResult
	err := g.guard.Do(ctx, func(ctx context.Context) error {
		var err error
		res, err = g.next.Charge(ctx, req)
		err = answer(err, payments.ErrDeclined)
		if err != nil && req.IdempotencyKey == "" {
			// Without a key a second attempt could charge twice.
			err = onceError{err}
		}
		return err
	})
	if err != nil {
		return payments.ChargeResult{}, notMade(err)
	}
	return res, nil
}

// Refund refunds through the guard; see GuardedGateway.
func (g *GuardedGateway) Refund(ctx context.Context, gatewayRef string, amount money.Money) error {
	err := g.guard.Do(ctx, func(ctx context.Context) error {
		return answer(g.next.Refund(ctx, gatewayRef, amount), payments.ErrChargeAlreadyRefunded, payments.ErrUnknownCharge)
	})
	return notMade(err)
}

// answer marks err Permanent when it is one of the gateway's answers.
func answer(err error, answers ...error) error {
	for _, a := range answers {
		if errors.Is(err, a) {
			return resilience.Permanent(err)
		}
	}
	return err
}

// onceError marks the failure of a call that must not be retried but
// still counts as a failure of the gateway.
type onceError struct{ err error }

func (e onceError) Error() string { return e.err.Error() }
func (e onceError) Unwrap() error { return e.err }

// retryable reports whether a failed attempt is worth another one.
func retryable(err error) bool {
	var once onceError
	if errors.As(err, &once) {
		return false
	}
	return errors.Is(err, payments.ErrGatewayUnavailable) || errors.Is(err, payments.ErrGatewayTimeout) ||
		errors.Is(err, context.DeadlineExceeded)
}

// notMade returns err, wrapped with payments.ErrGatewayUnavailable when
// the guard refused the call: the breaker was open, the bulkhead full, or
// no time was left to make it.
func notMade(err error) error {
	if err == nil || errors.Is(err, payments.ErrGatewayUnavailable) || errors.Is(err, payments.ErrGatewayTimeout) {
		return err
	}
	if errors.Is(err, resilience.ErrOpen) || errors.Is(err, resilience.ErrBulkheadFull) || errors.Is(err, resilience.ErrNoTime) {
		return fmt.Errorf("%w: %w", payments.ErrGatewayUnavailable, err)
	}
	return err
}
