package paymentstest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/payments/paymentstest"
)

func TestRepositoryContract(t *testing.T) {
	t.Parallel()
	paymentstest.RunRepositoryContract(t, func(*testing.T) payments.Repository {
		return paymentstest.NewRepository()
	})
}

func TestFakeRecordsOneEventPerStatusChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := paymentstest.NewRepository()
	svc := payments.NewService(repo, paymentssandbox.New(), time.Now)
	amount, _ := money.New(500, "USD")
	p, err := svc.Process(ctx, payments.ProcessRequest{OrderID: "o-1", UserID: "u-1", Amount: amount, Token: paymentssandbox.TokenVisa})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := svc.Refund(ctx, "o-1"); err != nil {
			t.Fatal(err)
		}
	}
	want := []payments.Status{payments.StatusSucceeded, payments.StatusRefunded}
	if diff := cmp.Diff(want, repo.Events(p.ID())); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
