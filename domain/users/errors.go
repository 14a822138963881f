package users

import "errors"

// Errors of the users context. Validation failures wrap one of the ErrInvalid
// sentinels in a *ValidationError that says what is wrong.
var (
	// ErrNotFound: no user has that id (or the id cannot be one).
	ErrNotFound = errors.New("user not found")
	// ErrEmailTaken: another account already uses the email.
	ErrEmailTaken = errors.New("email already registered")
	// ErrConflict: a concurrent change won the race, and retrying did not
	// help; the caller may try again.
	ErrConflict = errors.New("concurrent update conflict")
	// ErrInvalidCredentials: the email is unknown or the password is wrong.
	// The two cases are deliberately indistinguishable.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrEmptyUpdate: a profile change that sets nothing.
	ErrEmptyUpdate = errors.New("profile change sets no field")

	// ErrInvalidEmail: not a valid email address.
	ErrInvalidEmail = errors.New("invalid email")
	// ErrInvalidPassword: a password outside 8 to 72 bytes.
	ErrInvalidPassword = errors.New("invalid password")
	// ErrInvalidName: an empty, too long or unprintable name.
	ErrInvalidName = errors.New("invalid name")
	// ErrInvalidCurrency: not the code of a circulating ISO 4217 currency.
	ErrInvalidCurrency = errors.New("invalid currency")
	// ErrInvalidCategories: too many categories, or one that is not a slug.
	ErrInvalidCategories = errors.New("invalid categories")
	// ErrInvalidPhone: not an E.164 phone number.
	ErrInvalidPhone = errors.New("invalid phone")
)

// ValidationError is a rule broken by an input value. Reason is safe to show
// to the client: it never quotes a password.
type ValidationError struct {
	Err    error // one of the ErrInvalid sentinels
	Reason string
}

func (e *ValidationError) Error() string { return e.Err.Error() + ": " + e.Reason }

// Unwrap returns the sentinel, for errors.Is.
func (e *ValidationError) Unwrap() error { return e.Err }

func invalid(sentinel error, reason string) error {
	return &ValidationError{Err: sentinel, Reason: reason}
}
