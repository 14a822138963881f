package userstest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/domain/users"
)

// Snapshot is every field of a User, for comparing users with cmp.Diff.
type Snapshot struct {
	ID, Email, Name, PasswordHash string
	Currency                      string
	Categories                    []string
	Notifications                 users.Notifications
	Phone                         string
	CreatedAt, UpdatedAt          time.Time
}

// Snap returns the Snapshot of u.
func Snap(u users.User) Snapshot {
	p := u.Preferences()
	return Snapshot{
		ID: u.ID(), Email: u.Email(), Name: u.Name(), PasswordHash: u.PasswordHash(),
		Currency: p.Currency(), Categories: p.Categories(), Notifications: p.Notifications(), Phone: p.Phone(),
		CreatedAt: u.CreatedAt(), UpdatedAt: u.UpdatedAt(),
	}
}

// NewUser returns a valid user with a fresh id and email, so that tests
// sharing a store never collide.
func NewUser(t testing.TB) users.User {
	t.Helper()
	return NewUserWithEmail(t, "user-"+uuid.NewString()+"@example.com")
}

// NewUserWithEmail returns a valid user with a fresh id and email.
func NewUserWithEmail(t testing.TB, email string) users.User {
	t.Helper()
	created := time.Date(2026, 3, 1, 12, 30, 45, 123456789, time.UTC)
	u, err := users.NewUser(uuid.NewString(), email, "Ada Lovelace", "$2a$04$not-a-real-hash-but-opaque-to-the-store", created)
	if err != nil {
		t.Fatalf("new user: %v", err)
	}
	return u
}

// RunRepositoryContract runs the behaviour every users.Repository must
// have. newRepo returns the repository under test; it may be shared between
// calls, as every test uses fresh ids and emails.
func RunRepositoryContract(t *testing.T, newRepo func(t *testing.T) users.Repository) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, repo users.Repository)
	}{
		{"create then get by id and by email", testCreateGet},
		{"unknown id and email are not found", testNotFound},
		{"duplicate email is refused and stores nothing", testDuplicateEmail},
		{"duplicate id is refused and claims no email", testDuplicateID},
		{"update stores the change", testUpdate},
		{"update of an unknown id", testUpdateUnknown},
		{"update whose function fails stores nothing", testUpdateFnError},
		{"concurrent registrations of one email", testConcurrentCreate},
		{"concurrent updates lose nothing", testConcurrentUpdate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newRepo(t))
		})
	}
}

func testCreateGet(t *testing.T, repo users.Repository) {
	ctx := context.Background()
	u := NewUser(t)
	if err := repo.Create(ctx, u); err != nil {
		t.Fatalf("create: %v", err)
	}
	got, err := repo.Get(ctx, u.ID())
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if diff := cmp.Diff(Snap(u), Snap(got)); diff != "" {
		t.Errorf("get (-want +got):\n%s", diff)
	}
	got, err = repo.GetByEmail(ctx, u.Email())
	if err != nil {
		t.Fatalf("get by email: %v", err)
	}
	if diff := cmp.Diff(Snap(u), Snap(got)); diff != "" {
		t.Errorf("get by email (-want +got):\n%s", diff)
	}
}

func testNotFound(t *testing.T, repo users.Repository) {
	ctx := context.Background()
	if _, err := repo.Get(ctx, uuid.NewString()); !errors.Is(err, users.ErrNotFound) {
		t.Errorf("get unknown id: err = %v, want ErrNotFound", err)
	}
	if _, err := repo.GetByEmail(ctx, "nobody-"+uuid.NewString()+"@example.com"); !errors.Is(err, users.ErrNotFound) {
		t.Errorf("get unknown email: err = %v, want ErrNotFound", err)
	}
}

func testDuplicateEmail(t *testing.T, repo users.Repository) {
	ctx := context.Background()
	first := NewUser(t)
	if err := repo.Create(ctx, first); err != nil {
		t.Fatalf("create first: %v", err)
	}
	second := NewUserWithEmail(t, first.Email())
	if err := repo.Create(ctx, second); !errors.Is(err, users.ErrEmailTaken) {
		t.Fatalf("create second: err = %v, want ErrEmailTaken", err)
	}
	if _, err := repo.Get(ctx, second.ID()); !errors.Is(err, users.ErrNotFound) {
		t.Errorf("get second: err = %v, want ErrNotFound", err)
	}
	got, err := repo.GetByEmail(ctx, first.Email())
	if err != nil {
		t.Fatalf("get by email: %v", err)
	}
	if got.ID() != first.ID() {
		t.Errorf("email belongs to %s, want %s", got.ID(), first.ID())
	}
}

func testDuplicateID(t *testing.T, repo users.Repository) {
	ctx := context.Background()
	first := NewUser(t)
	if err := repo.Create(ctx, first); err != nil {
		t.Fatalf("create first: %v", err)
	}
	other := NewUser(t)
	second, err := users.NewUser(first.ID(), other.Email(), "Someone Else", "hash", time.Now())
	if err != nil {
		t.Fatalf("new user: %v", err)
	}
	if err := repo.Create(ctx, second); !errors.Is(err, users.ErrConflict) {
		t.Fatalf("create with an existing id: err = %v, want ErrConflict", err)
	}
	if _, err := repo.GetByEmail(ctx, second.Email()); !errors.Is(err, users.ErrNotFound) {
		t.Errorf("the refused user's email was claimed: err = %v, want ErrNotFound", err)
	}
	got, err := repo.Get(ctx, first.ID())
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if diff := cmp.Diff(Snap(first), Snap(got)); diff != "" {
		t.Errorf("first user changed (-want +got):\n%s", diff)
	}
}

func ptr[T any](v T) *T { return &v }

func testUpdate(t *testing.T, repo users.Repository) {
	ctx := context.Background()
	u := NewUser(t)
	if err := repo.Create(ctx, u); err != nil {
		t.Fatalf("create: %v", err)
	}
	at := u.CreatedAt().Add(time.Hour)
	change := users.ProfileChange{
		Name: ptr("Ada King"),
		Preferences: &users.PreferencesChange{
			Currency:      ptr("EUR"),
			Categories:    ptr([]string{"books", "garden-tools"}),
			Notifications: &users.Notifications{SMS: true, Push: true},
			Phone:         ptr("+15551234567"),
		},
	}
	calls := 0
	if err := repo.Update(ctx, u.ID(), func(u *users.User) error {
		calls++
		return u.ChangeProfile(change, at)
	}); err != nil {
		t.Fatalf("update: %v", err)
	}
	if calls != 1 {
		t.Errorf("fn ran %d times without contention, want 1", calls)
	}
	want := Snap(u)
	want.Name = "Ada King"
	want.Currency = "EUR"
	want.Categories = []string{"books", "garden-tools"}
	want.Notifications = users.Notifications{SMS: true, Push: true}
	want.Phone = "+15551234567"
	want.UpdatedAt = at
	for _, get := range []func() (users.User, error){
		func() (users.User, error) { return repo.Get(ctx, u.ID()) },
		func() (users.User, error) { return repo.GetByEmail(ctx, u.Email()) },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("get: %v", err)
		}
		if diff := cmp.Diff(want, Snap(got)); diff != "" {
			t.Errorf("stored user (-want +got):\n%s", diff)
		}
	}
}

func testUpdateUnknown(t *testing.T, repo users.Repository) {
	called := false
	err := repo.Update(context.Background(), uuid.NewString(), func(*users.User) error {
		called = true
		return nil
	})
	if !errors.Is(err, users.ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
	if called {
		t.Error("fn ran for an unknown user")
	}
}

func testUpdateFnError(t *testing.T, repo users.Repository) {
	ctx := context.Background()
	u := NewUser(t)
	if err := repo.Create(ctx, u); err != nil {
		t.Fatalf("create: %v", err)
	}
	err := repo.Update(ctx, u.ID(), func(u *users.User) error {
		if err := u.ChangeProfile(users.ProfileChange{Name: ptr("Changed")}, time.Now()); err != nil {
			return err
		}
		return u.ChangeProfile(users.ProfileChange{Name: ptr("   ")}, time.Now())
	})
	if !errors.Is(err, users.ErrInvalidName) {
		t.Fatalf("err = %v, want ErrInvalidName", err)
	}
	got, err := repo.Get(ctx, u.ID())
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if diff := cmp.Diff(Snap(u), Snap(got)); diff != "" {
		t.Errorf("user changed by a failed update (-want +got):\n%s", diff)
	}
}
