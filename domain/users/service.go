package users

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Repository stores users. Adapters implement it; userstest holds the
// in-memory fake and the contract every implementation passes.
type Repository interface {
	// Create stores u and claims its email, both or neither: ErrEmailTaken
	// when the email is already claimed, ErrConflict when the id exists.
	Create(ctx context.Context, u User) error
	// Get returns the user id, or ErrNotFound.
	Get(ctx context.Context, id string) (User, error)
	// GetByEmail returns the user holding the normalized email, or
	// ErrNotFound.
	GetByEmail(ctx context.Context, email string) (User, error)
	// Update reads the user id, applies fn and stores the result if nobody
	// changed the user meanwhile, retrying a few times from the read before
	// giving up with ErrConflict. fn may run more than once; its error is
	// returned as it is and nothing is stored. ErrNotFound for an unknown id.
	Update(ctx context.Context, id string, fn func(*User) error) error
}

// dummyPassword is hashed once per Service so that logins with an unknown
// email spend the same bcrypt work as logins with a wrong password.
const dummyPassword = "goshop: no account has this password"

// Service holds the users use cases.
type Service struct {
	repo      Repository
	hasher    Hasher
	now       func() time.Time
	newID     func() string
	admins    map[string]bool
	dummyHash string
}

// NewService returns the users service. adminEmails are the accounts that
// hold the admin role; they are normalized like any email, and an invalid
// one is a configuration error. It hashes a dummy password once, at the
// hasher's cost, for the unknown-email logins.
func NewService(repo Repository, hasher Hasher, now func() time.Time, newID func() string, adminEmails []string) (*Service, error) {
	if repo == nil || hasher == nil || now == nil || newID == nil {
		return nil, errors.New("users service: repository, hasher, clock and id generator are required")
	}
	admins := make(map[string]bool, len(adminEmails))
	for _, raw := range adminEmails {
		email, err := NormalizeEmail(raw)
		if err != nil {
			return nil, fmt.Errorf("admin email %q: %w", raw, err)
		}
		admins[email] = true
	}
	dummy, err := hasher.Hash(dummyPassword)
	if err != nil {
		return nil, fmt.Errorf("users service: %w", err)
	}
	return &Service{repo: repo, hasher: hasher, now: now, newID: newID, admins: admins, dummyHash: dummy}, nil
}

// IsAdmin reports whether u holds the admin role: its email is one of the
// configured admin emails.
func (s *Service) IsAdmin(u User) bool { return s.admins[u.email] }
