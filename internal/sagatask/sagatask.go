// Package sagatask is the contract between the checkout state machine and
// the Lambda functions of its tasks: the error names the state machine's
// Retry and Catch rules match, and how a task reports them.
//
// A task returns a business error (the checkout cannot go on: no stock, a
// declined card) as Business(kind, ...): the state machine catches it and
// compensates, never retries it. A transient failure (a timeout, a
// throttled table, a gateway hiccup) is returned as Transient(...) and
// retried with backoff and jitter. Any other error is treated as
// transient by the state machine's Lambda retry rules and, once retries
// are spent, caught by States.ALL.
package sagatask

import (
	"fmt"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// Error names, as the state machine sees them in ErrorEquals.
const (
	ErrOutOfStock          = "OutOfStock"          // ReserveInventory: not enough units, or an unknown product
	ErrPaymentDeclined     = "PaymentDeclined"     // ProcessPayment: the card was declined
	ErrPaymentFailed       = "PaymentFailed"       // ProcessPayment: the gateway could not charge (timeouts, errors) and gave up
	ErrOrderNotConfirmable = "OrderNotConfirmable" // ConfirmOrder: the order was cancelled meanwhile
	ErrTransient           = "TransientError"      // retry me
)

// Business returns the error a task reports for a business outcome of kind
// (one of the Err constants other than ErrTransient).
func Business(kind, format string, args ...any) error {
	return messages.InvokeResponse_Error{Type: kind, Message: fmt.Sprintf(format, args...)}
}

// Transient returns the error a task reports for a failure worth retrying.
func Transient(err error) error {
	return messages.InvokeResponse_Error{Type: ErrTransient, Message: err.Error()}
}
