package paymentssandbox_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
)

func usd(t *testing.T, amount int64) money.Money {
	t.Helper()
	m, err := money.New(amount, "USD")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestChargeByToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		token   string
		wantErr []error // one per successive charge of the same key; nil approves
	}{
		{paymentssandbox.TokenVisa, []error{nil, nil}},
		{paymentssandbox.TokenDeclined, []error{payments.ErrDeclined, payments.ErrDeclined}},
		{"tok_unknown", []error{payments.ErrDeclined}},
		{paymentssandbox.TokenProcessingError, []error{payments.ErrGatewayUnavailable, payments.ErrGatewayUnavailable, nil, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			t.Parallel()
			gw := paymentssandbox.New()
			req := payments.ChargeRequest{IdempotencyKey: "order-1", Amount: usd(t, 1000), Token: tt.token}
			var refs []string
			for i, want := range tt.wantErr {
				res, err := gw.Charge(context.Background(), req)
				if !errors.Is(err, want) || (want == nil) != (err == nil) {
					t.Fatalf("charge %d: err = %v, want %v", i, err, want)
				}
				if err == nil {
					refs = append(refs, res.GatewayRef)
				}
			}
			approved := len(refs) > 0
			if charges := gw.Charges("order-1"); approved != (len(charges) == 1) || len(charges) > 1 {
				t.Errorf("charges %+v, want one charge only if approved", charges)
			}
			for _, ref := range refs {
				if ref != refs[0] || ref == "" {
					t.Errorf("refs %v, want one non-empty ref repeated", refs)
				}
			}
		})
	}
}

func TestProcessingErrorIsCountedPerKey(t *testing.T) {
	t.Parallel()
	gw := paymentssandbox.New()
	ctx := context.Background()
	for _, key := range []string{"a", "b"} {
		for i := range 2 {
			_, err := gw.Charge(ctx, payments.ChargeRequest{IdempotencyKey: key, Amount: usd(t, 1), Token: paymentssandbox.TokenProcessingError})
			if !errors.Is(err, payments.ErrGatewayUnavailable) {
				t.Errorf("key %s charge %d: err = %v, want ErrGatewayUnavailable", key, i, err)
			}
		}
	}
}

func TestConcurrentChargesOfOneKeyChargeOnce(t *testing.T) {
	t.Parallel()
	gw := paymentssandbox.New()
	var wg sync.WaitGroup
	refs := make([]string, 30)
	for i := range refs {
		wg.Go(func() {
			res, err := gw.Charge(context.Background(), payments.ChargeRequest{IdempotencyKey: "k", Amount: usd(t, 5), Token: paymentssandbox.TokenProcessingError})
			if err == nil {
				refs[i] = res.GatewayRef
			}
		})
	}
	wg.Wait()
	charges := gw.Charges("k")
	if len(charges) != 1 {
		t.Fatalf("%d charges, want 1", len(charges))
	}
	failed := 0
	for _, ref := range refs {
		switch ref {
		case "":
			failed++
		case charges[0].GatewayRef:
		default:
			t.Errorf("ref %s, want %s", ref, charges[0].GatewayRef)
		}
	}
	if failed != 2 {
		t.Errorf("%d transient failures, want 2", failed)
	}
}

func TestTimeoutBlocksUntilDeadline(t *testing.T) {
	t.Parallel()
	gw := paymentssandbox.New()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := gw.Charge(ctx, payments.ChargeRequest{IdempotencyKey: "slow", Amount: usd(t, 5), Token: paymentssandbox.TokenTimeout})
	if !errors.Is(err, payments.ErrGatewayTimeout) {
		t.Errorf("err = %v, want ErrGatewayTimeout", err)
	}
	if ctx.Err() == nil {
		t.Error("answered before the deadline")
	}
	if len(gw.Charges("slow")) != 0 {
		t.Error("a timed-out charge was recorded")
	}
}

func TestRefund(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	gw := paymentssandbox.New()
	res, err := gw.Charge(ctx, payments.ChargeRequest{IdempotencyKey: "o", Amount: usd(t, 700), Token: paymentssandbox.TokenVisa})
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.Refund(ctx, res.GatewayRef, usd(t, 1)); !errors.Is(err, payments.ErrUnknownCharge) {
		t.Errorf("refund of another amount: err = %v, want ErrUnknownCharge", err)
	}
	if err := gw.Refund(ctx, "ch_nope", usd(t, 700)); !errors.Is(err, payments.ErrUnknownCharge) {
		t.Errorf("refund of an unknown charge: err = %v, want ErrUnknownCharge", err)
	}
	if err := gw.Refund(ctx, res.GatewayRef, usd(t, 700)); err != nil {
		t.Fatalf("refund: %v", err)
	}
	if err := gw.Refund(ctx, res.GatewayRef, usd(t, 700)); !errors.Is(err, payments.ErrChargeAlreadyRefunded) {
		t.Errorf("second refund: err = %v, want ErrChargeAlreadyRefunded", err)
	}
	want := []paymentssandbox.Charge{{GatewayRef: res.GatewayRef, IdempotencyKey: "o", Amount: usd(t, 700), Token: paymentssandbox.TokenVisa, Refunded: true}}
	if diff := cmp.Diff(want, gw.Charges("o"), cmp.AllowUnexported(money.Money{})); diff != "" {
		t.Errorf("charges (-want +got):\n%s", diff)
	}
}

// TestAnotherInstanceRefunds: Lambda instances each hold their own sandbox;
// the instance running a refund may not be the one that charged.
func TestAnotherInstanceRefunds(t *testing.T) {
	t.Parallel()
	charger, refunder := paymentssandbox.New(), paymentssandbox.New()
	amount, _ := money.New(500, "USD")
	res, err := charger.Charge(context.Background(), payments.ChargeRequest{IdempotencyKey: "order-x", Amount: amount, Token: paymentssandbox.TokenVisa})
	if err != nil {
		t.Fatal(err)
	}
	if res.GatewayRef != paymentssandbox.Ref("order-x") {
		t.Fatalf("ref %s, want the key's %s in every instance", res.GatewayRef, paymentssandbox.Ref("order-x"))
	}
	if err := refunder.Refund(context.Background(), res.GatewayRef, amount); err != nil {
		t.Fatalf("refund by another instance: %v", err)
	}
	if err := refunder.Refund(context.Background(), res.GatewayRef, amount); !errors.Is(err, payments.ErrChargeAlreadyRefunded) {
		t.Fatalf("second refund: %v, want ErrChargeAlreadyRefunded", err)
	}
	if err := refunder.Refund(context.Background(), "ch_other_1", amount); !errors.Is(err, payments.ErrUnknownCharge) {
		t.Fatalf("refund of a foreign reference: %v, want ErrUnknownCharge", err)
	}
}
