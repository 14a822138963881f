package dashboard

import "errors"

// Sentinel errors of the dashboard context; test them with errors.Is.
var (
	// ErrNotFound is returned by a read model that holds nothing under the
	// key asked for.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when concurrent writes kept winning over an
	// update; the event is to be retried.
	ErrConflict = errors.New("concurrent modification")
	// ErrDuplicateEvent is returned by a Repository write whose event was
	// already applied; the Service treats it as success.
	ErrDuplicateEvent = errors.New("event already applied")
	// ErrInvalidEvent is returned for an event that cannot be applied:
	// missing or malformed ids, times, lines or amounts. Retrying cannot
	// help.
	ErrInvalidEvent = errors.New("invalid event")
	// ErrInvalidUserID is returned by Dashboard for a user id that is not 1
	// to 64 characters of [A-Za-z0-9_-].
	ErrInvalidUserID = errors.New("invalid user id")
)
