package paymentstask_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/domain/payments/paymentstest"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/paymentstask"
	"github.com/goshop-dev/goshop/internal/sagatask"
)

var logger = slog.New(slog.NewTextHandler(io.Discard, nil))

func newService() *payments.Service {
	return payments.NewService(paymentstest.NewRepository(), paymentssandbox.New(), time.Now,
		payments.WithGatewayTimeout(20*time.Millisecond))
}

// errorType is the error name the state machine sees, "" for none.
func errorType(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var lambdaErr messages.InvokeResponse_Error
	if !errors.As(err, &lambdaErr) {
		return "untyped"
	}
	return lambdaErr.Type
}

func input(orderID, token string) paymentstask.ProcessInput {
	return paymentstask.ProcessInput{
		OrderID: orderID, UserID: "u-1", CorrelationID: "c-1",
		Amount: paymentstask.Money{Amount: 4200, Currency: "EUR"}, PaymentToken: token,
	}
}

func TestProcessPayment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    func(orderID string) paymentstask.ProcessInput
		tries []string // error type of each successive call
	}{
		{"approved", func(o string) paymentstask.ProcessInput { return input(o, paymentssandbox.TokenVisa) }, []string{"", ""}},
		{"declined", func(o string) paymentstask.ProcessInput { return input(o, paymentssandbox.TokenDeclined) }, []string{sagatask.ErrPaymentDeclined, sagatask.ErrPaymentDeclined}},
		{"processing error", func(o string) paymentstask.ProcessInput { return input(o, paymentssandbox.TokenProcessingError) }, []string{sagatask.ErrTransient, sagatask.ErrTransient, ""}},
		{"timeout", func(o string) paymentstask.ProcessInput { return input(o, paymentssandbox.TokenTimeout) }, []string{sagatask.ErrPaymentFailed, sagatask.ErrPaymentFailed}},
		{"bad currency", func(o string) paymentstask.ProcessInput {
			in := input(o, paymentssandbox.TokenVisa)
			in.Amount.Currency = "euro"
			return in
		}, []string{sagatask.ErrPaymentFailed}},
		{"no token", func(o string) paymentstask.ProcessInput { return input(o, "") }, []string{sagatask.ErrPaymentFailed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			handler := paymentstask.ProcessPayment(newService(), logger)
			orderID := uuid.NewString()
			for i, want := range tt.tries {
				out, err := handler(context.Background(), tt.in(orderID))
				if got := errorType(t, err); got != want {
					t.Fatalf("call %d: error type %q (%v), want %q", i, got, err, want)
				}
				if want == "" {
					wantOut := paymentstask.ProcessOutput{OrderID: orderID, PaymentID: payments.PaymentID(orderID), Status: "SUCCEEDED"}
					if diff := cmp.Diff(wantOut, out); diff != "" {
						t.Errorf("call %d (-want +got):\n%s", i, diff)
					}
				}
			}
		})
	}
}

func TestRefundPayment(t *testing.T) {
	t.Parallel()
	svc := newService()
	process := paymentstask.ProcessPayment(svc, logger)
	refund := paymentstask.RefundPayment(svc, logger)
	ctx := context.Background()
	paid := uuid.NewString()
	if _, err := process(ctx, input(paid, paymentssandbox.TokenVisa)); err != nil {
		t.Fatal(err)
	}
	pending := uuid.NewString()
	if _, err := process(ctx, input(pending, paymentssandbox.TokenProcessingError)); errorType(t, err) != sagatask.ErrTransient {
		t.Fatalf("process: %v", err)
	}
	tests := []struct {
		orderID string
		want    paymentstask.RefundOutput
		errType string
	}{
		{paid, paymentstask.RefundOutput{OrderID: paid, Status: "REFUNDED"}, ""},
		{paid, paymentstask.RefundOutput{OrderID: paid, Status: "REFUNDED"}, ""},
		{"never-charged", paymentstask.RefundOutput{OrderID: "never-charged", Status: "NOT_CHARGED"}, ""},
		{pending, paymentstask.RefundOutput{}, sagatask.ErrTransient},
		{"bad/id", paymentstask.RefundOutput{}, "untyped"},
	}
	for i, tt := range tests {
		out, err := refund(ctx, paymentstask.RefundInput{OrderID: tt.orderID, CorrelationID: "c"})
		if got := errorType(t, err); got != tt.errType {
			t.Errorf("refund %d: error type %q (%v), want %q", i, got, err, tt.errType)
		}
		if diff := cmp.Diff(tt.want, out); diff != "" {
			t.Errorf("refund %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestInputDecodesTheSagaJSON(t *testing.T) {
	t.Parallel()
	raw := `{"orderId":"o-1","userId":"u-1","correlationId":"c-1","amount":{"amount":1999,"currency":"USD"},"paymentToken":"tok_visa"}`
	var in paymentstask.ProcessInput
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		t.Fatal(err)
	}
	want := paymentstask.ProcessInput{OrderID: "o-1", UserID: "u-1", CorrelationID: "c-1", Amount: paymentstask.Money{Amount: 1999, Currency: "USD"}, PaymentToken: "tok_visa"}
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	out, _ := json.Marshal(paymentstask.ProcessOutput{OrderID: "o-1", PaymentID: "p-1", Status: "SUCCEEDED"})
	if string(out) != `{"orderId":"o-1","paymentId":"p-1","status":"SUCCEEDED"}` {
		t.Errorf("output JSON %s", out)
	}
}

// TestLogLinesCarryTheCorrelationIDOnce checks the task's lines name the
// saga's correlation id exactly once, also inside a context that already
// carries it (as the invocation wrapper gives it).
func TestLogLinesCarryTheCorrelationIDOnce(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	handler := paymentstask.ProcessPayment(newService(), logging.New(&buf, "payments", slog.LevelInfo))
	ctx := logging.WithCorrelationID(context.Background(), "c-9")
	in := input("o-corr", "tok_visa")
	in.CorrelationID = "c-9"
	if _, err := handler(ctx, in); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("nothing logged")
	}
	for _, l := range lines {
		if n := strings.Count(l, `"correlationId":"c-9"`); n != 1 {
			t.Errorf("correlation id %d times in %s", n, l)
		}
	}
}
