package eventsemu

import (
	"fmt"
	"net/http"
)

// Error is an EventBridge API error: Code is the exception the SDK
// reports through ErrorCode() ("ResourceNotFoundException").
type Error struct {
	Code    string
	Status  int
	Message string
}

// Error returns the code and message.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errValidation(format string, args ...any) *Error {
	return &Error{"ValidationException", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func errBusNotFound(name string) *Error {
	return &Error{"ResourceNotFoundException", http.StatusBadRequest, fmt.Sprintf("Event bus %s does not exist.", name)}
}

func errRuleNotFound(rule, bus string) *Error {
	return &Error{"ResourceNotFoundException", http.StatusBadRequest, fmt.Sprintf("Rule %s does not exist on EventBus %s.", rule, bus)}
}

func errInvalidPattern(err error) *Error {
	return &Error{"InvalidEventPatternException", http.StatusBadRequest, "Event pattern is not valid. Reason: " + err.Error()}
}

func errTooManyTargets() *Error {
	return &Error{"LimitExceededException", http.StatusBadRequest, "The requested resource exceeds the maximum number allowed."}
}
