package users

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of the account fields.
const (
	MaxEmailBytes    = 254
	MinPasswordBytes = 8
	MaxPasswordBytes = 72 // bcrypt ignores anything past 72 bytes
	MaxNameRunes     = 100
	maxIDBytes       = 64
)

// User is an account: its credentials and its profile.
type User struct {
	id           string
	email        string
	name         string
	passwordHash string
	preferences  Preferences
	createdAt    time.Time
	updatedAt    time.Time
}

// NewUser returns a new account registered at now. email and name are
// normalized and validated; passwordHash is the Hasher's output for a
// password that passed ValidatePassword.
func NewUser(id, email, name, passwordHash string, now time.Time) (User, error) {
	if !ValidID(id) {
		return User{}, fmt.Errorf("new user: id %q is not valid", id)
	}
	if passwordHash == "" {
		return User{}, errors.New("new user: password hash is empty")
	}
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	name, err = normalizeName(name)
	if err != nil {
		return User{}, err
	}
	now = now.UTC()
	return User{
		id:           id,
		email:        email,
		name:         name,
		passwordHash: passwordHash,
		preferences:  DefaultPreferences(),
		createdAt:    now,
		updatedAt:    now,
	}, nil
}

// RehydrateUser rebuilds a stored User without validating it. Only
// repository adapters call it.
func RehydrateUser(id, email, name, passwordHash string, prefs Preferences, createdAt, updatedAt time.Time) User {
	return User{
		id:           id,
		email:        email,
		name:         name,
		passwordHash: passwordHash,
		preferences:  prefs,
		createdAt:    createdAt.UTC(),
		updatedAt:    updatedAt.UTC(),
	}
}

// ID is the account's identifier.
func (u User) ID() string { return u.id }

// Email is the normalized email address.
func (u User) Email() string { return u.email }

// Name is the display name.
func (u User) Name() string { return u.name }

// PasswordHash is the stored hash of the password. Never send it anywhere
// but the repository.
func (u User) PasswordHash() string { return u.passwordHash }

// Preferences are the user's shopping and notification preferences.
func (u User) Preferences() Preferences { return u.preferences }

// CreatedAt is when the account was registered (UTC).
func (u User) CreatedAt() time.Time { return u.createdAt }

// UpdatedAt is when the profile last changed (UTC).
func (u User) UpdatedAt() time.Time { return u.updatedAt }

// ProfileChange is a partial profile update: a nil field is left as it is.
// The email is not part of it: it cannot be changed.
type ProfileChange struct {
	Name        *string
	Preferences *PreferencesChange
}

// IsEmpty reports whether c sets nothing.
func (c ProfileChange) IsEmpty() bool {
	return c.Name == nil && (c.Preferences == nil || c.Preferences.IsEmpty())
}

// Validate checks every field c sets, without a user to apply it to.
func (c ProfileChange) Validate() error {
	if c.IsEmpty() {
		return ErrEmptyUpdate
	}
	if c.Name != nil {
		if _, err := normalizeName(*c.Name); err != nil {
			return err
		}
	}
	if c.Preferences != nil {
		if _, err := (Preferences{}).apply(*c.Preferences); err != nil {
			return err
		}
	}
	return nil
}

// ChangeProfile applies c at now. It changes nothing unless every field of c
// is valid.
func (u *User) ChangeProfile(c ProfileChange, now time.Time) error {
	if c.IsEmpty() {
		return ErrEmptyUpdate
	}
	name := u.name
	if c.Name != nil {
		n, err := normalizeName(*c.Name)
		if err != nil {
			return err
		}
		name = n
	}
	prefs := u.preferences
	if c.Preferences != nil {
		p, err := prefs.apply(*c.Preferences)
		if err != nil {
			return err
		}
		prefs = p
	}
	u.name, u.preferences, u.updatedAt = name, prefs, now.UTC()
	return nil
}

// NormalizeEmail trims and lower-cases raw and checks that the result is a
// bare email address of at most MaxEmailBytes.
func NormalizeEmail(raw string) (string, error) {
	email := strings.ToLower(strings.TrimSpace(raw))
	switch {
	case email == "":
		return "", invalid(ErrInvalidEmail, "email is required")
	case len(email) > MaxEmailBytes:
		return "", invalid(ErrInvalidEmail, fmt.Sprintf("email must be at most %d bytes", MaxEmailBytes))
	}
	addr, err := mail.ParseAddress(email)
	// Comparing with the input refuses display names, comments, angle
	// brackets and quoted local parts that ParseAddress would accept.
	if err != nil || addr.Name != "" || addr.Address != email {
		return "", invalid(ErrInvalidEmail, "email must be a plain address such as ada@example.com")
	}
	return email, nil
}

// ValidatePassword checks the length rule of a new password.
func ValidatePassword(password string) error {
	if n := len(password); n < MinPasswordBytes || n > MaxPasswordBytes {
		return invalid(ErrInvalidPassword, fmt.Sprintf("password must be %d to %d bytes long", MinPasswordBytes, MaxPasswordBytes))
	}
	return nil
}

func normalizeName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	if n := utf8.RuneCountInString(name); n < 1 || n > MaxNameRunes {
		return "", invalid(ErrInvalidName, fmt.Sprintf("name must be 1 to %d characters", MaxNameRunes))
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return "", invalid(ErrInvalidName, "name must not contain control characters")
	}
	return name, nil
}

// ValidID reports whether id can be a user id: 1 to 64 ASCII letters,
// digits, '-' or '_'. Anything else cannot name a user.
func ValidID(id string) bool {
	if id == "" || len(id) > maxIDBytes {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
