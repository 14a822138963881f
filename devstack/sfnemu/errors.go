package sfnemu

import (
	"fmt"
	"net/http"
)

// APIError is a Step Functions API error: Code is the __type the SDK maps
// to its error types (ExecutionDoesNotExist, InvalidArn, ...).
type APIError struct {
	Code    string
	Message string
	Status  int
}

// Error returns the code and message.
func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns Code, as smithy.APIError does.
func (e *APIError) ErrorCode() string { return e.Code }

// Error codes the service returns.
const (
	CodeExecutionAlreadyExists   = "ExecutionAlreadyExists"
	CodeExecutionDoesNotExist    = "ExecutionDoesNotExist"
	CodeStateMachineDoesNotExist = "StateMachineDoesNotExist"
	CodeInvalidArn               = "InvalidArn"
	CodeInvalidName              = "InvalidName"
	CodeInvalidExecutionInput    = "InvalidExecutionInput"
	CodeInvalidToken             = "InvalidToken"
	CodeValidation               = "ValidationException"
	CodeUnknownOperation         = "UnknownOperationException"
	CodeSerialization            = "SerializationException"
	CodeServiceUnavailable       = "ServiceUnavailable"
)

func newError(code, format string, args ...any) *APIError {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

func errExecutionDoesNotExist(arn string) *APIError {
	return newError(CodeExecutionDoesNotExist, "Execution Does Not Exist: '%s'", arn)
}

func errStateMachineDoesNotExist(arn string) *APIError {
	return newError(CodeStateMachineDoesNotExist, "State Machine Does Not Exist: '%s'", arn)
}

func errInvalidArn(arn, reason string) *APIError {
	return newError(CodeInvalidArn, "Invalid Arn: '%s: %s'", reason, arn)
}

func errExecutionAlreadyExists(arn string) *APIError {
	return newError(CodeExecutionAlreadyExists, "Execution Already Exists: '%s'", arn)
}

func errInvalidToken() *APIError {
	return newError(CodeInvalidToken, "Invalid Token: the nextToken was not issued for this request")
}
