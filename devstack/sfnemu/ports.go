package sfnemu

import (
	"context"
	"time"
)

// LambdaInvoker invokes a function synchronously. A function error is
// reported by errorType and errorMessage (payload then holds the error
// document Lambda returns); err is for an invocation that did not reach the
// function (throttled, not found, ...).
type LambdaInvoker interface {
	Invoke(ctx context.Context, functionNameOrARN string, payload []byte) (out []byte, errorType, errorMessage string, err error)
}

// EventEntry is one EventBridge PutEvents entry.
type EventEntry struct {
	Source       string
	DetailType   string
	Detail       string
	EventBusName string
	Resources    []string
	Time         time.Time // zero: the time EventBridge receives it
}

// EventResult is the outcome of one entry: an EventID, or an ErrorCode and
// ErrorMessage.
type EventResult struct {
	EventID      string
	ErrorCode    string
	ErrorMessage string
}

// EventPutter puts events on EventBridge buses, one result per entry, in
// order.
type EventPutter interface {
	PutEvents(ctx context.Context, entries []EventEntry) ([]EventResult, error)
}
