package notifications_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/money"
	"github.com/goshop-dev/goshop/domain/notifications"
)

func mustMoney(t *testing.T, amount int64, currency string) money.Money {
	t.Helper()
	m, err := money.New(amount, currency)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRender(t *testing.T) {
	t.Parallel()
	usd := mustMoney(t, 1299, "USD")
	tests := []struct {
		name     string
		notice   notifications.Notice
		want     notifications.Content
		channels []notifications.Channel
	}{
		{"user registered", notifications.UserRegistered{UserID: "u-1", Name: "Ada"}, notifications.Content{
			Subject: "Welcome to goshop",
			Body:    "Hi Ada, your goshop account is ready. Happy shopping!",
		}, []notifications.Channel{"email"}},
		{"user registered without a name", notifications.UserRegistered{UserID: "u-1"}, notifications.Content{
			Subject: "Welcome to goshop",
			Body:    "Hi, your goshop account is ready. Happy shopping!",
		}, []notifications.Channel{"email"}},
		{"order created", notifications.OrderCreated{OrderID: "o-1", UserID: "u-1", Items: 3, Total: usd}, notifications.Content{
			Subject: "We received your order o-1",
			Body:    "Thank you for your order o-1: 3 items for 12.99 USD. We will let you know as soon as it is confirmed.",
		}, []notifications.Channel{"email"}},
		{"order created, one item", notifications.OrderCreated{OrderID: "o-1", UserID: "u-1", Items: 1, Total: mustMoney(t, 1200, "JPY")}, notifications.Content{
			Subject: "We received your order o-1",
			Body:    "Thank you for your order o-1: 1 item for 1200 JPY. We will let you know as soon as it is confirmed.",
		}, []notifications.Channel{"email"}},
		{"order confirmed", notifications.OrderConfirmed{OrderID: "o-1", UserID: "u-1", Total: mustMoney(t, 5, "EUR")}, notifications.Content{
			Subject: "Your order o-1 is confirmed",
			Body:    "Good news: your order o-1 (0.05 EUR) is confirmed and will be prepared for shipping.",
		}, []notifications.Channel{"email", "push"}},
		{"order cancelled, out of stock", notifications.OrderCancelled{OrderID: "o-1", UserID: "u-1", Reason: notifications.CancelOutOfStock}, notifications.Content{
			Subject: "Your order o-1 was cancelled",
			Body:    "We are sorry: your order o-1 was cancelled because some items are out of stock. You have not been charged.",
		}, []notifications.Channel{"email", "push"}},
		{"order cancelled, declined", notifications.OrderCancelled{OrderID: "o-1", UserID: "u-1", Reason: notifications.CancelPaymentDeclined}, notifications.Content{
			Subject: "Your order o-1 was cancelled",
			Body:    "We are sorry: your order o-1 was cancelled because your payment was declined. You have not been charged.",
		}, []notifications.Channel{"email", "push"}},
		{"order cancelled, payment failed", notifications.OrderCancelled{OrderID: "o-1", UserID: "u-1", Reason: notifications.CancelPaymentFailed}, notifications.Content{
			Subject: "Your order o-1 was cancelled",
			Body:    "We are sorry: your order o-1 was cancelled because your payment could not be processed. You have not been charged.",
		}, []notifications.Channel{"email", "push"}},
		{"order cancelled, confirm failed", notifications.OrderCancelled{OrderID: "o-1", UserID: "u-1", Reason: notifications.CancelConfirmFailed}, notifications.Content{
			Subject: "Your order o-1 was cancelled",
			Body:    "We are sorry: your order o-1 was cancelled because we could not complete it. Any amount charged has been refunded.",
		}, []notifications.Channel{"email", "push"}},
		{"order cancelled, unknown reason", notifications.OrderCancelled{OrderID: "o-1", UserID: "u-1", Reason: "gremlins"}, notifications.Content{
			Subject: "Your order o-1 was cancelled",
			Body:    "We are sorry: your order o-1 was cancelled because it could not be completed. Any amount charged will be refunded.",
		}, []notifications.Channel{"email", "push"}},
		{"order shipped", notifications.OrderShipped{OrderID: "o-1", UserID: "u-1"}, notifications.Content{
			Subject: "Your order o-1 has shipped",
			Body:    "Your order o-1 is on its way.",
		}, []notifications.Channel{"email", "push"}},
		{"payment succeeded", notifications.PaymentSucceeded{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1", Amount: usd}, notifications.Content{
			Subject: "Payment received for order o-1",
			Body:    "We received your payment of 12.99 USD for order o-1 (payment p-1).",
		}, []notifications.Channel{"email"}},
		{"payment declined", notifications.PaymentFailed{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1", Amount: usd, Reason: notifications.PaymentDeclined}, notifications.Content{
			Subject: "Payment failed for order o-1",
			Body:    "Your payment of 12.99 USD for order o-1 was declined by your card issuer. Nothing was charged.",
		}, []notifications.Channel{"email"}},
		{"payment error", notifications.PaymentFailed{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1", Amount: usd, Reason: notifications.PaymentError}, notifications.Content{
			Subject: "Payment failed for order o-1",
			Body:    "Your payment of 12.99 USD for order o-1 could not be processed. Nothing was charged.",
		}, []notifications.Channel{"email"}},
		{"payment refunded", notifications.PaymentRefunded{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1", Amount: mustMoney(t, 1500, "KWD")}, notifications.Content{
			Subject: "Refund issued for order o-1",
			Body:    "We refunded 1.500 KWD for order o-1 (payment p-1). It may take a few days to show on your statement.",
		}, []notifications.Channel{"email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := notifications.Render(tt.notice)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.channels, notifications.ChannelsFor(tt.notice)); diff != "" {
				t.Errorf("channels (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderRefusesIncompleteNotices(t *testing.T) {
	t.Parallel()
	usd := mustMoney(t, 100, "USD")
	tests := []struct {
		name   string
		notice notifications.Notice
	}{
		{"no user", notifications.OrderShipped{OrderID: "o-1"}},
		{"bad user id", notifications.UserRegistered{UserID: "u#1"}},
		{"no order", notifications.OrderShipped{UserID: "u-1"}},
		{"no total", notifications.OrderConfirmed{OrderID: "o-1", UserID: "u-1"}},
		{"no payment id", notifications.PaymentSucceeded{OrderID: "o-1", UserID: "u-1", Amount: usd}},
		{"no amount", notifications.PaymentRefunded{PaymentID: "p-1", OrderID: "o-1", UserID: "u-1"}},
	}
	for _, tt := range tests {
		if _, err := notifications.Render(tt.notice); !errors.Is(err, notifications.ErrInvalidEvent) {
			t.Errorf("%s: err = %v, want ErrInvalidEvent", tt.name, err)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	t.Parallel()
	tests := []struct {
		amount   int64
		currency string
		want     string
	}{
		{1299, "USD", "12.99 USD"},
		{0, "EUR", "0.00 EUR"},
		{7, "GBP", "0.07 GBP"},
		{100000, "USD", "1000.00 USD"},
		{1200, "JPY", "1200 JPY"},
		{1500, "KWD", "1.500 KWD"},
	}
	for _, tt := range tests {
		if got := notifications.FormatMoney(mustMoney(t, tt.amount, tt.currency)); got != tt.want {
			t.Errorf("FormatMoney(%d %s) = %q, want %q", tt.amount, tt.currency, got, tt.want)
		}
	}
}
