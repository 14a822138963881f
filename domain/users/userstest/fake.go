// Package userstest holds test doubles for the users context: an in-memory
// Repository with the semantics of the DynamoDB adapter, and the contract
// suite every Repository implementation passes.
package userstest

import (
	"context"
	"fmt"
	"sync"

	"github.com/goshop-dev/goshop/domain/users"
)

// updateAttempts is how many read-modify-write rounds Update tries, like the
// DynamoDB adapter.
const updateAttempts = 5

// Repository is an in-memory users.Repository, safe for concurrent use. Like
// the DynamoDB adapter it claims emails atomically with the user and applies
// updates optimistically: fn runs without the lock, and a version check
// decides whether its result is stored.
type Repository struct {
	mu      sync.Mutex
	users   map[string]entry
	byEmail map[string]string // email -> user id
}

type entry struct {
	user    users.User
	version int64
}

var _ users.Repository = (*Repository)(nil)

// NewRepository returns an empty Repository.
func NewRepository() *Repository {
	return &Repository{users: map[string]entry{}, byEmail: map[string]string{}}
}

// Create stores u and claims its email, both or neither.
func (r *Repository) Create(_ context.Context, u users.User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byEmail[u.Email()]; ok {
		return fmt.Errorf("create user %s: %w", u.ID(), users.ErrEmailTaken)
	}
	if _, ok := r.users[u.ID()]; ok {
		return fmt.Errorf("create user %s: id exists: %w", u.ID(), users.ErrConflict)
	}
	r.users[u.ID()] = entry{user: u, version: 1}
	r.byEmail[u.Email()] = u.ID()
	return nil
}

// Get returns the user id, or users.ErrNotFound.
func (r *Repository) Get(_ context.Context, id string) (users.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.users[id]
	if !ok {
		return users.User{}, users.ErrNotFound
	}
	return e.user, nil
}

// GetByEmail returns the user holding email, or users.ErrNotFound.
func (r *Repository) GetByEmail(_ context.Context, email string) (users.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.byEmail[email]
	if !ok {
		return users.User{}, users.ErrNotFound
	}
	return r.users[id].user, nil
}

// Update applies fn optimistically, retrying a lost race a few times before
// users.ErrConflict.
func (r *Repository) Update(ctx context.Context, id string, fn func(*users.User) error) error {
	for range updateAttempts {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.mu.Lock()
		e, ok := r.users[id]
		r.mu.Unlock()
		if !ok {
			return users.ErrNotFound
		}
		u := e.user
		if err := fn(&u); err != nil {
			return err
		}
		if u.ID() != id || u.Email() != e.user.Email() {
			return fmt.Errorf("update user %s: the id and email cannot change", id)
		}
		r.mu.Lock()
		if r.users[id].version == e.version {
			r.users[id] = entry{user: u, version: e.version + 1}
			r.mu.Unlock()
			return nil
		}
		r.mu.Unlock()
	}
	return fmt.Errorf("update user %s: %w", id, users.ErrConflict)
}
