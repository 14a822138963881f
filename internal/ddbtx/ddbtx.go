// Package ddbtx reads why DynamoDB cancelled a TransactWriteItems call: the
// TransactionCanceledException carries one reason per action, in the order
// of the actions, and the adapters turn those reasons into domain errors.
package ddbtx

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Cancellation reason codes the adapters act on.
const (
	// None is the code of an action that did not cause the cancellation.
	None = "None"
	// ConditionalCheckFailed is the code of an action whose condition
	// expression did not hold.
	ConditionalCheckFailed = "ConditionalCheckFailed"
	// TransactionConflict is the code of an action on an item another
	// transaction or request was changing at the same time.
	TransactionConflict = "TransactionConflict"
)

// Reasons returns the per-action reasons of err when it is (or wraps) a
// cancelled transaction, and whether it is one.
func Reasons(err error) ([]types.CancellationReason, bool) {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil, false
	}
	return tce.CancellationReasons, true
}

// ReasonIs reports whether action i of the transaction was cancelled with
// code; false when there is no reason i.
func ReasonIs(reasons []types.CancellationReason, i int, code string) bool {
	return i >= 0 && i < len(reasons) && aws.ToString(reasons[i].Code) == code
}

// AnyReason reports whether any action of the transaction was cancelled
// with code.
func AnyReason(reasons []types.CancellationReason, code string) bool {
	for i := range reasons {
		if ReasonIs(reasons, i, code) {
			return true
		}
	}
	return false
}
