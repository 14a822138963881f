package users

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// Hasher turns passwords into one-way hashes and checks them.
type Hasher interface {
	// Hash returns the hash to store for password.
	Hash(password string) (string, error)
	// Compare reports whether password matches hash. An error means the hash
	// is unusable, not that the password is wrong.
	Compare(hash, password string) (bool, error)
}

// Bcrypt is the Hasher the service runs with.
type Bcrypt struct {
	cost int
}

var _ Hasher = (*Bcrypt)(nil)

// NewBcrypt returns a bcrypt Hasher of cost, from bcrypt.MinCost (tests) to
// bcrypt.MaxCost; production uses bcrypt.DefaultCost or more.
func NewBcrypt(cost int) (*Bcrypt, error) {
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("bcrypt cost %d is outside %d..%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	return &Bcrypt{cost: cost}, nil
}

// Hash returns the bcrypt hash of password.
func (b *Bcrypt) Hash(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), b.cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// Compare reports whether password matches the bcrypt hash.
func (b *Bcrypt) Compare(hash, password string) (bool, error) {
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, fmt.Errorf("compare password: %w", err)
	}
}
