package users

import (
	"context"
	"fmt"
)

// Registration is what a new account is made from.
type Registration struct {
	Email    string
	Password string
	Name     string
}

// Register creates an account: ErrInvalidEmail, ErrInvalidPassword or
// ErrInvalidName (as *ValidationError) for a rule broken, ErrEmailTaken when
// the email is registered already.
func (s *Service) Register(ctx context.Context, in Registration) (User, error) {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return User{}, err
	}
	if err := ValidatePassword(in.Password); err != nil {
		return User{}, err
	}
	// Validate the name before paying for the hash.
	if _, err := normalizeName(in.Name); err != nil {
		return User{}, err
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return User{}, fmt.Errorf("register: %w", err)
	}
	u, err := NewUser(s.newID(), email, in.Name, hash, s.now())
	if err != nil {
		return User{}, fmt.Errorf("register: %w", err)
	}
	if err := s.repo.Create(ctx, u); err != nil {
		return User{}, fmt.Errorf("register: %w", err)
	}
	return u, nil
}
