package orderswire_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
	"github.com/goshop-dev/goshop/events"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
	"github.com/goshop-dev/goshop/internal/orderstask"
	"github.com/goshop-dev/goshop/internal/wire/orderswire"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

var t0 = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)

type fixture struct {
	svc   *orders.Service
	clock *clock
	sink  *metricstest.Sink
	lamp  string
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	rec, sink := metricstest.Recorder(t)
	price, err := money.New(1999, "EUR")
	if err != nil {
		t.Fatal(err)
	}
	lamp := "p-" + uuid.NewString()[:8]
	c := &clock{now: t0}
	svc := orders.NewService(orderswire.NewMeteredRepository(orderstest.NewRepository(), rec),
		orderstest.NewCatalog(orders.CatalogProduct{ID: lamp, Name: "Lamp", Price: price}), &orderstest.Saga{},
		c.Now, func() string { return uuid.Must(uuid.NewV7()).String() }, orders.WithRetry(30, time.Millisecond, 20*time.Millisecond))
	return fixture{svc: svc, clock: c, sink: sink, lamp: lamp}
}

func (f fixture) checkout(t *testing.T, key string) orders.Order {
	t.Helper()
	res, err := f.svc.Checkout(context.Background(), orders.CheckoutRequest{
		UserID: "u-1", IdempotencyKey: key, PaymentToken: "tok_visa",
		Items: []orders.Item{{ProductID: f.lamp, Quantity: 1}}, Shipping: orderstest.Address(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Order
}

// durations returns the CheckoutDuration values recorded with outcome.
func (f fixture) durations(outcome string) []float64 {
	var out []float64
	for _, m := range f.sink.Named(metrics.CheckoutDuration) {
		if m.Dims[metrics.DimensionOutcome] == outcome {
			out = append(out, m.Value)
		}
	}
	return out
}

// TestOrderMetricsOncePerChange: OrderCreated once per new order (not on
// a replayed checkout), OrderConfirmed and OrderCancelled once per change
// (not on a replayed task), and CheckoutDuration once per order, when it
// leaves PENDING, from its creation.
func TestOrderMetricsOncePerChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	a := f.checkout(t, "k-a")
	if again := f.checkout(t, "k-a"); again.ID() != a.ID() {
		t.Fatalf("the replay made order %s, want %s", again.ID(), a.ID())
	}
	b := f.checkout(t, "k-b")
	if got := f.sink.Sum(metrics.OrderCreated, nil); got != 2 {
		t.Errorf("OrderCreated = %v, want 2 (two orders, one replay)", got)
	}

	confirm, cancel := orderstask.Confirm(f.svc), orderstask.Cancel(f.svc)
	f.clock.set(t0.Add(90 * time.Second))
	for range 3 {
		if _, err := confirm(ctx, orderstask.ConfirmInput{OrderID: a.ID(), PaymentID: "pay-a"}); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.set(t0.Add(2 * time.Minute))
	for range 3 {
		if _, err := cancel(ctx, orderstask.CancelInput{OrderID: b.ID(), Reason: events.ReasonPaymentDeclined}); err != nil {
			t.Fatal(err)
		}
	}
	// A confirmed order whose confirmation's answer was lost is cancelled
	// by the saga's compensation: counted, but its checkout ended already.
	if _, err := cancel(ctx, orderstask.CancelInput{OrderID: a.ID(), Reason: events.ReasonConfirmFailed}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		dims map[string]string
		want float64
	}{
		{metrics.OrderCreated, nil, 2},
		{metrics.OrderConfirmed, nil, 1},
		{metrics.OrderCancelled, nil, 2},
		{metrics.OrderCancelled, map[string]string{metrics.DimensionReason: metrics.CancelPaymentDeclined}, 1},
		{metrics.OrderCancelled, map[string]string{metrics.DimensionReason: metrics.CancelConfirmFailed}, 1},
	}
	for _, tt := range tests {
		if got := f.sink.Sum(tt.name, tt.dims); got != tt.want {
			t.Errorf("%s %v = %v, want %v", tt.name, tt.dims, got, tt.want)
		}
	}
	if got := f.durations(metrics.OutcomeConfirmed); len(got) != 1 || got[0] != 90_000 {
		t.Errorf("confirmed CheckoutDuration = %v, want [90000] ms", got)
	}
	if got := f.durations(metrics.OutcomeCancelled); len(got) != 1 || got[0] != 120_000 {
		t.Errorf("cancelled CheckoutDuration = %v, want [120000] ms", got)
	}
	for _, m := range f.sink.Named(metrics.CheckoutDuration) {
		if m.Unit != metrics.Milliseconds {
			t.Errorf("CheckoutDuration in %s, want milliseconds", m.Unit)
		}
	}
}

// TestConcurrentConfirmsCountOnce: confirms racing for one order record
// one OrderConfirmed: only the write that changed the order counts.
func TestConcurrentConfirmsCountOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o := f.checkout(t, "k-race")
	confirm := orderstask.Confirm(f.svc)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := confirm(context.Background(), orderstask.ConfirmInput{OrderID: o.ID(), PaymentID: "pay-1"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := f.sink.Sum(metrics.OrderConfirmed, nil); got != 1 {
		t.Errorf("OrderConfirmed = %v, want 1", got)
	}
	if got := len(f.durations(metrics.OutcomeConfirmed)); got != 1 {
		t.Errorf("%d CheckoutDuration, want 1", got)
	}
}

// TestUnknownCancelReasonIsOther: a reason outside the saga's does not
// become a dimension value of its own.
func TestUnknownCancelReasonIsOther(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	o := f.checkout(t, "k-other")
	if _, err := orderstask.Cancel(f.svc)(context.Background(), orderstask.CancelInput{OrderID: o.ID(), Reason: "customer_changed_mind"}); err != nil {
		t.Fatal(err)
	}
	if got := f.sink.Sum(metrics.OrderCancelled, map[string]string{metrics.DimensionReason: metrics.CancelOther}); got != 1 {
		t.Errorf("OrderCancelled{Reason=other} = %v, want 1", got)
	}
}
