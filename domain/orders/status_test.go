package orders_test

import (
	"errors"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
)

// orderIn returns a PENDING order walked to status through legal moves.
func orderIn(t *testing.T, status orders.Status) orders.Order {
	t.Helper()
	o := orderstest.NewOrder(t, "u-1", orderstest.Epoch)
	at := orderstest.Epoch.Add(time.Minute)
	var err error
	switch status {
	case orders.StatusConfirmed:
		err = o.Confirm("pay-1", at)
	case orders.StatusShipped:
		err = errors.Join(o.Confirm("pay-1", at), o.Ship(at))
	case orders.StatusDelivered:
		err = errors.Join(o.Confirm("pay-1", at), o.Ship(at), o.Deliver(at))
	case orders.StatusCancelled:
		err = o.Cancel("payment_declined", at)
	}
	if err != nil || o.Status() != status {
		t.Fatalf("walk to %s: %s, %v", status, o.Status(), err)
	}
	return o
}

func move(o *orders.Order, to orders.Status, at time.Time) error {
	switch to {
	case orders.StatusConfirmed:
		return o.Confirm("pay-2", at)
	case orders.StatusShipped:
		return o.Ship(at)
	case orders.StatusDelivered:
		return o.Deliver(at)
	case orders.StatusCancelled:
		return o.Cancel("confirm_failed", at)
	default:
		return &orders.InvalidTransitionError{From: o.Status(), To: to} // nothing moves back to PENDING
	}
}

func TestStatusMachineEveryPair(t *testing.T) {
	t.Parallel()
	allowed := map[[2]orders.Status]bool{
		{orders.StatusPending, orders.StatusConfirmed}:   true,
		{orders.StatusPending, orders.StatusCancelled}:   true,
		{orders.StatusConfirmed, orders.StatusShipped}:   true,
		{orders.StatusConfirmed, orders.StatusCancelled}: true,
		{orders.StatusShipped, orders.StatusDelivered}:   true,
	}
	type pair struct{ from, to orders.Status }
	var tests []pair
	for _, from := range orders.Statuses {
		for _, to := range orders.Statuses {
			tests = append(tests, pair{from, to})
		}
	}
	if len(tests) != 25 {
		t.Fatalf("%d pairs, want 25", len(tests))
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"->"+string(tt.to), func(t *testing.T) {
			t.Parallel()
			want := allowed[[2]orders.Status{tt.from, tt.to}]
			if got := tt.from.CanMoveTo(tt.to); got != want {
				t.Fatalf("CanMoveTo = %v, want %v", got, want)
			}
			o := orderIn(t, tt.from)
			before := o
			at := orderstest.Epoch.Add(time.Hour)
			err := move(&o, tt.to, at)
			if want {
				if err != nil {
					t.Fatalf("move: %v", err)
				}
				h := o.History()
				if o.Status() != tt.to || o.Version() != before.Version()+1 || !o.UpdatedAt().Equal(at) ||
					h[len(h)-1].Status != tt.to || len(h) != len(before.History())+1 {
					t.Errorf("after move: status %s v%d history %+v", o.Status(), o.Version(), h)
				}
				return
			}
			var te *orders.InvalidTransitionError
			if !errors.As(err, &te) || !errors.Is(err, orders.ErrInvalidTransition) || te.From != tt.from || te.To != tt.to {
				t.Fatalf("move: %v, want InvalidTransitionError{%s %s}", err, tt.from, tt.to)
			}
			if o.Status() != tt.from || o.Version() != before.Version() || len(o.History()) != len(before.History()) {
				t.Errorf("refused move changed the order: %s v%d", o.Status(), o.Version())
			}
		})
	}
}

func TestCancelRecordsReasonAndConfirmThePayment(t *testing.T) {
	t.Parallel()
	o := orderIn(t, orders.StatusCancelled)
	if o.FailureReason() != "payment_declined" || o.History()[1].Reason != "payment_declined" {
		t.Errorf("reason %q history %+v", o.FailureReason(), o.History())
	}
	c := orderIn(t, orders.StatusConfirmed)
	if c.PaymentID() != "pay-1" || c.FailureReason() != "" {
		t.Errorf("payment %q reason %q", c.PaymentID(), c.FailureReason())
	}
	p := orderIn(t, orders.StatusPending)
	if err := p.Confirm("bad id!", orderstest.Epoch); !errors.Is(err, orders.ErrInvalidPaymentID) || p.Status() != orders.StatusPending {
		t.Errorf("Confirm with a bad payment id: %v", err)
	}
	if err := p.Cancel("Not A Reason", orderstest.Epoch); !errors.Is(err, orders.ErrInvalidReason) || p.Status() != orders.StatusPending {
		t.Errorf("Cancel with a bad reason: %v", err)
	}
}

func TestParseAdminStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    orders.Status
		wantErr bool
	}{
		{"SHIPPED", orders.StatusShipped, false},
		{"DELIVERED", orders.StatusDelivered, false},
		{"PENDING", "", true}, {"CONFIRMED", "", true}, {"CANCELLED", "", true},
		{"shipped", "", true}, {"", "", true},
	}
	for _, tt := range tests {
		got, err := orders.ParseAdminStatus(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, orders.ErrInvalidStatus)) {
			t.Errorf("ParseAdminStatus(%q) = %q, %v", tt.in, got, err)
		}
	}
}
