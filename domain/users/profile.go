package users

import (
	"context"
	"fmt"
)

// Get returns the user id, or ErrNotFound. Whether the caller may see it is
// the caller's check (its own profile, or an admin).
func (s *Service) Get(ctx context.Context, id string) (User, error) {
	if !ValidID(id) {
		return User{}, ErrNotFound
	}
	u, err := s.repo.Get(ctx, id)
	if err != nil {
		return User{}, fmt.Errorf("get user %s: %w", id, err)
	}
	return u, nil
}

// Update applies change to the profile of user id and returns the result:
// ErrEmptyUpdate or a *ValidationError for a bad change, ErrNotFound,
// ErrConflict when concurrent changes kept winning. Whether the caller may
// change it is the caller's check (its own profile, or an admin).
func (s *Service) Update(ctx context.Context, id string, change ProfileChange) (User, error) {
	if err := change.Validate(); err != nil {
		return User{}, err
	}
	if !ValidID(id) {
		return User{}, ErrNotFound
	}
	var updated User
	err := s.repo.Update(ctx, id, func(u *User) error {
		if err := u.ChangeProfile(change, s.now()); err != nil {
			return err
		}
		updated = *u
		return nil
	})
	if err != nil {
		return User{}, fmt.Errorf("update user %s: %w", id, err)
	}
	return updated, nil
}
