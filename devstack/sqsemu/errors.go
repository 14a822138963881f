package sqsemu

import (
	"fmt"
	"net/http"
)

// Error is an SQS error as the API reports it: Code is the shape name of
// the JSON protocol ("QueueDoesNotExist"), QueryCode the code the SDK
// exposes through ErrorCode() for this query-compatible service
// ("AWS.SimpleQueueService.NonExistentQueue").
type Error struct {
	Code      string
	QueryCode string
	Status    int
	Message   string
}

// Error returns the code and message.
func (e *Error) Error() string { return e.QueryCode + ": " + e.Message }

func errQueueDoesNotExist() *Error {
	return &Error{"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", http.StatusBadRequest,
		"The specified queue does not exist."}
}

func errReceiptHandleInvalid(handle string) *Error {
	return &Error{"ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", http.StatusBadRequest,
		fmt.Sprintf("The input receipt handle %q is not a valid receipt handle.", handle)}
}

func errMessageNotInflight() *Error {
	return &Error{"MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", http.StatusBadRequest,
		"The message referred to isn't in flight."}
}

func errInvalidParameter(format string, args ...any) *Error {
	return &Error{"InvalidParameterValue", "InvalidParameterValue", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func errMissingParameter(name string) *Error {
	return &Error{"MissingParameter", "MissingParameter", http.StatusBadRequest,
		fmt.Sprintf("The request must contain the parameter %s.", name)}
}

func errInvalidAttributeName(name string) *Error {
	return &Error{"InvalidAttributeName", "InvalidAttributeName", http.StatusBadRequest,
		fmt.Sprintf("Unknown Attribute %s.", name)}
}

func errPurgeInProgress(queue string) *Error {
	return &Error{"PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", http.StatusBadRequest,
		fmt.Sprintf("Only one PurgeQueue operation on %s is allowed every 60 seconds.", queue)}
}

func errEmptyBatch() *Error {
	return &Error{"EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", http.StatusBadRequest,
		"There should be at least one entry in the request."}
}

func errTooManyEntries(n int) *Error {
	return &Error{"TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
		http.StatusBadRequest, fmt.Sprintf("Maximum number of entries per request are 10. You have sent %d.", n)}
}

func errBatchIDsNotDistinct(id string) *Error {
	return &Error{"BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", http.StatusBadRequest,
		fmt.Sprintf("Id %s repeated.", id)}
}

func errInvalidBatchEntryID(id string) *Error {
	return &Error{"InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", http.StatusBadRequest,
		fmt.Sprintf("A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long: %q.", id)}
}

func errUnsupported(action string) *Error {
	return &Error{"UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", http.StatusBadRequest,
		fmt.Sprintf("devstack does not emulate the SQS action %q.", action)}
}

func errUnsupportedFeature(format string, args ...any) *Error {
	return &Error{"UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", http.StatusBadRequest,
		fmt.Sprintf(format, args...)}
}

// errQueueNameExists is CreateQueue's answer for an existing name with
// different attributes; attr names the first that differs, if known.
func errQueueNameExists(name, attr string) *Error {
	msg := fmt.Sprintf("A queue named %s already exists.", name)
	if attr != "" {
		msg = fmt.Sprintf("A queue already exists with the same name and a different value for attribute %s", attr)
	}
	return &Error{"QueueNameExists", "QueueAlreadyExists", http.StatusBadRequest, msg}
}

func errQueueDeletedRecently() *Error {
	return &Error{"QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", http.StatusBadRequest,
		"You must wait 60 seconds after deleting a queue before you can create another with the same name."}
}

func errInvalidAttributeValue(attr, format string, args ...any) *Error {
	return &Error{"InvalidAttributeValue", "InvalidAttributeValue", http.StatusBadRequest,
		fmt.Sprintf("Invalid value for the parameter %s. Reason: %s.", attr, fmt.Sprintf(format, args...))}
}
