package userstest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/users"
)

// testConcurrentCreate registers one email from many goroutines at once:
// exactly one wins, every other gets ErrEmailTaken, and only the winner
// exists.
func testConcurrentCreate(t *testing.T, repo users.Repository) {
	const n = 20
	ctx := context.Background()
	email := "race-" + uuid.NewString() + "@example.com"
	candidates := make([]users.User, n)
	for i := range candidates {
		candidates[i] = NewUserWithEmail(t, email)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range candidates {
		wg.Go(func() {
			<-start
			errs[i] = repo.Create(ctx, candidates[i])
		})
	}
	close(start)
	wg.Wait()

	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner == -1:
			winner = i
		case err == nil:
			t.Errorf("candidates %d and %d both registered %s", winner, i, email)
		case !errors.Is(err, users.ErrEmailTaken):
			t.Errorf("candidate %d: err = %v, want nil or ErrEmailTaken", i, err)
		}
	}
	if winner == -1 {
		t.Fatal("no registration succeeded")
	}
	got, err := repo.GetByEmail(ctx, email)
	if err != nil {
		t.Fatalf("get by email: %v", err)
	}
	if got.ID() != candidates[winner].ID() {
		t.Errorf("email belongs to %s, want the winner %s", got.ID(), candidates[winner].ID())
	}
	for i, c := range candidates {
		_, err := repo.Get(ctx, c.ID())
		switch {
		case i == winner && err != nil:
			t.Errorf("get winner: %v", err)
		case i != winner && !errors.Is(err, users.ErrNotFound):
			t.Errorf("loser %d stored: err = %v, want ErrNotFound", i, err)
		}
	}
}

// testConcurrentUpdate adds one category per goroutine with a
// read-modify-write: every update that reports success is in the final
// list, and every other one reports ErrConflict.
func testConcurrentUpdate(t *testing.T, repo users.Repository) {
	const n = 10
	ctx := context.Background()
	u := NewUser(t)
	if err := repo.Create(ctx, u); err != nil {
		t.Fatalf("create: %v", err)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = repo.Update(ctx, u.ID(), func(u *users.User) error {
				cats := append(u.Preferences().Categories(), fmt.Sprintf("cat-%d", i))
				// Hold the read a moment so that the writers overlap: a store
				// without its version check would lose updates here.
				time.Sleep(2 * time.Millisecond)
				return u.ChangeProfile(users.ProfileChange{Preferences: &users.PreferencesChange{Categories: &cats}}, time.Now())
			})
		})
	}
	close(start)
	wg.Wait()

	var applied []string
	for i, err := range errs {
		switch {
		case err == nil:
			applied = append(applied, fmt.Sprintf("cat-%d", i))
		case !errors.Is(err, users.ErrConflict):
			t.Errorf("update %d: err = %v, want nil or ErrConflict", i, err)
		}
	}
	if len(applied) == 0 {
		t.Fatal("no update succeeded")
	}
	got, err := repo.Get(ctx, u.ID())
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	stored := got.Preferences().Categories()
	slices.Sort(stored)
	slices.Sort(applied)
	if diff := cmp.Diff(applied, stored); diff != "" {
		t.Errorf("categories (-successful updates +stored):\n%s", diff)
	}
}
