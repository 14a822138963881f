package orders_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
)

func TestCheckoutValidation(t *testing.T) {
	t.Parallel()
	f := orderstest.NewFixture(t, orderstest.NewRepository())
	p0, p1 := f.Products[0].ID, f.Products[1].ID
	tests := []struct {
		name   string
		change func(*orders.CheckoutRequest)
		want   error
	}{
		{"no key", func(r *orders.CheckoutRequest) { r.IdempotencyKey = "" }, orders.ErrInvalidIdempotencyKey},
		{"long key", func(r *orders.CheckoutRequest) { r.IdempotencyKey = strings.Repeat("k", 65) }, orders.ErrInvalidIdempotencyKey},
		{"key with space", func(r *orders.CheckoutRequest) { r.IdempotencyKey = "a b" }, orders.ErrInvalidIdempotencyKey},
		{"no items", func(r *orders.CheckoutRequest) { r.Items = nil }, orders.ErrInvalidLines},
		{"26 items", func(r *orders.CheckoutRequest) { r.Items = make([]orders.Item, 26) }, orders.ErrInvalidLines},
		{"zero quantity", func(r *orders.CheckoutRequest) { r.Items[0].Quantity = 0 }, orders.ErrInvalidQuantity},
		{"100 units", func(r *orders.CheckoutRequest) { r.Items[0].Quantity = 100 }, orders.ErrInvalidQuantity},
		{"merged over 99", func(r *orders.CheckoutRequest) {
			r.Items = []orders.Item{{ProductID: p0, Quantity: 50}, {ProductID: p0, Quantity: 50}}
		}, orders.ErrInvalidQuantity},
		{"bad product id", func(r *orders.CheckoutRequest) { r.Items[0].ProductID = "a/b" }, orders.ErrInvalidProductID},
		{"unknown product", func(r *orders.CheckoutRequest) { r.Items[1].ProductID = "nope" }, orders.ErrUnknownProduct},
		{"no token", func(r *orders.CheckoutRequest) { r.PaymentToken = "" }, orders.ErrInvalidPaymentToken},
		{"token with newline", func(r *orders.CheckoutRequest) { r.PaymentToken = "tok\n" }, orders.ErrInvalidPaymentToken},
		{"no city", func(r *orders.CheckoutRequest) { r.Shipping.City = " " }, orders.ErrInvalidAddress},
		{"long name", func(r *orders.CheckoutRequest) { r.Shipping.Name = strings.Repeat("n", 101) }, orders.ErrInvalidAddress},
		{"unknown country", func(r *orders.CheckoutRequest) { r.Shipping.Country = "XX" }, orders.ErrInvalidCountry},
		{"alpha-3 country", func(r *orders.CheckoutRequest) { r.Shipping.Country = "GBR" }, orders.ErrInvalidCountry},
		{"bad user", func(r *orders.CheckoutRequest) { r.UserID = "" }, orders.ErrInvalidID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := f.Request(orderstest.NewUserID(), "key-1")
			req.Items = []orders.Item{{ProductID: p0, Quantity: 1}, {ProductID: p1, Quantity: 1}}
			tt.change(&req)
			if _, err := f.Service.Checkout(context.Background(), req); !errors.Is(err, tt.want) {
				t.Errorf("Checkout: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckoutPricesFromCatalogAndMergesLines(t *testing.T) {
	t.Parallel()
	repo := orderstest.NewRepository()
	f := orderstest.NewFixture(t, repo)
	req := f.Request("u-1", "k")
	req.Items = []orders.Item{{ProductID: f.Products[0].ID, Quantity: 1}, {ProductID: f.Products[1].ID, Quantity: 1}, {ProductID: f.Products[0].ID, Quantity: 2}}
	req.Shipping.Country = " gb "
	res, err := f.Service.Checkout(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	lines := res.Order.Lines()
	if len(lines) != 2 || lines[0].Quantity != 3 || lines[0].Name != "Lamp" || lines[0].UnitPrice.Amount() != 1999 {
		t.Errorf("lines %+v", lines)
	}
	if res.Order.Total().Amount() != 3*1999+15000 || res.Order.Total().Currency() != "EUR" || res.Order.Shipping().Country != "GB" {
		t.Errorf("total %v country %q", res.Order.Total(), res.Order.Shipping().Country)
	}
	starts := f.Saga.Starts()
	if len(starts) != 1 || starts[0].PaymentToken != "tok_visa_4242" || starts[0].Total != res.Order.Total() || len(starts[0].Lines) != 2 {
		t.Errorf("saga starts %+v", starts)
	}
	if got := repo.Events(); len(got) != 1 || got[0] != "OrderCreated/"+res.Order.ID() {
		t.Errorf("events %v", got)
	}
}

func TestCheckoutRefusesMixedCurrencies(t *testing.T) {
	t.Parallel()
	usd, _ := money.New(100, "USD")
	eur, _ := money.New(100, "EUR")
	cat := orderstest.NewCatalog(orders.CatalogProduct{ID: "a", Name: "A", Price: usd}, orders.CatalogProduct{ID: "b", Name: "B", Price: eur})
	svc := orders.NewService(orderstest.NewRepository(), cat, &orderstest.Saga{}, time.Now, func() string { return "o-1" })
	req := orders.CheckoutRequest{UserID: "u-1", IdempotencyKey: "k", PaymentToken: "t",
		Items: []orders.Item{{ProductID: "a", Quantity: 1}, {ProductID: "b", Quantity: 1}}, Shipping: orderstest.Address()}
	if _, err := svc.Checkout(context.Background(), req); !errors.Is(err, orders.ErrMixedCurrencies) {
		t.Errorf("Checkout: %v, want ErrMixedCurrencies", err)
	}
}

func TestCheckoutSagaFailureIsHealedByRetry(t *testing.T) {
	t.Parallel()
	f := orderstest.NewFixture(t, orderstest.NewRepository())
	f.Saga.Err = errors.New("throttled")
	first, err := f.Service.Checkout(context.Background(), f.Request("u-1", "k"))
	if !errors.Is(err, orders.ErrSagaNotStarted) || first.Order.ID() == "" {
		t.Fatalf("Checkout: %+v, %v; want the order and ErrSagaNotStarted", first, err)
	}
	f.Saga.Err = nil
	again, err := f.Service.Checkout(context.Background(), f.Request("u-1", "k"))
	if err != nil || again.Order.ID() != first.Order.ID() {
		t.Fatalf("retry: %+v, %v", again, err)
	}
	if starts := f.Saga.Starts(); len(starts) != 1 || starts[0].OrderID != first.Order.ID() {
		t.Errorf("saga starts %+v", starts)
	}
}

func TestCheckoutReplayOfSettledOrderDoesNotRestartSaga(t *testing.T) {
	t.Parallel()
	f := orderstest.NewFixture(t, orderstest.NewRepository())
	ctx := context.Background()
	first, err := f.Service.Checkout(ctx, f.Request("u-1", "k"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Service.Confirm(ctx, first.Order.ID(), "pay-1"); err != nil {
		t.Fatal(err)
	}
	again, err := f.Service.Checkout(ctx, f.Request("u-1", "k"))
	if err != nil || !again.Replayed || again.Order.Status() != orders.StatusConfirmed {
		t.Fatalf("replay: %+v, %v", again, err)
	}
	if n := len(f.Saga.Starts()); n != 1 {
		t.Errorf("%d saga starts, want 1", n)
	}
}

func TestSagaStepsAreIdempotent(t *testing.T) {
	t.Parallel()
	repo := orderstest.NewRepository()
	f := orderstest.NewFixture(t, repo)
	ctx := context.Background()
	a, err := f.Service.Checkout(ctx, f.Request("u-1", "a"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		o, err := f.Service.Confirm(ctx, a.Order.ID(), "pay-1")
		if err != nil || o.Status() != orders.StatusConfirmed || o.Version() != 2 {
			t.Fatalf("Confirm: %s v%d, %v", o.Status(), o.Version(), err)
		}
	}
	b, err := f.Service.Checkout(ctx, f.Request("u-1", "b"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		o, err := f.Service.Cancel(ctx, b.Order.ID(), "out_of_stock")
		if err != nil || o.Status() != orders.StatusCancelled || o.Version() != 2 {
			t.Fatalf("Cancel: %s v%d, %v", o.Status(), o.Version(), err)
		}
	}
	if _, err := f.Service.Confirm(ctx, b.Order.ID(), "pay-2"); !errors.Is(err, orders.ErrNotConfirmable) {
		t.Errorf("Confirm of a cancelled order: %v, want ErrNotConfirmable", err)
	}
	if _, err := f.Service.Confirm(ctx, "unknown", "pay-2"); !errors.Is(err, orders.ErrNotFound) {
		t.Errorf("Confirm of an unknown order: %v, want ErrNotFound", err)
	}
	if _, err := f.Service.SetStatus(ctx, a.Order.ID(), orders.StatusDelivered); !errors.Is(err, orders.ErrInvalidTransition) {
		t.Errorf("deliver a confirmed order: %v, want ErrInvalidTransition", err)
	}
	if _, err := f.Service.SetStatus(ctx, a.Order.ID(), orders.StatusCancelled); !errors.Is(err, orders.ErrInvalidStatus) {
		t.Errorf("admin cancel: %v, want ErrInvalidStatus", err)
	}
	want := []string{
		"OrderCreated/" + a.Order.ID(), "OrderConfirmed/" + a.Order.ID(),
		"OrderCreated/" + b.Order.ID(), "OrderCancelled/" + b.Order.ID(),
	}
	if got := repo.Events(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestRecordUserNameOrderInsensitive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	repo := orderstest.NewRepository()
	svc := orders.NewService(repo, nil, nil, time.Now, nil)
	newer, older := orderstest.Epoch.Add(time.Hour), orderstest.Epoch
	if err := svc.RecordUserName(ctx, "u-1", " Ada Lovelace ", newer, "e-2"); err != nil {
		t.Fatal(err)
	}
	if err := svc.RecordUserName(ctx, "u-1", "Ada", older, "e-1"); err != nil {
		t.Fatal(err)
	}
	if err := svc.RecordUserName(ctx, "u-1", " Ada Lovelace ", newer, "e-2"); err != nil {
		t.Fatal(err)
	}
	names, err := repo.UserNames(ctx, []string{"u-1"})
	if err != nil || names["u-1"] != "Ada Lovelace" {
		t.Errorf("name %q, %v", names["u-1"], err)
	}
	if err := svc.RecordUserName(ctx, "u-1", "bad\x00name", newer.Add(time.Hour), "e-3"); !errors.Is(err, orders.ErrInvalidName) {
		t.Errorf("control character: %v", err)
	}
}
