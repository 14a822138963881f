// Package httpapi holds the HTTP conventions every service shares: JSON
// request and response bodies, the error envelope
// {"error":{"code","message","requestId"}}, request and correlation ids, and
// a router that answers unknown routes in the same shape.
package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/goshop-dev/goshop/internal/logging"
)

// Error is a failure the client can act on: an HTTP status, a stable
// machine-readable code and a message safe to show.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// NewError returns an Error with the given status, code and message.
func NewError(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// BadRequest is a 400 with code and message.
func BadRequest(code, message string) *Error { return NewError(http.StatusBadRequest, code, message) }

// Unprocessable is a 422 with code and message.
func Unprocessable(code, message string) *Error {
	return NewError(http.StatusUnprocessableEntity, code, message)
}

// NotFound is a 404 with code and message.
func NotFound(code, message string) *Error { return NewError(http.StatusNotFound, code, message) }

// Conflict is a 409 with code and message.
func Conflict(code, message string) *Error { return NewError(http.StatusConflict, code, message) }

// Unauthorized is the 401 every authentication failure shares.
func Unauthorized(message string) *Error {
	return NewError(http.StatusUnauthorized, "unauthorized", message)
}

// Forbidden is the 403 for an authenticated caller without the right.
func Forbidden(message string) *Error {
	return NewError(http.StatusForbidden, "forbidden", message)
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"requestId,omitempty"`
}

// Fail writes err as the error envelope. An *Error anywhere in err's chain is
// sent as it is; anything else is logged here, once, and answered with a 500
// whose body names only the request id.
func Fail(w http.ResponseWriter, r *http.Request, err error) {
	ids := logging.IDsFrom(r.Context())
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		LoggerFrom(r.Context()).ErrorContext(r.Context(), "request failed", slog.String("error", err.Error()))
		apiErr = NewError(http.StatusInternalServerError, "internal", "internal error; quote the request id when reporting it")
	}
	Respond(w, apiErr.Status, errorBody{Error: errorDetail{Code: apiErr.Code, Message: apiErr.Message, RequestID: ids.RequestID}})
}
