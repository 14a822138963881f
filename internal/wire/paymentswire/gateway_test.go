package paymentswire_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/payments/paymentstest"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
	"github.com/goshop-dev/goshop/internal/paymentstask"
	"github.com/goshop-dev/goshop/internal/resilience"
	"github.com/goshop-dev/goshop/internal/sagatask"
	"github.com/goshop-dev/goshop/internal/wire/paymentswire"
)

var logger = slog.New(slog.NewTextHandler(io.Discard, nil))

// fast are the default settings with times a test can wait for.
func fast() paymentswire.GatewaySettings {
	s := paymentswire.DefaultGatewaySettings(2 * time.Second)
	s.AttemptTimeout = 50 * time.Millisecond
	s.Reserve = 10 * time.Millisecond
	s.Retry.Base, s.Retry.Max = time.Millisecond, 5*time.Millisecond
	return s
}

func guarded(t *testing.T, next payments.PaymentGateway, s paymentswire.GatewaySettings) (*paymentswire.GuardedGateway, *metricstest.Sink) {
	t.Helper()
	rec, sink := metricstest.Recorder(t)
	return paymentswire.NewGuardedGateway(next, paymentswire.GatewayGuard(s, logger, rec)), sink
}

func usd(t *testing.T, amount int64) money.Money {
	t.Helper()
	m, err := money.New(amount, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// lostAnswer charges through the sandbox, then loses the answer of its
// first call (it hangs until the attempt's deadline), as a network would:
// the charge went through and the caller does not know.
type lostAnswer struct {
	*paymentssandbox.Gateway
	mu   sync.Mutex
	lost bool
}

func (g *lostAnswer) Charge(ctx context.Context, req payments.ChargeRequest) (payments.ChargeResult, error) {
	res, err := g.Gateway.Charge(ctx, req)
	g.mu.Lock()
	lose := !g.lost
	g.lost = true
	g.mu.Unlock()
	if lose {
		<-ctx.Done()
		return payments.ChargeResult{}, fmt.Errorf("charge %s: %w: %w", req.IdempotencyKey, payments.ErrGatewayTimeout, ctx.Err())
	}
	return res, err
}

// TestGuardedChargeIsRetriedOnlyWithAKey: a charge with an idempotency key
// is retried through transient failures and lost answers and is made
// once; one without a key is tried once; a decline is never retried.
func TestGuardedChargeIsRetriedOnlyWithAKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		gateway   func(*paymentssandbox.Gateway) payments.PaymentGateway
		key       string
		token     string
		wantErr   error // nil: approved
		wantCalls int
	}{
		{"processing errors, then approved", nil, "o-1", paymentssandbox.TokenProcessingError, nil, 3},
		{"answer lost, then the first outcome", func(s *paymentssandbox.Gateway) payments.PaymentGateway { return &lostAnswer{Gateway: s} },
			"o-1", paymentssandbox.TokenVisa, nil, 2},
		{"declined once", nil, "o-1", paymentssandbox.TokenDeclined, payments.ErrDeclined, 1},
		{"no key: tried once", nil, "", paymentssandbox.TokenProcessingError, payments.ErrGatewayUnavailable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sandbox := paymentssandbox.New()
			var next payments.PaymentGateway = sandbox
			if tt.gateway != nil {
				next = tt.gateway(sandbox)
			}
			g, _ := guarded(t, next, fast())
			res, err := g.Charge(context.Background(), payments.ChargeRequest{IdempotencyKey: tt.key, Amount: usd(t, 500), Token: tt.token})
			if tt.wantErr == nil {
				if err != nil || res.GatewayRef != paymentssandbox.Ref(tt.key) {
					t.Fatalf("Charge = %+v, %v; want the charge of %s", res, err, tt.key)
				}
				if n := len(sandbox.Charges(tt.key)); n != 1 {
					t.Errorf("%d charges of %s, want exactly 1", n, tt.key)
				}
			} else if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Charge: err = %v, want %v", err, tt.wantErr)
			}
			if n := sandbox.Calls(); n != tt.wantCalls {
				t.Errorf("%d gateway calls, want %d", n, tt.wantCalls)
			}
		})
	}
}

// failing fails every call as an unavailable gateway and counts them.
type failing struct {
	mu    sync.Mutex
	calls int
}

func (f *failing) Charge(context.Context, payments.ChargeRequest) (payments.ChargeResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return payments.ChargeResult{}, payments.ErrGatewayUnavailable
}

func (f *failing) Refund(context.Context, string, money.Money) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return payments.ErrGatewayUnavailable
}

func (f *failing) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// TestOpenBreakerFailsTheTaskTransiently: once the gateway failed
// FailureThreshold attempts in a row, the breaker opens (counted once as
// BreakerOpened): ProcessPayment then fails with the saga's
// TransientError without calling the gateway, and the payment stays
// PENDING for the retry.
func TestOpenBreakerFailsTheTaskTransiently(t *testing.T) {
	t.Parallel()
	gateway := &failing{}
	s := fast()
	s.Retry.Attempts, s.FailureThreshold = 1, 2
	g, sink := guarded(t, gateway, s)
	repo := paymentstest.NewRepository()
	svc := paymentswire.NewService(repo, g, nil, 5*time.Second)
	process := paymentstask.ProcessPayment(svc, logger)
	ctx := context.Background()

	for i := range 2 {
		if _, err := process(ctx, input(uuid.NewString(), paymentssandbox.TokenVisa)); errorType(err) != sagatask.ErrTransient {
			t.Fatalf("charge %d: %v, want %s", i, err, sagatask.ErrTransient)
		}
	}
	orderID := uuid.NewString()
	_, err := process(ctx, input(orderID, paymentssandbox.TokenVisa))
	if errorType(err) != sagatask.ErrTransient {
		t.Fatalf("with the breaker open: %v, want %s", err, sagatask.ErrTransient)
	}
	if n := gateway.count(); n != 2 {
		t.Errorf("%d gateway calls, want 2: an open breaker calls nothing", n)
	}
	p, err := repo.Get(ctx, payments.PaymentID(orderID))
	if err != nil || p.Status() != payments.StatusPending {
		t.Errorf("payment = %v, %v; want it PENDING", p.Status(), err)
	}
	if got := sink.Sum(metrics.BreakerOpened, map[string]string{metrics.DimensionBreaker: metrics.BreakerPaymentGateway}); got != 1 {
		t.Errorf("BreakerOpened = %v, want 1", got)
	}

	// An admin's refund is refused the same way: ErrGatewayUnavailable.
	if err := g.Refund(ctx, "ch_sandbox_1", usd(t, 500)); !errors.Is(err, payments.ErrGatewayUnavailable) || !errors.Is(err, resilience.ErrOpen) {
		t.Errorf("Refund with the breaker open: %v, want ErrGatewayUnavailable and ErrOpen", err)
	}
}

// TestDeclinesDoNotOpenTheBreaker: declines are answers, not failures.
func TestDeclinesDoNotOpenTheBreaker(t *testing.T) {
	t.Parallel()
	sandbox := paymentssandbox.New()
	s := fast()
	s.FailureThreshold = 2
	g, sink := guarded(t, sandbox, s)
	ctx := context.Background()
	for i := range 5 {
		if _, err := g.Charge(ctx, payments.ChargeRequest{IdempotencyKey: fmt.Sprint("d-", i), Amount: usd(t, 100), Token: paymentssandbox.TokenDeclined}); !errors.Is(err, payments.ErrDeclined) {
			t.Fatalf("decline %d: %v", i, err)
		}
	}
	if _, err := g.Charge(ctx, payments.ChargeRequest{IdempotencyKey: "ok", Amount: usd(t, 100), Token: paymentssandbox.TokenVisa}); err != nil {
		t.Fatalf("after declines: %v, want the charge made", err)
	}
	if got := sink.Sum(metrics.BreakerOpened, nil); got != 0 {
		t.Errorf("BreakerOpened = %v, want 0", got)
	}
}

// TestGuardKeepsTheCallersReserve: with less than Reserve left, the
// gateway is not called and the error is transient.
func TestGuardKeepsTheCallersReserve(t *testing.T) {
	t.Parallel()
	sandbox := paymentssandbox.New()
	s := fast()
	s.Reserve = 500 * time.Millisecond
	g, _ := guarded(t, sandbox, s)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := g.Charge(ctx, payments.ChargeRequest{IdempotencyKey: "o-1", Amount: usd(t, 100), Token: paymentssandbox.TokenVisa})
	if !errors.Is(err, payments.ErrGatewayUnavailable) || !errors.Is(err, resilience.ErrNoTime) {
		t.Errorf("err = %v, want ErrGatewayUnavailable with ErrNoTime", err)
	}
	if n := sandbox.Calls(); n != 0 {
		t.Errorf("%d gateway calls, want none", n)
	}
}

// TestHungGatewayIsAFailedPayment: a gateway that never answers is cut by
// the attempt timeouts and the call's budget; the payment is recorded
// FAILED (reason error), as the service does for its own timeout.
func TestHungGatewayIsAFailedPayment(t *testing.T) {
	t.Parallel()
	sandbox := paymentssandbox.New()
	s := fast()
	s.Timeout = 300 * time.Millisecond
	g, _ := guarded(t, sandbox, s)
	svc := paymentswire.NewService(paymentstest.NewRepository(), g, nil, s.Timeout)
	start := time.Now()
	_, err := paymentstask.ProcessPayment(svc, logger)(context.Background(), input(uuid.NewString(), paymentssandbox.TokenTimeout))
	if errorType(err) != sagatask.ErrPaymentFailed {
		t.Fatalf("err = %v, want %s", err, sagatask.ErrPaymentFailed)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("took %v, want about the call's 300ms budget", elapsed)
	}
	if n := sandbox.Calls(); n != s.Retry.Attempts {
		t.Errorf("%d gateway calls, want %d attempts", n, s.Retry.Attempts)
	}
}

// TestPaymentMetricsOncePerOutcome: PaymentDeclined and PaymentFailed are
// recorded once per payment, however often the task is replayed; an
// approved or transiently failing charge records neither.
func TestPaymentMetricsOncePerOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		token        string
		declined     float64
		failed       float64
		firstOutcome string
	}{
		{paymentssandbox.TokenVisa, 0, 0, ""},
		{paymentssandbox.TokenDeclined, 1, 0, sagatask.ErrPaymentDeclined},
		{paymentssandbox.TokenTimeout, 0, 1, sagatask.ErrPaymentFailed},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			t.Parallel()
			rec, sink := metricstest.Recorder(t)
			s := fast()
			s.Timeout = 200 * time.Millisecond
			g := paymentswire.NewGuardedGateway(paymentssandbox.New(), paymentswire.GatewayGuard(s, logger, rec))
			process := paymentstask.ProcessPayment(paymentswire.NewService(paymentstest.NewRepository(), g, rec, s.Timeout), logger)
			in := input(uuid.NewString(), tt.token)
			for i := range 3 {
				if _, err := process(context.Background(), in); errorType(err) != tt.firstOutcome {
					t.Fatalf("call %d: %v, want %q", i, err, tt.firstOutcome)
				}
			}
			if got := sink.Sum(metrics.PaymentDeclined, nil); got != tt.declined {
				t.Errorf("PaymentDeclined = %v, want %v", got, tt.declined)
			}
			if got := sink.Sum(metrics.PaymentFailed, nil); got != tt.failed {
				t.Errorf("PaymentFailed = %v, want %v", got, tt.failed)
			}
		})
	}
}

func input(orderID, token string) paymentstask.ProcessInput {
	return paymentstask.ProcessInput{
		OrderID: orderID, UserID: "u-1", CorrelationID: "c-1",
		Amount: paymentstask.Money{Amount: 4200, Currency: "EUR"}, PaymentToken: token,
	}
}

// errorType is the error name the state machine sees, "" for none.
func errorType(err error) string {
	var lambdaErr messages.InvokeResponse_Error
	if errors.As(err, &lambdaErr) {
		return lambdaErr.Type
	}
	if err != nil {
		return "untyped"
	}
	return ""
}
