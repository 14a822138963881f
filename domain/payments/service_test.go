package payments_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/payments/paymentstest"
)

type fixture struct {
	repo *paymentstest.Repository
	gw   *paymentssandbox.Gateway
	svc  *payments.Service
}

func newFixture(opts ...payments.Option) fixture {
	repo, gw := paymentstest.NewRepository(), paymentssandbox.New()
	return fixture{repo: repo, gw: gw, svc: payments.NewService(repo, gw, time.Now, opts...)}
}

func request(t *testing.T, token string) payments.ProcessRequest {
	t.Helper()
	amount, err := money.New(1250, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	return payments.ProcessRequest{OrderID: uuid.NewString(), UserID: "user-1", CorrelationID: "c-1", Amount: amount, Token: token}
}

func TestPaymentIDIsTheOrdersNameBasedUUID(t *testing.T) {
	t.Parallel()
	want := uuid.NewSHA1(uuid.NameSpaceURL, []byte("goshop:payment/order-42")).String()
	if got := payments.PaymentID("order-42"); got != want {
		t.Errorf("PaymentID = %s, want %s", got, want)
	}
}

func TestProcessInvalidRequests(t *testing.T) {
	t.Parallel()
	valid := request(t, paymentssandbox.TokenVisa)
	tests := []struct {
		name   string
		change func(*payments.ProcessRequest)
		want   error
	}{
		{"order id", func(r *payments.ProcessRequest) { r.OrderID = "bad id" }, payments.ErrInvalidOrderID},
		{"user id", func(r *payments.ProcessRequest) { r.UserID = "" }, payments.ErrInvalidUserID},
		{"zero amount", func(r *payments.ProcessRequest) { r.Amount = money.Money{} }, payments.ErrInvalidAmount},
		{"token", func(r *payments.ProcessRequest) { r.Token = " " }, payments.ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture()
			req := valid
			tt.change(&req)
			if _, err := f.svc.Process(context.Background(), req); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if f.gw.Calls() != 0 {
				t.Error("the gateway was called for an invalid request")
			}
		})
	}
}

func TestProcessTransientThenApproved(t *testing.T) {
	t.Parallel()
	f := newFixture()
	req := request(t, paymentssandbox.TokenProcessingError)
	for i := range 2 {
		if _, err := f.svc.Process(context.Background(), req); !errors.Is(err, payments.ErrGatewayUnavailable) {
			t.Fatalf("try %d: err = %v, want ErrGatewayUnavailable", i, err)
		}
		p, err := f.svc.Get(context.Background(), payments.PaymentID(req.OrderID))
		if err != nil || p.Status() != payments.StatusPending || p.Attempts() != i+1 {
			t.Fatalf("after try %d: %s attempts %d (%v), want PENDING %d", i, p.Status(), p.Attempts(), err, i+1)
		}
	}
	p, err := f.svc.Process(context.Background(), req)
	if err != nil || p.Status() != payments.StatusSucceeded || p.Attempts() != 3 {
		t.Fatalf("third try: %s attempts %d (%v), want SUCCEEDED 3", p.Status(), p.Attempts(), err)
	}
	if events := f.repo.Events(p.ID()); len(events) != 1 || events[0] != payments.StatusSucceeded {
		t.Errorf("events %v, want one PaymentSucceeded", events)
	}
}

func TestProcessTimeoutRecordsFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(payments.WithGatewayTimeout(20 * time.Millisecond))
	req := request(t, paymentssandbox.TokenTimeout)
	start := time.Now()
	p, err := f.svc.Process(context.Background(), req)
	if !errors.Is(err, payments.ErrPaymentFailed) {
		t.Fatalf("err = %v, want ErrPaymentFailed", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("took %s, want about the 20ms gateway timeout", elapsed)
	}
	if p.Status() != payments.StatusFailed || p.FailureReason() != payments.ReasonError {
		t.Errorf("payment %s %q, want FAILED error", p.Status(), p.FailureReason())
	}
	req.Token = paymentssandbox.TokenVisa
	if _, err := f.svc.Process(context.Background(), req); !errors.Is(err, payments.ErrPaymentFailed) {
		t.Errorf("replay: err = %v, want the recorded ErrPaymentFailed", err)
	}
	if events := f.repo.Events(p.ID()); len(events) != 1 || events[0] != payments.StatusFailed {
		t.Errorf("events %v, want one PaymentFailed", events)
	}
}

func TestProcessTimeoutLeavesTimeToRecord(t *testing.T) {
	t.Parallel()
	f := newFixture() // 5s gateway timeout, longer than the caller's deadline
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := f.svc.Process(ctx, request(t, paymentssandbox.TokenTimeout))
	if !errors.Is(err, payments.ErrPaymentFailed) {
		t.Errorf("err = %v, want ErrPaymentFailed recorded before the caller's deadline", err)
	}
}

func TestProcessCallerGoneLeavesPending(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx, cancel := context.WithCancel(context.Background())
	req := request(t, paymentssandbox.TokenTimeout)
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if _, err := f.svc.Process(ctx, req); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	p, err := f.svc.Get(context.Background(), payments.PaymentID(req.OrderID))
	if err != nil || p.Status() != payments.StatusPending {
		t.Errorf("payment %s (%v), want PENDING: the caller left, nothing is known", p.Status(), err)
	}
}

func TestProcessAfterRefund(t *testing.T) {
	t.Parallel()
	f := newFixture()
	req := request(t, paymentssandbox.TokenVisa)
	if _, err := f.svc.Process(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Refund(context.Background(), req.OrderID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Process(context.Background(), req); !errors.Is(err, payments.ErrRefunded) {
		t.Errorf("err = %v, want ErrRefunded", err)
	}
	if n := len(f.gw.Charges(req.OrderID)); n != 1 {
		t.Errorf("%d charges, want 1", n)
	}
}

func TestRefund(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		token   string // "" leaves the order without a payment
		pending bool
		want    payments.RefundStatus
		wantErr error
	}{
		{"succeeded", paymentssandbox.TokenVisa, false, payments.RefundRefunded, nil},
		{"declined", paymentssandbox.TokenDeclined, false, payments.RefundNotCharged, nil},
		{"no payment", "", false, payments.RefundNotCharged, nil},
		{"pending", paymentssandbox.TokenProcessingError, true, "", payments.ErrPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture()
			req := request(t, tt.token)
			if tt.token != "" {
				_, _ = f.svc.Process(context.Background(), req)
			}
			for i := range 2 {
				res, err := f.svc.Refund(context.Background(), req.OrderID)
				if !errors.Is(err, tt.wantErr) || res.Status != tt.want {
					t.Fatalf("refund %d = %s, %v; want %s, %v", i, res.Status, err, tt.want, tt.wantErr)
				}
			}
			for _, c := range f.gw.Charges(req.OrderID) {
				if c.Refunded != (tt.want == payments.RefundRefunded) {
					t.Errorf("charge refunded = %v, want %v", c.Refunded, tt.want == payments.RefundRefunded)
				}
			}
		})
	}
	t.Run("invalid order id", func(t *testing.T) {
		t.Parallel()
		if _, err := newFixture().svc.Refund(context.Background(), "no/slash"); !errors.Is(err, payments.ErrInvalidOrderID) {
			t.Errorf("err = %v, want ErrInvalidOrderID", err)
		}
	})
}

func TestRefundPayment(t *testing.T) {
	t.Parallel()
	f := newFixture()
	ctx := context.Background()
	paid := request(t, paymentssandbox.TokenVisa)
	if _, err := f.svc.Process(ctx, paid); err != nil {
		t.Fatal(err)
	}
	declined := request(t, paymentssandbox.TokenDeclined)
	_, _ = f.svc.Process(ctx, declined)
	for i := range 2 {
		p, err := f.svc.RefundPayment(ctx, payments.PaymentID(paid.OrderID))
		if err != nil || p.Status() != payments.StatusRefunded {
			t.Errorf("refund %d: %s, %v; want REFUNDED", i, p.Status(), err)
		}
	}
	if _, err := f.svc.RefundPayment(ctx, payments.PaymentID(declined.OrderID)); !errors.Is(err, payments.ErrNotRefundable) {
		t.Errorf("declined: err = %v, want ErrNotRefundable", err)
	}
	if _, err := f.svc.RefundPayment(ctx, uuid.NewString()); !errors.Is(err, payments.ErrNotFound) {
		t.Errorf("unknown: err = %v, want ErrNotFound", err)
	}
	if _, err := f.svc.RefundPayment(ctx, "bad id!"); !errors.Is(err, payments.ErrNotFound) {
		t.Errorf("bad id: err = %v, want ErrNotFound", err)
	}
}

func TestTransitions(t *testing.T) {
	t.Parallel()
	now := time.Now()
	amount, _ := money.New(1, "USD")
	tests := []struct {
		name string
		op   func(*payments.Payment) error
		want payments.Status
	}{
		{"succeed", func(p *payments.Payment) error { return p.Succeed("r", now) }, payments.StatusSucceeded},
		{"fail declined", func(p *payments.Payment) error { return p.Fail(payments.ReasonDeclined, now) }, payments.StatusFailed},
		{"fail unknown reason", func(p *payments.Payment) error { return p.Fail("other", now) }, ""},
		{"refund pending", func(p *payments.Payment) error { return p.Refund(now) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := payments.NewPayment(payments.NewPaymentParams{OrderID: "o", UserID: "u", Amount: amount}, now)
			if err != nil {
				t.Fatal(err)
			}
			err = tt.op(&p)
			if tt.want == "" {
				if !errors.Is(err, payments.ErrInvalidTransition) || p.Status() != payments.StatusPending || p.Version() != 1 {
					t.Errorf("err = %v, status %s version %d; want ErrInvalidTransition and no change", err, p.Status(), p.Version())
				}
				return
			}
			if err != nil || p.Status() != tt.want || p.Version() != 2 {
				t.Errorf("err = %v, status %s version %d; want %s at version 2", err, p.Status(), p.Version(), tt.want)
			}
		})
	}
}
