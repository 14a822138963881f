package notifications

import (
	"fmt"

	"github.com/goshop-dev/goshop/domain/money"
)

// Event types of the notices, as stored on messages.
const (
	TypeUserRegistered   = "UserRegistered"
	TypeOrderCreated     = "OrderCreated"
	TypeOrderConfirmed   = "OrderConfirmed"
	TypeOrderCancelled   = "OrderCancelled"
	TypeOrderShipped     = "OrderShipped"
	TypePaymentSucceeded = "PaymentSucceeded"
	TypePaymentFailed    = "PaymentFailed"
	TypePaymentRefunded  = "PaymentRefunded"
)

// Notice is something that happened that the service tells a user about.
// It is implemented by the notice types of this package only.
type Notice interface {
	// EventType names the notice, e.g. "OrderShipped".
	EventType() string
	// Recipient is the id of the user to tell.
	Recipient() string
	content() (Content, error)
	statusChange() bool
}

// Content is a rendered notice.
type Content struct {
	Subject string
	Body    string
}

// Render validates n and renders its subject and body: ErrInvalidEvent
// when a field it needs is missing.
func Render(n Notice) (Content, error) {
	if !ValidID(n.Recipient()) {
		return Content{}, fmt.Errorf("%w: %s: user id %q", ErrInvalidEvent, n.EventType(), n.Recipient())
	}
	c, err := n.content()
	if err != nil {
		return Content{}, fmt.Errorf("%w: %s: %v", ErrInvalidEvent, n.EventType(), err)
	}
	return c, nil
}

// ChannelsFor returns the channels n goes through: email always, and push
// too for an order's status change (see the package doc).
func ChannelsFor(n Notice) []Channel {
	if n.statusChange() {
		return []Channel{ChannelEmail, ChannelPush}
	}
	return []Channel{ChannelEmail}
}

// UserRegistered welcomes a new user.
type UserRegistered struct {
	UserID string
	Name   string
}

// EventType is TypeUserRegistered.
func (UserRegistered) EventType() string { return TypeUserRegistered }

// Recipient is the new user.
func (n UserRegistered) Recipient() string { return n.UserID }

func (UserRegistered) statusChange() bool { return false }

func (n UserRegistered) content() (Content, error) {
	greeting := "Hi"
	if n.Name != "" {
		greeting = "Hi " + n.Name
	}
	return Content{
		Subject: "Welcome to goshop",
		Body:    greeting + ", your goshop account is ready. Happy shopping!",
	}, nil
}

// OrderCreated acknowledges an order placed, before payment.
type OrderCreated struct {
	OrderID string
	UserID  string
	Items   int // units over all lines
	Total   money.Money
}

// EventType is TypeOrderCreated.
func (OrderCreated) EventType() string { return TypeOrderCreated }

// Recipient is the customer.
func (n OrderCreated) Recipient() string { return n.UserID }

func (OrderCreated) statusChange() bool { return false }

func (n OrderCreated) content() (Content, error) {
	if err := needOrder(n.OrderID); err != nil {
		return Content{}, err
	}
	if err := needMoney("total", n.Total); err != nil {
		return Content{}, err
	}
	return Content{
		Subject: "We received your order " + n.OrderID,
		Body: fmt.Sprintf("Thank you for your order %s: %s for %s. We will let you know as soon as it is confirmed.",
			n.OrderID, plural(n.Items, "item", "items"), FormatMoney(n.Total)),
	}, nil
}

// OrderConfirmed tells that an order is paid and will be prepared.
type OrderConfirmed struct {
	OrderID string
	UserID  string
	Total   money.Money
}

// EventType is TypeOrderConfirmed.
func (OrderConfirmed) EventType() string { return TypeOrderConfirmed }

// Recipient is the customer.
func (n OrderConfirmed) Recipient() string { return n.UserID }

func (OrderConfirmed) statusChange() bool { return true }

func (n OrderConfirmed) content() (Content, error) {
	if err := needOrder(n.OrderID); err != nil {
		return Content{}, err
	}
	if err := needMoney("total", n.Total); err != nil {
		return Content{}, err
	}
	return Content{
		Subject: "Your order " + n.OrderID + " is confirmed",
		Body: fmt.Sprintf("Good news: your order %s (%s) is confirmed and will be prepared for shipping.",
			n.OrderID, FormatMoney(n.Total)),
	}, nil
}

// Cancellation reasons of OrderCancelled.
const (
	CancelOutOfStock      = "out_of_stock"
	CancelPaymentDeclined = "payment_declined"
	CancelPaymentFailed   = "payment_failed"
	CancelConfirmFailed   = "confirm_failed"
)

// OrderCancelled tells that an order was cancelled and why.
type OrderCancelled struct {
	OrderID string
	UserID  string
	Reason  string // one of the Cancel constants; others read as unspecified
}

// EventType is TypeOrderCancelled.
func (OrderCancelled) EventType() string { return TypeOrderCancelled }

// Recipient is the customer.
func (n OrderCancelled) Recipient() string { return n.UserID }

func (OrderCancelled) statusChange() bool { return true }

func (n OrderCancelled) content() (Content, error) {
	if err := needOrder(n.OrderID); err != nil {
		return Content{}, err
	}
	return Content{
		Subject: "Your order " + n.OrderID + " was cancelled",
		Body:    fmt.Sprintf("We are sorry: your order %s was cancelled because %s.", n.OrderID, cancelWords(n.Reason)),
	}, nil
}

// cancelWords says a cancellation reason in plain words. An unknown
// reason (a newer producer) still gets a sentence, not a failure.
func cancelWords(reason string) string {
	switch reason {
	case CancelOutOfStock:
		return "some items are out of stock. You have not been charged"
	case CancelPaymentDeclined:
		return "your payment was declined. You have not been charged"
	case CancelPaymentFailed:
		return "your payment could not be processed. You have not been charged"
	case CancelConfirmFailed:
		return "we could not complete it. Any amount charged has been refunded"
	default:
		return "it could not be completed. Any amount charged will be refunded"
	}
}

// OrderShipped tells that an order is on its way.
type OrderShipped struct {
	OrderID string
	UserID  string
}

// EventType is TypeOrderShipped.
func (OrderShipped) EventType() string { return TypeOrderShipped }

// Recipient is the customer.
func (n OrderShipped) Recipient() string { return n.UserID }

func (OrderShipped) statusChange() bool { return true }

func (n OrderShipped) content() (Content, error) {
	if err := needOrder(n.OrderID); err != nil {
		return Content{}, err
	}
	return Content{
		Subject: "Your order " + n.OrderID + " has shipped",
		Body:    fmt.Sprintf("Your order %s is on its way.", n.OrderID),
	}, nil
}

// PaymentSucceeded is the receipt of a charge.
type PaymentSucceeded struct {
	PaymentID string
	OrderID   string
	UserID    string
	Amount    money.Money
}

// EventType is TypePaymentSucceeded.
func (PaymentSucceeded) EventType() string { return TypePaymentSucceeded }

// Recipient is the customer.
func (n PaymentSucceeded) Recipient() string { return n.UserID }

func (PaymentSucceeded) statusChange() bool { return false }

func (n PaymentSucceeded) content() (Content, error) {
	if err := needPayment(n.PaymentID, n.OrderID, n.Amount); err != nil {
		return Content{}, err
	}
	return Content{
		Subject: "Payment received for order " + n.OrderID,
		Body: fmt.Sprintf("We received your payment of %s for order %s (payment %s).",
			FormatMoney(n.Amount), n.OrderID, n.PaymentID),
	}, nil
}

// Payment failure reasons of PaymentFailed.
const (
	PaymentDeclined = "declined"
	PaymentError    = "error"
)

// PaymentFailed tells that a charge did not go through.
type PaymentFailed struct {
	PaymentID string
	OrderID   string
	UserID    string
	Amount    money.Money
	Reason    string // PaymentDeclined or PaymentError; others read as an error
}

// EventType is TypePaymentFailed.
func (PaymentFailed) EventType() string { return TypePaymentFailed }

// Recipient is the customer.
func (n PaymentFailed) Recipient() string { return n.UserID }

func (PaymentFailed) statusChange() bool { return false }

func (n PaymentFailed) content() (Content, error) {
	if err := needPayment(n.PaymentID, n.OrderID, n.Amount); err != nil {
		return Content{}, err
	}
	what := "could not be processed. Nothing was charged"
	if n.Reason == PaymentDeclined {
		what = "was declined by your card issuer. Nothing was charged"
	}
	return Content{
		Subject: "Payment failed for order " + n.OrderID,
		Body:    fmt.Sprintf("Your payment of %s for order %s %s.", FormatMoney(n.Amount), n.OrderID, what),
	}, nil
}

// PaymentRefunded tells that a charge was refunded.
type PaymentRefunded struct {
	PaymentID string
	OrderID   string
	UserID    string
	Amount    money.Money
}

// EventType is TypePaymentRefunded.
func (PaymentRefunded) EventType() string { return TypePaymentRefunded }

// Recipient is the customer.
func (n PaymentRefunded) Recipient() string { return n.UserID }

func (PaymentRefunded) statusChange() bool { return false }

func (n PaymentRefunded) content() (Content, error) {
	if err := needPayment(n.PaymentID, n.OrderID, n.Amount); err != nil {
		return Content{}, err
	}
	return Content{
		Subject: "Refund issued for order " + n.OrderID,
		Body: fmt.Sprintf("We refunded %s for order %s (payment %s). It may take a few days to show on your statement.",
			FormatMoney(n.Amount), n.OrderID, n.PaymentID),
	}, nil
}

func needOrder(orderID string) error {
	if orderID == "" || len(orderID) > maxIDLen {
		return fmt.Errorf("order id %q", orderID)
	}
	return nil
}

func needMoney(field string, m money.Money) error {
	if m.IsZero() {
		return fmt.Errorf("no %s", field)
	}
	return nil
}

func needPayment(paymentID, orderID string, amount money.Money) error {
	if paymentID == "" || len(paymentID) > maxIDLen {
		return fmt.Errorf("payment id %q", paymentID)
	}
	if err := needOrder(orderID); err != nil {
		return err
	}
	return needMoney("amount", amount)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
