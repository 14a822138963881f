package integration

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// orderEvent matches the events of one order of type typ.
func orderEvent(typ, orderID string) func(busEvent) bool {
	return func(e busEvent) bool { return e.DetailType == typ && e.field("orderId") == orderID }
}

// wantStock fails the test unless the product's stock is as given.
func wantStock(t *testing.T, productID string, available, reserved int64) {
	t.Helper()
	p := getProduct(t, productID)
	if p.Stock.Available != available || p.Stock.Reserved != reserved {
		t.Errorf("stock of %s = %d available + %d reserved, want %d + %d", productID, p.Stock.Available, p.Stock.Reserved, available, reserved)
	}
}

func TestCheckoutConfirmed(t *testing.T) {
	t.Parallel()
	events := bus(t)
	u := newUser(t)
	p := newProduct(t, "kettles", 10)

	id := placeOrder(t, u, checkoutBody("tok_visa", line{p.ID, 2}))
	o := settled(t, u, id)
	if o.Status != "CONFIRMED" || o.FailureReason != "" {
		t.Fatalf("order %s = %s (%s), want CONFIRMED", id, o.Status, o.FailureReason)
	}
	if o.UserID != u.ID || o.Total != (money{2 * 1299, "USD"}) || len(o.Lines) != 1 || o.Lines[0].Quantity != 2 {
		t.Errorf("order = %+v, want 2 x %s for 25.98 USD by %s", o, p.ID, u.ID)
	}
	var statuses []string
	for _, h := range o.History {
		statuses = append(statuses, h.Status)
	}
	if got := strings.Join(statuses, ","); got != "PENDING,CONFIRMED" {
		t.Errorf("history = %s, want PENDING,CONFIRMED", got)
	}
	pay := getPayment(t, u, o.PaymentID)
	if pay.Status != "SUCCEEDED" || pay.OrderID != id || pay.Amount != o.Total {
		t.Errorf("payment = %+v, want SUCCEEDED for %s of %v", pay, id, o.Total)
	}
	wantStock(t, p.ID, 8, 2)

	confirmed := events.waitFor(t, 60*time.Second, "OrderConfirmed of "+id, orderEvent("OrderConfirmed", id))
	if confirmed.Source != "goshop.orders" || confirmed.Detail.Version != 1 || confirmed.field("userId") != u.ID || confirmed.Detail.CorrelationID == "" {
		t.Errorf("OrderConfirmed = %+v", confirmed)
	}
	created := events.waitFor(t, 60*time.Second, "OrderCreated of "+id, orderEvent("OrderCreated", id))
	if created.Detail.CorrelationID != confirmed.Detail.CorrelationID {
		t.Errorf("OrderCreated correlation id %q, OrderConfirmed %q: one checkout, one correlation id", created.Detail.CorrelationID, confirmed.Detail.CorrelationID)
	}
}

func TestCheckoutOutOfStock(t *testing.T) {
	t.Parallel()
	events := bus(t)
	u := newUser(t)
	p := newProduct(t, "kettles", 1)

	id := placeOrder(t, u, checkoutBody("tok_visa", line{p.ID, 2}))
	o := settled(t, u, id)
	if o.Status != "CANCELLED" || o.FailureReason != "out_of_stock" || o.PaymentID != "" {
		t.Fatalf("order %s = %s (%s), payment %q; want CANCELLED (out_of_stock) without payment", id, o.Status, o.FailureReason, o.PaymentID)
	}
	wantStock(t, p.ID, 1, 0)
	cancelled := events.waitFor(t, 60*time.Second, "OrderCancelled of "+id, orderEvent("OrderCancelled", id))
	if r := cancelled.field("reason"); r != "out_of_stock" {
		t.Errorf("OrderCancelled reason %q, want out_of_stock", r)
	}
	if e, ok := events.find(orderEvent("PaymentSucceeded", id)); ok {
		t.Errorf("an order out of stock was charged: %+v", e)
	}
}

func TestCheckoutPaymentDeclined(t *testing.T) {
	t.Parallel()
	events := bus(t)
	u := newUser(t)
	p := newProduct(t, "kettles", 5)

	id := placeOrder(t, u, checkoutBody("tok_chargeDeclined", line{p.ID, 2}))
	o := settled(t, u, id)
	if o.Status != "CANCELLED" || o.FailureReason != "payment_declined" || o.PaymentID != "" {
		t.Fatalf("order %s = %s (%s), payment %q; want CANCELLED (payment_declined) without payment", id, o.Status, o.FailureReason, o.PaymentID)
	}
	// The reservation was released: everything is available again.
	wantStock(t, p.ID, 5, 0)
	events.waitFor(t, 60*time.Second, "InventoryReleased of "+id, orderEvent("InventoryReleased", id))
	failed := events.waitFor(t, 60*time.Second, "PaymentFailed of "+id, orderEvent("PaymentFailed", id))
	pay := getPayment(t, u, failed.field("paymentId"))
	if pay.Status != "FAILED" || pay.FailureReason != "declined" || pay.OrderID != id {
		t.Errorf("payment = %+v, want FAILED (declined) for %s", pay, id)
	}
	if e, ok := events.find(orderEvent("PaymentSucceeded", id)); ok {
		t.Errorf("a declined order was charged: %+v", e)
	}
}

// TestCheckoutTransientPaymentError pays with the sandbox token whose
// first two charges fail with a processing error. The payment function's
// guard retries the charge (it is idempotent on the order), and the saga
// would retry the whole step if those attempts ran out: either way the
// order is confirmed and charged exactly once.
func TestCheckoutTransientPaymentError(t *testing.T) {
	t.Parallel()
	events := bus(t)
	u := newUser(t)
	p := newProduct(t, "kettles", 5)

	id := placeOrder(t, u, checkoutBody("tok_processingError", line{p.ID, 1}))
	o := settled(t, u, id)
	if o.Status != "CONFIRMED" {
		t.Fatalf("order %s = %s (%s), want CONFIRMED after retries", id, o.Status, o.FailureReason)
	}
	if pay := getPayment(t, u, o.PaymentID); pay.Status != "SUCCEEDED" || pay.Amount != o.Total {
		t.Errorf("payment = %+v, want SUCCEEDED for %v", pay, o.Total)
	}
	wantStock(t, p.ID, 4, 1)
	events.waitFor(t, 60*time.Second, "PaymentSucceeded of "+id, orderEvent("PaymentSucceeded", id))
	if n := events.distinct(orderEvent("PaymentSucceeded", id)); n != 1 {
		t.Errorf("order %s was charged %d times", id, n)
	}
	if e, ok := events.find(orderEvent("PaymentFailed", id)); ok {
		t.Errorf("a transient error was recorded as a failed payment: %+v", e)
	}
	if status := executionStatus(t, id); status != "SUCCEEDED" {
		t.Errorf("the saga execution of %s is %s, want SUCCEEDED", id, status)
	}
}

// executionStatus is the status of the saga execution of an order (named
// after the order).
func executionStatus(t *testing.T, orderID string) string {
	t.Helper()
	client := sfn.NewFromConfig(stack.aws)
	machine := stack.outputs["CheckoutStateMachineArn"]
	execution := strings.Replace(machine, ":stateMachine:", ":execution:", 1) + ":" + orderID
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var status string
	eventually(t, 30*time.Second, "execution "+execution+" ends", func() (bool, string) {
		out, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execution)})
		if err != nil {
			return false, err.Error()
		}
		status = string(out.Status)
		return out.Status != sfntypes.ExecutionStatusRunning, status
	})
	return status
}

// TestCheckoutIdempotent sends one checkout twice in a row, then ten times
// at once with another key: each key makes one order, charged once.
func TestCheckoutIdempotent(t *testing.T) {
	t.Parallel()
	events := bus(t)
	u := newUser(t)
	p := newProduct(t, "kettles", 10)
	body := checkoutBody("tok_visa", line{p.ID, 1})

	key := unique("key")
	first, second := checkout(t, u, key, body), checkout(t, u, key, body)
	want(t, "checkout", first, http.StatusAccepted)
	want(t, "the same checkout again", second, http.StatusAccepted)
	var a, b struct{ OrderID string }
	first.decode(t, &a)
	second.decode(t, &b)
	if a.OrderID == "" || a.OrderID != b.OrderID {
		t.Fatalf("the same key made orders %q and %q", a.OrderID, b.OrderID)
	}
	other := checkoutBody("tok_chargeDeclined", line{p.ID, 1})
	if res := checkout(t, u, key, other); res.status != http.StatusUnprocessableEntity || res.code() != "idempotency_key_reused" {
		t.Errorf("the same key with another body = %s, want 422 idempotency_key_reused", res)
	}

	concurrentKey := unique("key")
	body = checkoutBody("tok_visa", line{p.ID, 1})
	var wg sync.WaitGroup
	ids := make([]string, 10)
	answers := make([]response, 10)
	for i := range ids {
		wg.Go(func() {
			res, err := send(request{method: "POST", path: "/checkout", token: u.Token, headers: map[string]string{"Idempotency-Key": concurrentKey}, body: body})
			if err != nil {
				answers[i] = response{status: -1, body: []byte(err.Error())}
				return
			}
			answers[i] = res
			var acc struct{ OrderID string }
			if res.status == http.StatusAccepted {
				res.decode(t, &acc)
				ids[i] = acc.OrderID
			}
		})
	}
	wg.Wait()
	orders := map[string]bool{a.OrderID: true}
	for i, res := range answers {
		// A duplicate that arrives while the first is being written may be
		// told to retry (409); none may create a second order.
		switch {
		case res.status == http.StatusAccepted:
			orders[ids[i]] = true
		case res.status == http.StatusConflict && res.code() != "":
		default:
			t.Errorf("concurrent duplicate %d = %s", i, res)
		}
	}
	if len(orders) != 2 {
		t.Fatalf("two keys made %d orders: %v", len(orders), orders)
	}
	for id := range orders {
		if o := settled(t, u, id); o.Status != "CONFIRMED" {
			t.Errorf("order %s = %s (%s)", id, o.Status, o.FailureReason)
		}
	}
	wantStock(t, p.ID, 8, 2)
	res := call(t, request{method: "GET", path: "/users/" + u.ID + "/orders", token: u.Token})
	want(t, "list orders", res, http.StatusOK)
	var page struct{ Items []struct{ ID string } }
	res.decode(t, &page)
	if len(page.Items) != 2 {
		t.Errorf("the user has %d orders, want 2: %s", len(page.Items), res)
	}
	// One charge per order: exactly one PaymentSucceeded each, however
	// often the events were delivered.
	for id := range orders {
		events.waitFor(t, 60*time.Second, "PaymentSucceeded of "+id, orderEvent("PaymentSucceeded", id))
		if n := events.distinct(orderEvent("PaymentSucceeded", id)); n != 1 {
			t.Errorf("order %s was charged %d times", id, n)
		}
	}
}

// TestCheckoutConcurrencyNeverOversells races 50 checkouts of one unit for
// a product with 10 in stock: exactly 10 are confirmed, the others
// cancelled out of stock, and the stock never goes below zero.
func TestCheckoutConcurrencyNeverOversells(t *testing.T) {
	t.Parallel()
	const stock, buyers, perBuyer = 10, 5, 10
	p := newProduct(t, "kettles", stock)
	users := make([]user, buyers)
	for i := range users {
		users[i] = newUser(t)
	}

	// Watch the stock while the orders race.
	stop := make(chan struct{})
	var lowest int64 = stock
	var watch sync.WaitGroup
	watch.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
			if res, err := send(request{method: "GET", path: "/products/" + p.ID}); err == nil && res.status == http.StatusOK {
				var cur product
				res.decode(t, &cur)
				lowest = min(lowest, cur.Stock.Available)
			}
		}
	})

	type placed struct {
		u  user
		id string
	}
	var mu sync.Mutex
	var orders []placed
	var wg sync.WaitGroup
	for _, u := range users {
		for range perBuyer {
			wg.Go(func() {
				res, err := send(request{method: "POST", path: "/checkout", token: u.Token,
					headers: map[string]string{"Idempotency-Key": unique("race")}, body: checkoutBody("tok_visa", line{p.ID, 1})})
				if err != nil || res.status != http.StatusAccepted {
					t.Errorf("checkout = %v %v", res, err)
					return
				}
				var a struct{ OrderID string }
				res.decode(t, &a)
				mu.Lock()
				orders = append(orders, placed{u, a.OrderID})
				mu.Unlock()
			})
		}
	}
	wg.Wait()

	outcomes := map[string]int{}
	for _, o := range orders {
		got := settled(t, o.u, o.id)
		outcomes[fmt.Sprintf("%s %s", got.Status, got.FailureReason)]++
	}
	close(stop)
	watch.Wait()
	expected := map[string]int{"CONFIRMED ": stock, "CANCELLED out_of_stock": buyers*perBuyer - stock}
	if fmt.Sprint(outcomes) != fmt.Sprint(expected) {
		t.Errorf("outcomes of %d checkouts = %v, want %v", len(orders), outcomes, expected)
	}
	wantStock(t, p.ID, 0, stock)
	if lowest < 0 {
		t.Errorf("the stock went down to %d", lowest)
	}
}
