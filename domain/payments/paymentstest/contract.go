package paymentstest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/payments"
)

// CmpOptions compares payments field by field.
func CmpOptions() cmp.Options {
	return cmp.Options{cmp.AllowUnexported(payments.Payment{}, money.Money{})}
}

// RunRepositoryContract runs the behaviour every payments.Repository must
// have against repositories from newRepo (a fresh one per subtest),
// directly and through a payments.Service with the sandbox gateway,
// including the races of every conditional write.
func RunRepositoryContract(t *testing.T, newRepo func(t *testing.T) payments.Repository) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, repo payments.Repository)
	}{
		{"CreateThenGet", testCreateThenGet},
		{"CreateExisting", testCreateExisting},
		{"GetUnknown", testGetUnknown},
		{"UpdateApplies", testUpdateApplies},
		{"UpdateUnknown", testUpdateUnknown},
		{"UpdateFnError", testUpdateFnError},
		{"UpdateWithoutChange", testUpdateWithoutChange},
		{"UpdateStaleVersion", testUpdateStaleVersion},
		{"RaceCreate", testRaceCreate},
		{"RaceUpdate", testRaceUpdate},
		{"ServiceProcessOnce", testServiceProcessOnce},
		{"ServiceRaceProcess", testServiceRaceProcess},
		{"ServiceRaceProcessTransient", testServiceRaceProcessTransient},
		{"ServiceRaceRefund", testServiceRaceRefund},
		{"ServiceDeclineRecorded", testServiceDeclineRecorded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newRepo(t))
		})
	}
}

// now is a fixed clock with a whole number of microseconds, which every
// store keeps exactly.
var now = time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)

func newPayment(t *testing.T) payments.Payment {
	t.Helper()
	amount, err := money.New(4999, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	p, err := payments.NewPayment(payments.NewPaymentParams{
		OrderID: uuid.NewString(), UserID: uuid.NewString(), CorrelationID: uuid.NewString(), Amount: amount,
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func create(t *testing.T, repo payments.Repository) payments.Payment {
	t.Helper()
	p := newPayment(t)
	if err := repo.Create(context.Background(), p); err != nil {
		t.Fatalf("create: %v", err)
	}
	return p
}

func get(t *testing.T, repo payments.Repository, id string) payments.Payment {
	t.Helper()
	p, err := repo.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	return p
}

func testCreateThenGet(t *testing.T, repo payments.Repository) {
	p := create(t, repo)
	if diff := cmp.Diff(p, get(t, repo, p.ID()), CmpOptions()); diff != "" {
		t.Errorf("get (-created +got):\n%s", diff)
	}
}

func testCreateExisting(t *testing.T, repo payments.Repository) {
	p := create(t, repo)
	again, err := payments.NewPayment(payments.NewPaymentParams{
		OrderID: p.OrderID(), UserID: uuid.NewString(), Amount: p.Amount(),
	}, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Create(context.Background(), again); !errors.Is(err, payments.ErrExists) {
		t.Errorf("second create: err = %v, want ErrExists", err)
	}
	if diff := cmp.Diff(p, get(t, repo, p.ID()), CmpOptions()); diff != "" {
		t.Errorf("stored payment changed (-first +got):\n%s", diff)
	}
}

func testGetUnknown(t *testing.T, repo payments.Repository) {
	if _, err := repo.Get(context.Background(), uuid.NewString()); !errors.Is(err, payments.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func testUpdateApplies(t *testing.T, repo payments.Repository) {
	p := create(t, repo)
	later := now.Add(time.Minute)
	want := p
	if err := want.Succeed("ch_1", later); err != nil {
		t.Fatal(err)
	}
	err := repo.Update(context.Background(), p.ID(), func(p *payments.Payment) error { return p.Succeed("ch_1", later) })
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	got := get(t, repo, p.ID())
	if diff := cmp.Diff(want, got, CmpOptions()); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	if got.Version() != 2 || got.Status() != payments.StatusSucceeded || got.GatewayRef() != "ch_1" {
		t.Errorf("got version %d status %s ref %q, want 2 SUCCEEDED ch_1", got.Version(), got.Status(), got.GatewayRef())
	}
	err = repo.Update(context.Background(), p.ID(), func(p *payments.Payment) error { return p.Refund(later) })
	if err != nil {
		t.Fatalf("refund update: %v", err)
	}
	if got := get(t, repo, p.ID()); got.Status() != payments.StatusRefunded || got.Version() != 3 {
		t.Errorf("after refund: status %s version %d, want REFUNDED 3", got.Status(), got.Version())
	}
}

func testUpdateUnknown(t *testing.T, repo payments.Repository) {
	err := repo.Update(context.Background(), uuid.NewString(), func(*payments.Payment) error {
		t.Error("fn called for an unknown payment")
		return nil
	})
	if !errors.Is(err, payments.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
}

func testUpdateFnError(t *testing.T, repo payments.Repository) {
	p := create(t, repo)
	err := repo.Update(context.Background(), p.ID(), func(p *payments.Payment) error { return p.Refund(now) })
	if !errors.Is(err, payments.ErrInvalidTransition) {
		t.Errorf("err = %v, want fn's ErrInvalidTransition", err)
	}
	if diff := cmp.Diff(p, get(t, repo, p.ID()), CmpOptions()); diff != "" {
		t.Errorf("stored payment changed (-want +got):\n%s", diff)
	}
}

func testUpdateWithoutChange(t *testing.T, repo payments.Repository) {
	p := create(t, repo)
	if err := repo.Update(context.Background(), p.ID(), func(*payments.Payment) error { return nil }); err != nil {
		t.Fatalf("update: %v", err)
	}
	if got := get(t, repo, p.ID()); got.Version() != p.Version() {
		t.Errorf("version %d, want %d: nothing to write", got.Version(), p.Version())
	}
}

func testUpdateStaleVersion(t *testing.T, repo payments.Repository) {
	ctx := context.Background()
	p := create(t, repo)
	err := repo.Update(ctx, p.ID(), func(stale *payments.Payment) error {
		// Another change lands between this update's read and its write.
		if err := repo.Update(ctx, p.ID(), func(p *payments.Payment) error { return p.NoteAttempt(now) }); err != nil {
			t.Fatalf("inner update: %v", err)
		}
		return stale.Succeed("ch_stale", now)
	})
	if !errors.Is(err, payments.ErrConflict) {
		t.Errorf("err = %v, want ErrConflict", err)
	}
	got := get(t, repo, p.ID())
	if got.Status() != payments.StatusPending || got.Attempts() != 1 || got.Version() != 2 {
		t.Errorf("stored: status %s attempts %d version %d, want the inner change only (PENDING 1 2)", got.Status(), got.Attempts(), got.Version())
	}
}

// parallel runs fn(i) in n goroutines released together and returns their
// errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			errs[i] = fn(i)
		})
	}
	start.Done()
	done.Wait()
	return errs
}

func testRaceCreate(t *testing.T, repo payments.Repository) {
	p := newPayment(t)
	errs := parallel(20, func(int) error { return repo.Create(context.Background(), p) })
	created := 0
	for _, err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, payments.ErrExists):
			t.Errorf("create: unexpected error %v", err)
		}
	}
	if created != 1 {
		t.Errorf("%d creates succeeded, want exactly 1", created)
	}
}

func testRaceUpdate(t *testing.T, repo payments.Repository) {
	p := create(t, repo)
	errs := parallel(10, func(i int) error {
		return repo.Update(context.Background(), p.ID(), func(p *payments.Payment) error {
			return p.Succeed("ch_"+uuid.NewString(), now)
		})
	})
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, payments.ErrConflict) && !errors.Is(err, payments.ErrInvalidTransition):
			t.Errorf("update: unexpected error %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d updates succeeded, want exactly 1", won)
	}
	if got := get(t, repo, p.ID()); got.Version() != 2 || got.Attempts() != 1 {
		t.Errorf("stored version %d attempts %d, want one change (2, 1)", got.Version(), got.Attempts())
	}
}
