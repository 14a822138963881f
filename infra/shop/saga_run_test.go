package shop_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/devstack/asl"
	"github.com/goshop-dev/goshop/domain/catalog"
	"github.com/goshop-dev/goshop/domain/catalog/catalogtest"
	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/orders"
	"github.com/goshop-dev/goshop/domain/orders/orderstest"
	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/payments/paymentstest"
	"github.com/goshop-dev/goshop/internal/catalogtask"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/orderstask"
	"github.com/goshop-dev/goshop/internal/orderstask/sfnstarter"
	"github.com/goshop-dev/goshop/internal/paymentstask"
)

// The tests in this file run the synthesized checkout saga, through the
// ASL interpreter, over the real task handlers of the catalog, payments and
// orders services (on their in-memory repositories and the sandbox
// gateway), and inject a fault at every step and every compensation.

const initialStock = 10

// fault is what the harness does to the calls of one task function.
type fault struct {
	transient int  // fail this many calls with TransientError before running the task
	lostReply int  // run the task, then report TransientError anyway, this many times
	permanent bool // never run the task: TransientError on every call
}

type world struct {
	t        *testing.T
	product  string
	catalog  *catalog.Service
	payments *payments.Service
	gateway  *paymentssandbox.Gateway
	orders   *orders.Service
	saga     *asl.Definition
	mu       sync.Mutex
	faults   map[string]*fault
	handlers map[string]func(context.Context, json.RawMessage) (any, error)
	sfn      *captureSFN
}

func newWorld(t *testing.T) *world {
	t.Helper()
	_, raw := sagaDefinition(t)
	def, err := asl.Parse([]byte(raw))
	if err != nil {
		t.Fatalf("the interpreter refuses the saga: %v", err)
	}
	w := &world{t: t, saga: def, faults: map[string]*fault{}}
	now := func() time.Time { return time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC) }

	w.catalog = catalog.NewService(catalogtest.NewRepository(), now, uuid.NewString)
	p, err := w.catalog.Create(context.Background(), catalog.NewProductParams{
		SKU: "MUG-1", Name: "Mug", Category: "kitchen", PriceAmount: 1250, Currency: "USD", InitialStock: initialStock,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.product = p.ID()
	w.gateway = paymentssandbox.New()
	w.payments = payments.NewService(paymentstest.NewRepository(), w.gateway, now, payments.WithGatewayTimeout(20*time.Millisecond))
	price, _ := money.New(1250, "USD")
	w.sfn = &captureSFN{}
	w.orders = orders.NewService(orderstest.NewRepository(), orderstest.NewCatalog(orders.CatalogProduct{ID: p.ID(), Name: "Mug", Price: price}),
		sfnstarter.New(w.sfn, "arn:aws:states:eu-west-1:123456789012:stateMachine:checkout"), time.Now, uuid.NewString)

	logger := logging.Discard()
	w.handlers = map[string]func(context.Context, json.RawMessage) (any, error){
		"catalogreserve":  adapt(catalogtask.Reserve(w.catalog)),
		"catalogrelease":  adapt(catalogtask.Release(w.catalog)),
		"paymentsprocess": adapt(paymentstask.ProcessPayment(w.payments, logger)),
		"paymentsrefund":  adapt(paymentstask.RefundPayment(w.payments, logger)),
		"ordersconfirm":   adapt(orderstask.Confirm(w.orders)),
		"orderscancel":    adapt(orderstask.Cancel(w.orders)),
	}
	return w
}

// captureSFN stands in for Step Functions: it keeps the last execution
// input, exactly as the orders service would start the saga with it.
type captureSFN struct {
	input string
}

func (c *captureSFN) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	c.input = *in.Input
	return &sfn.StartExecutionOutput{}, nil
}

// adapt turns a typed Lambda handler into one taking and returning JSON,
// as the Lambda runtime does.
func adapt[In, Out any](h func(context.Context, In) (Out, error)) func(context.Context, json.RawMessage) (any, error) {
	return func(ctx context.Context, payload json.RawMessage) (any, error) {
		var in In
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, err
		}
		out, err := h(ctx, in)
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		var v any
		return v, json.Unmarshal(b, &v)
	}
}

// Invoke serves arn:aws:states:::lambda:invoke as Step Functions does:
// the function's reply under Payload, its error by its error type.
func (w *world) Invoke(ctx context.Context, resource string, params any) (any, error) {
	if resource != "arn:aws:states:::lambda:invoke" {
		return nil, fmt.Errorf("unexpected resource %s", resource)
	}
	p := params.(map[string]any)
	arn := p["FunctionName"].(string)
	var name string
	for n := range w.handlers {
		if strings.Contains(strings.ToLower(arn), n) {
			name = n
		}
	}
	h, ok := w.handlers[name]
	if !ok {
		return nil, fmt.Errorf("no handler for %s", arn)
	}
	payload, _ := json.Marshal(p["Payload"])

	w.mu.Lock()
	f := w.faults[name]
	inject, lose := false, false
	if f != nil {
		switch {
		case f.permanent:
			inject = true
		case f.transient > 0:
			f.transient--
			inject = true
		case f.lostReply > 0:
			f.lostReply--
			lose = true
		}
	}
	w.mu.Unlock()
	if inject {
		return nil, &asl.Error{Name: "TransientError", Cause: "injected fault before " + name}
	}
	out, err := h(ctx, payload)
	if lose {
		return nil, &asl.Error{Name: "TransientError", Cause: "injected: " + name + " ran but its reply was lost"}
	}
	if err != nil {
		var ive messages.InvokeResponse_Error
		if errors.As(err, &ive) {
			return nil, &asl.Error{Name: ive.Type, Cause: ive.Message}
		}
		t := reflect.TypeOf(err)
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		return nil, &asl.Error{Name: t.Name(), Cause: err.Error()}
	}
	return map[string]any{"Payload": out, "StatusCode": 200.0}, nil
}

// checkout places an order for quantity units and returns it with the
// saga input the orders service would start the execution with.
func (w *world) checkout(quantity int, token string) (string, any) {
	w.t.Helper()
	res, err := w.orders.Checkout(context.Background(), orders.CheckoutRequest{
		UserID: "user-1", IdempotencyKey: uuid.NewString(), Items: []orders.Item{{ProductID: w.product, Quantity: quantity}},
		PaymentToken: token,
		Shipping:     orders.Address{Name: "Ada", Line1: "1 Loop Road", City: "Cambridge", PostalCode: "CB1", Country: "GB"},
	})
	if err != nil {
		w.t.Fatalf("checkout: %v", err)
	}
	var input any
	if err := json.Unmarshal([]byte(w.sfn.input), &input); err != nil {
		w.t.Fatal(err)
	}
	return res.Order.ID(), input
}

func (w *world) run(input any) (any, error) {
	return w.saga.Execute(context.Background(), input, asl.Options{
		Invoker: w,
		Sleep:   func(context.Context, time.Duration) error { return nil },
	})
}

// invariants checks what must hold whatever happened: stock conserved, at
// most one charge, no charge left on an order that is not confirmed.
func (w *world) invariants(orderID string, quantity int) (orders.Status, string) {
	w.t.Helper()
	ctx := context.Background()
	p, err := w.catalog.Get(ctx, w.product)
	if err != nil {
		w.t.Fatal(err)
	}
	st := p.Stock()
	if st.Available+st.Reserved != initialStock || st.Available < 0 || st.Reserved < 0 {
		w.t.Errorf("stock %+v: available + reserved must stay %d", st, initialStock)
	}
	o, err := w.orders.Get(ctx, orderID)
	if err != nil {
		w.t.Fatal(err)
	}
	charges := w.gateway.Charges(orderID)
	if len(charges) > 1 {
		w.t.Errorf("order charged %d times", len(charges))
	}
	charged := len(charges) == 1 && !charges[0].Refunded
	switch o.Status() {
	case orders.StatusConfirmed:
		if !charged {
			w.t.Errorf("confirmed order without a standing charge: %+v", charges)
		}
		if st.Reserved != quantity {
			w.t.Errorf("confirmed order holds %d units, want %d", st.Reserved, quantity)
		}
	case orders.StatusCancelled:
		if charged {
			w.t.Errorf("cancelled order (%s) left charged", o.FailureReason())
		}
		if st.Reserved != 0 {
			w.t.Errorf("cancelled order (%s) still holds %d units", o.FailureReason(), st.Reserved)
		}
	}
	return o.Status(), o.FailureReason()
}

func TestSagaEndsConfirmedOrCancelledUnderEveryFault(t *testing.T) {
	tests := []struct {
		name       string
		quantity   int
		token      string
		faults     map[string]fault
		wantStatus orders.Status
		wantReason string
	}{
		{"happy path", 2, paymentssandbox.TokenVisa, nil, orders.StatusConfirmed, ""},
		{"out of stock", initialStock + 1, paymentssandbox.TokenVisa, nil, orders.StatusCancelled, "out_of_stock"},
		{"card declined", 2, paymentssandbox.TokenDeclined, nil, orders.StatusCancelled, "payment_declined"},
		{"gateway errors retried to success", 2, paymentssandbox.TokenProcessingError, nil, orders.StatusConfirmed, ""},
		{"gateway never answers", 2, paymentssandbox.TokenTimeout, nil, orders.StatusCancelled, "payment_failed"},

		{"reserve fails twice", 2, paymentssandbox.TokenVisa, map[string]fault{"catalogreserve": {transient: 2}}, orders.StatusConfirmed, ""},
		{"reserve reply lost", 2, paymentssandbox.TokenVisa, map[string]fault{"catalogreserve": {lostReply: 2}}, orders.StatusConfirmed, ""},
		{"reserve keeps failing", 2, paymentssandbox.TokenVisa, map[string]fault{"catalogreserve": {permanent: true}}, orders.StatusCancelled, "reservation_failed"},
		{"reserve reply always lost", 2, paymentssandbox.TokenVisa, map[string]fault{"catalogreserve": {lostReply: 100}}, orders.StatusCancelled, "reservation_failed"},

		{"payment fails twice", 2, paymentssandbox.TokenVisa, map[string]fault{"paymentsprocess": {transient: 2}}, orders.StatusConfirmed, ""},
		{"payment reply lost", 2, paymentssandbox.TokenVisa, map[string]fault{"paymentsprocess": {lostReply: 2}}, orders.StatusConfirmed, ""},
		{"payment keeps failing", 2, paymentssandbox.TokenVisa, map[string]fault{"paymentsprocess": {permanent: true}}, orders.StatusCancelled, "payment_failed"},
		{"charged but every reply lost", 2, paymentssandbox.TokenVisa, map[string]fault{"paymentsprocess": {lostReply: 100}}, orders.StatusCancelled, "payment_failed"},

		{"confirm fails twice", 2, paymentssandbox.TokenVisa, map[string]fault{"ordersconfirm": {transient: 2}}, orders.StatusConfirmed, ""},
		{"confirm reply lost", 2, paymentssandbox.TokenVisa, map[string]fault{"ordersconfirm": {lostReply: 1}}, orders.StatusConfirmed, ""},
		{"confirm keeps failing", 2, paymentssandbox.TokenVisa, map[string]fault{"ordersconfirm": {permanent: true}}, orders.StatusCancelled, "confirm_failed"},

		{"refund fails, then works", 2, paymentssandbox.TokenVisa, map[string]fault{"ordersconfirm": {permanent: true}, "paymentsrefund": {transient: 3}}, orders.StatusCancelled, "confirm_failed"},
		{"refund reply lost", 2, paymentssandbox.TokenVisa, map[string]fault{"ordersconfirm": {permanent: true}, "paymentsrefund": {lostReply: 2}}, orders.StatusCancelled, "confirm_failed"},
		{"release fails, then works", 2, paymentssandbox.TokenDeclined, map[string]fault{"catalogrelease": {transient: 3}}, orders.StatusCancelled, "payment_declined"},
		{"release reply lost", 2, paymentssandbox.TokenVisa, map[string]fault{"ordersconfirm": {permanent: true}, "catalogrelease": {lostReply: 2}}, orders.StatusCancelled, "confirm_failed"},
		{"cancel fails, then works", 2, paymentssandbox.TokenDeclined, map[string]fault{"orderscancel": {transient: 3}}, orders.StatusCancelled, "payment_declined"},
		{"cancel reply lost", 2, paymentssandbox.TokenDeclined, map[string]fault{"orderscancel": {lostReply: 2}}, orders.StatusCancelled, "payment_declined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			for name, f := range tt.faults {
				f := f
				w.faults[name] = &f
			}
			orderID, input := w.checkout(tt.quantity, tt.token)
			out, err := w.run(input)
			if err != nil {
				t.Fatalf("execution failed: %v", err)
			}
			status, reason := w.invariants(orderID, tt.quantity)
			if status != tt.wantStatus || reason != tt.wantReason {
				t.Errorf("order ended %s (%q), want %s (%q); saga output %v", status, reason, tt.wantStatus, tt.wantReason, out)
			}

			// Replaying the whole execution changes nothing.
			w.faults = map[string]*fault{}
			if _, err := w.run(input); err != nil {
				t.Fatalf("replayed execution failed: %v", err)
			}
			if s2, r2 := w.invariants(orderID, tt.quantity); s2 != status || r2 != reason {
				t.Errorf("replay moved the order from %s (%q) to %s (%q)", status, reason, s2, r2)
			}
		})
	}
}

func TestSagaFailsLoudlyWhenACompensationNeverSucceeds(t *testing.T) {
	for _, comp := range []string{"paymentsrefund", "catalogrelease", "orderscancel"} {
		t.Run(comp, func(t *testing.T) {
			w := newWorld(t)
			w.faults["ordersconfirm"] = &fault{permanent: true}
			w.faults[comp] = &fault{permanent: true}
			orderID, input := w.checkout(2, paymentssandbox.TokenVisa)
			_, err := w.run(input)
			var e *asl.Error
			if !errors.As(err, &e) || e.Name != "CompensationFailed" {
				t.Fatalf("execution error %v, want CompensationFailed (the alarm's signal)", err)
			}
			if status, _ := w.invariants(orderID, 2); status == orders.StatusConfirmed {
				t.Errorf("order CONFIRMED although its confirmation failed")
			}
			if n := len(w.gateway.Charges(orderID)); n > 1 {
				t.Errorf("charged %d times", n)
			}
		})
	}
}
