package users_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/userstest"
)

// countingHasher records the hashes Compare was asked about.
type countingHasher struct {
	users.Hasher
	mu       sync.Mutex
	hashes   int
	compared []string
}

func (h *countingHasher) Hash(password string) (string, error) {
	h.mu.Lock()
	h.hashes++
	h.mu.Unlock()
	return h.Hasher.Hash(password)
}

func (h *countingHasher) Compare(hash, password string) (bool, error) {
	h.mu.Lock()
	h.compared = append(h.compared, hash)
	h.mu.Unlock()
	return h.Hasher.Compare(hash, password)
}

type fixture struct {
	svc    *users.Service
	repo   *userstest.Repository
	hasher *countingHasher
}

func newFixture(t *testing.T, admins ...string) fixture {
	t.Helper()
	b, err := users.NewBcrypt(bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	h := &countingHasher{Hasher: b}
	repo := userstest.NewRepository()
	var seq atomic.Int64
	newID := func() string { return fmt.Sprintf("user-%d", seq.Add(1)) }
	svc, err := users.NewService(repo, h, func() time.Time { return t0 }, newID, admins)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{svc: svc, repo: repo, hasher: h}
}

func (f fixture) register(t *testing.T, email, password string) users.User {
	t.Helper()
	u, err := f.svc.Register(context.Background(), users.Registration{Email: email, Password: password, Name: "Ada"})
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	return u
}

func TestRegister(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	u := f.register(t, " Ada@Example.com ", "correct horse")
	want := userstest.Snapshot{
		ID: "user-1", Email: "ada@example.com", Name: "Ada", Notifications: users.Notifications{Email: true},
		CreatedAt: t0, UpdatedAt: t0,
	}
	got := userstest.Snap(u)
	hash := got.PasswordHash
	got.PasswordHash = ""
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("user (-want +got):\n%s", diff)
	}
	if hash == "correct horse" || bcrypt.CompareHashAndPassword([]byte(hash), []byte("correct horse")) != nil {
		t.Errorf("stored hash %q is not a bcrypt hash of the password", hash)
	}
	stored, err := f.repo.Get(context.Background(), "user-1")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if diff := cmp.Diff(userstest.Snap(u), userstest.Snap(stored)); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}
}

func TestRegisterRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      users.Registration
		wantErr error
	}{
		{"bad email", users.Registration{Email: "ada", Password: "12345678", Name: "Ada"}, users.ErrInvalidEmail},
		{"short password", users.Registration{Email: "ada@example.com", Password: "1234567", Name: "Ada"}, users.ErrInvalidPassword},
		{"long password", users.Registration{Email: "ada@example.com", Password: strings.Repeat("x", 73), Name: "Ada"}, users.ErrInvalidPassword},
		{"blank name", users.Registration{Email: "ada@example.com", Password: "12345678", Name: " "}, users.ErrInvalidName},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			before := f.hasher.hashes
			if _, err := f.svc.Register(context.Background(), tt.in); !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if f.hasher.hashes != before {
				t.Error("an invalid registration paid for a password hash")
			}
			if _, err := f.repo.Get(context.Background(), "user-1"); !errors.Is(err, users.ErrNotFound) {
				t.Errorf("a refused registration was stored: %v", err)
			}
		})
	}
}

func TestRegisterTakenEmail(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.register(t, "ada@example.com", "12345678")
	_, err := f.svc.Register(context.Background(), users.Registration{Email: " ADA@example.com", Password: "87654321", Name: "Other"})
	if !errors.Is(err, users.ErrEmailTaken) {
		t.Errorf("err = %v, want ErrEmailTaken", err)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	f := newFixture(t, " Boss@Example.com ")
	ada := f.register(t, "ada@example.com", "correct horse")
	boss := f.register(t, "boss@example.com", "boss password")
	long := strings.Repeat("p", 72)
	f.register(t, "long@example.com", long)
	tests := []struct {
		name      string
		email     string
		password  string
		wantID    string
		wantAdmin bool
		wantErr   error
	}{
		{"customer", " ADA@example.com ", "correct horse", ada.ID(), false, nil},
		{"admin by configured email", "boss@example.com", "boss password", boss.ID(), true, nil},
		{"72-byte password", "long@example.com", long, "user-3", false, nil},
		{"wrong password", "ada@example.com", "wrong horse", "", false, users.ErrInvalidCredentials},
		{"password with different case", "ada@example.com", "Correct horse", "", false, users.ErrInvalidCredentials},
		{"unknown email", "nobody@example.com", "correct horse", "", false, users.ErrInvalidCredentials},
		{"malformed email", "not an email", "correct horse", "", false, users.ErrInvalidCredentials},
		{"empty password", "ada@example.com", "", "", false, users.ErrInvalidCredentials},
		// bcrypt ignores bytes past 72: a longer password must not match.
		{"registered 72 bytes plus more", "long@example.com", long + "extra", "", false, users.ErrInvalidCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := f.svc.Login(context.Background(), tt.email, tt.password)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got.User.ID() != tt.wantID || got.Admin != tt.wantAdmin {
				t.Errorf("login = (%q, admin %v), want (%q, admin %v)", got.User.ID(), got.Admin, tt.wantID, tt.wantAdmin)
			}
		})
	}
}

// TestLoginUnknownEmailPaysForBcrypt: an unknown email is compared against
// a real bcrypt hash of the configured cost, exactly once, like a known one.
func TestLoginUnknownEmailPaysForBcrypt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.register(t, "ada@example.com", "correct horse")
	for _, email := range []string{"nobody@example.com", "not an email", "ada@example.com"} {
		f.hasher.mu.Lock()
		f.hasher.compared = nil
		f.hasher.mu.Unlock()
		if _, err := f.svc.Login(context.Background(), email, "wrong password"); !errors.Is(err, users.ErrInvalidCredentials) {
			t.Fatalf("%s: err = %v, want ErrInvalidCredentials", email, err)
		}
		if len(f.hasher.compared) != 1 {
			t.Fatalf("%s: %d comparisons, want 1", email, len(f.hasher.compared))
		}
		cost, err := bcrypt.Cost([]byte(f.hasher.compared[0]))
		if err != nil || cost != bcrypt.MinCost {
			t.Errorf("%s: compared against a hash of cost %d (%v), want %d", email, cost, err, bcrypt.MinCost)
		}
	}
}

func TestNewServiceRefusesBadAdminEmail(t *testing.T) {
	t.Parallel()
	b, err := users.NewBcrypt(bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	_, err = users.NewService(userstest.NewRepository(), b, time.Now, func() string { return "x" }, []string{"ok@example.com", "not-an-email"})
	if !errors.Is(err, users.ErrInvalidEmail) {
		t.Errorf("err = %v, want ErrInvalidEmail", err)
	}
}

func TestNewBcryptCost(t *testing.T) {
	t.Parallel()
	for _, cost := range []int{bcrypt.MinCost - 1, bcrypt.MaxCost + 1} {
		if _, err := users.NewBcrypt(cost); err == nil {
			t.Errorf("NewBcrypt(%d) accepted", cost)
		}
	}
	b, err := users.NewBcrypt(bcrypt.MinCost + 1)
	if err != nil {
		t.Fatal(err)
	}
	h, err := b.Hash("12345678")
	if err != nil {
		t.Fatal(err)
	}
	if cost, _ := bcrypt.Cost([]byte(h)); cost != bcrypt.MinCost+1 {
		t.Errorf("hash cost = %d, want %d", cost, bcrypt.MinCost+1)
	}
	if ok, err := b.Compare(h, "12345678"); !ok || err != nil {
		t.Errorf("Compare(right) = %v, %v; want true, nil", ok, err)
	}
	if ok, err := b.Compare(h, "12345679"); ok || err != nil {
		t.Errorf("Compare(wrong) = %v, %v; want false, nil", ok, err)
	}
	if _, err := b.Compare("not a hash", "12345678"); err == nil {
		t.Error("Compare(malformed hash) gave no error")
	}
}

func TestGet(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.register(t, "ada@example.com", "12345678")
	tests := []struct {
		name    string
		id      string
		wantErr error
	}{
		{"known", ada.ID(), nil},
		{"unknown", "user-999", users.ErrNotFound},
		{"empty", "", users.ErrNotFound},
		{"key characters", "user-1#PROFILE", users.ErrNotFound},
		{"too long", strings.Repeat("a", 65), users.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := f.svc.Get(context.Background(), tt.id)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && got.ID() != tt.id {
				t.Errorf("got user %q, want %q", got.ID(), tt.id)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ada := f.register(t, "ada@example.com", "12345678")
	got, err := f.svc.Update(context.Background(), ada.ID(), users.ProfileChange{
		Name:        ptr("Ada King"),
		Preferences: &users.PreferencesChange{Categories: ptr([]string{"books"})},
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	want := userstest.Snap(ada)
	want.Name, want.Categories = "Ada King", []string{"books"}
	if diff := cmp.Diff(want, userstest.Snap(got)); diff != "" {
		t.Errorf("returned (-want +got):\n%s", diff)
	}
	stored, err := f.repo.Get(context.Background(), ada.ID())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, userstest.Snap(stored)); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		id      string
		change  users.ProfileChange
		wantErr error
	}{
		{ada.ID(), users.ProfileChange{}, users.ErrEmptyUpdate},
		{"user-999", users.ProfileChange{}, users.ErrEmptyUpdate},
		{"user-999", users.ProfileChange{Name: ptr("X")}, users.ErrNotFound},
		{"bad#id", users.ProfileChange{Name: ptr("X")}, users.ErrNotFound},
		{ada.ID(), users.ProfileChange{Preferences: &users.PreferencesChange{Currency: ptr("usdollar")}}, users.ErrInvalidCurrency},
	} {
		if _, err := f.svc.Update(context.Background(), tc.id, tc.change); !errors.Is(err, tc.wantErr) {
			t.Errorf("update %s: err = %v, want %v", tc.id, err, tc.wantErr)
		}
	}
}
