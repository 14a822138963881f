package users

import (
	"context"
	"errors"
	"fmt"
)

// Authenticated is the outcome of a successful login: the user, and whether
// it holds the admin role.
type Authenticated struct {
	User  User
	Admin bool
}

// Login checks an email and password. An unknown (or malformed) email and a
// wrong password both give ErrInvalidCredentials after one bcrypt
// comparison each, so neither the error nor the timing tells them apart.
func (s *Service) Login(ctx context.Context, email, password string) (Authenticated, error) {
	u, found, err := s.lookup(ctx, email)
	if err != nil {
		return Authenticated{}, err
	}
	hash := s.dummyHash
	if found {
		hash = u.passwordHash
	}
	match, err := s.hasher.Compare(hash, password)
	if err != nil {
		return Authenticated{}, fmt.Errorf("login: %w", err)
	}
	// bcrypt ignores bytes past the 72nd; a longer password was never
	// registered, so it must not match a registered prefix.
	if !found || !match || len(password) > MaxPasswordBytes {
		return Authenticated{}, ErrInvalidCredentials
	}
	return Authenticated{User: u, Admin: s.IsAdmin(u)}, nil
}

func (s *Service) lookup(ctx context.Context, raw string) (User, bool, error) {
	email, err := NormalizeEmail(raw)
	if err != nil {
		return User{}, false, nil
	}
	u, err := s.repo.GetByEmail(ctx, email)
	switch {
	case errors.Is(err, ErrNotFound):
		return User{}, false, nil
	case err != nil:
		return User{}, false, fmt.Errorf("login: %w", err)
	}
	return u, true, nil
}
