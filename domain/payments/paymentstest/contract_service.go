package paymentstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
)

func newService(repo payments.Repository, gw payments.PaymentGateway) *payments.Service {
	return payments.NewService(repo, gw, time.Now, payments.WithRetry(50, time.Millisecond, 50*time.Millisecond))
}

func processRequest(t *testing.T, token string) payments.ProcessRequest {
	t.Helper()
	amount, err := money.New(1999, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return payments.ProcessRequest{
		OrderID: uuid.NewString(), UserID: uuid.NewString(), CorrelationID: uuid.NewString(),
		Amount: amount, Token: token,
	}
}

func testServiceProcessOnce(t *testing.T, repo payments.Repository) {
	ctx := context.Background()
	gw := paymentssandbox.New()
	svc := newService(repo, gw)
	req := processRequest(t, paymentssandbox.TokenVisa)
	first, err := svc.Process(ctx, req)
	if err != nil {
		t.Fatalf("process: %v", err)
	}
	if first.Status() != payments.StatusSucceeded || first.ID() != payments.PaymentID(req.OrderID) || first.Attempts() != 1 {
		t.Errorf("payment: status %s id %s attempts %d, want SUCCEEDED, the order's id, 1", first.Status(), first.ID(), first.Attempts())
	}
	req.Token = paymentssandbox.TokenDeclined // a replay: the recorded outcome wins
	again, err := svc.Process(ctx, req)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if diff := cmp.Diff(first, again, CmpOptions()); diff != "" {
		t.Errorf("replay (-first +replay):\n%s", diff)
	}
	if diff := cmp.Diff(first, get(t, repo, first.ID()), CmpOptions()); diff != "" {
		t.Errorf("stored (-returned +stored):\n%s", diff)
	}
	if calls := gw.Calls(); calls != 1 {
		t.Errorf("%d gateway calls, want 1: a settled payment is not charged again", calls)
	}
}

func testServiceRaceProcess(t *testing.T, repo payments.Repository) {
	gw := paymentssandbox.New()
	svc := newService(repo, gw)
	req := processRequest(t, paymentssandbox.TokenVisa)
	results := make([]payments.Payment, 20)
	errs := parallel(len(results), func(i int) error {
		var err error
		results[i], err = svc.Process(context.Background(), req)
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("process %d: %v", i, err)
		}
	}
	if charges := gw.Charges(req.OrderID); len(charges) != 1 {
		t.Fatalf("%d charges, want exactly 1", len(charges))
	}
	stored := get(t, repo, payments.PaymentID(req.OrderID))
	for i, p := range results {
		if diff := cmp.Diff(stored, p, CmpOptions()); diff != "" {
			t.Errorf("process %d (-stored +returned):\n%s", i, diff)
		}
	}
	if stored.Status() != payments.StatusSucceeded || stored.GatewayRef() != gw.Charges(req.OrderID)[0].GatewayRef {
		t.Errorf("stored %s %q, want SUCCEEDED with the charge's ref", stored.Status(), stored.GatewayRef())
	}
}

func testServiceRaceProcessTransient(t *testing.T, repo payments.Repository) {
	gw := paymentssandbox.New()
	svc := newService(repo, gw)
	req := processRequest(t, paymentssandbox.TokenProcessingError)
	errs := parallel(6, func(int) error {
		_, err := svc.Process(context.Background(), req)
		return err
	})
	transient := 0
	for _, err := range errs {
		switch {
		case errors.Is(err, payments.ErrGatewayUnavailable):
			transient++
		case err != nil:
			t.Errorf("process: unexpected error %v", err)
		}
	}
	if transient != 2 {
		t.Errorf("%d transient errors, want the sandbox's 2", transient)
	}
	if charges := gw.Charges(req.OrderID); len(charges) != 1 {
		t.Errorf("%d charges, want exactly 1", len(charges))
	}
	if got := get(t, repo, payments.PaymentID(req.OrderID)); got.Status() != payments.StatusSucceeded {
		t.Errorf("stored status %s, want SUCCEEDED", got.Status())
	}
}

func testServiceRaceRefund(t *testing.T, repo payments.Repository) {
	ctx := context.Background()
	gw := paymentssandbox.New()
	svc := newService(repo, gw)
	req := processRequest(t, paymentssandbox.TokenVisa)
	charged, err := svc.Process(ctx, req)
	if err != nil {
		t.Fatalf("process: %v", err)
	}
	results := make([]payments.RefundResult, 10)
	errs := parallel(len(results), func(i int) error {
		var err error
		results[i], err = svc.Refund(ctx, req.OrderID)
		return err
	})
	stored := get(t, repo, charged.ID())
	for i, err := range errs {
		if err != nil {
			t.Fatalf("refund %d: %v", i, err)
		}
		if diff := cmp.Diff(payments.RefundResult{Status: payments.RefundRefunded, Payment: stored}, results[i], CmpOptions()); diff != "" {
			t.Errorf("refund %d (-want +got):\n%s", i, diff)
		}
	}
	charges := gw.Charges(req.OrderID)
	if len(charges) != 1 || !charges[0].Refunded {
		t.Errorf("charges %+v, want one, refunded", charges)
	}
	if stored.Status() != payments.StatusRefunded || stored.Version() != charged.Version()+1 {
		t.Errorf("stored %s version %d, want REFUNDED at version %d", stored.Status(), stored.Version(), charged.Version()+1)
	}
}

func testServiceDeclineRecorded(t *testing.T, repo payments.Repository) {
	ctx := context.Background()
	gw := paymentssandbox.New()
	svc := newService(repo, gw)
	req := processRequest(t, paymentssandbox.TokenDeclined)
	for i := range 2 {
		p, err := svc.Process(ctx, req)
		if !errors.Is(err, payments.ErrDeclined) {
			t.Fatalf("process %d: err = %v, want ErrDeclined", i, err)
		}
		if p.Status() != payments.StatusFailed || p.FailureReason() != payments.ReasonDeclined {
			t.Errorf("process %d: %s %q, want FAILED declined", i, p.Status(), p.FailureReason())
		}
	}
	if calls := gw.Calls(); calls != 1 {
		t.Errorf("%d gateway calls, want 1", calls)
	}
	res, err := svc.Refund(ctx, req.OrderID)
	if err != nil || res.Status != payments.RefundNotCharged {
		t.Errorf("refund = %s, %v; want NOT_CHARGED", res.Status, err)
	}
}
