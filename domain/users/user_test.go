package users_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/userstest"
)

func ptr[T any](v T) *T { return &v }

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", users.MaxEmailBytes-len("@example.com")) + "@example.com"
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr error
	}{
		{"trimmed and lower-cased", "  Ada.Lovelace+Shop@Example.COM\t", "ada.lovelace+shop@example.com", nil},
		{"254 bytes", long, long, nil},
		{"255 bytes", "a" + long, "", users.ErrInvalidEmail},
		{"empty", "   ", "", users.ErrInvalidEmail},
		{"no at sign", "ada.example.com", "", users.ErrInvalidEmail},
		{"no domain", "ada@", "", users.ErrInvalidEmail},
		{"two at signs", "ada@lovelace@example.com", "", users.ErrInvalidEmail},
		{"display name", "Ada <ada@example.com>", "", users.ErrInvalidEmail},
		{"angle brackets", "<ada@example.com>", "", users.ErrInvalidEmail},
		{"comment", "ada@example.com (Ada)", "", users.ErrInvalidEmail},
		{"inner space", "ada lovelace@example.com", "", users.ErrInvalidEmail},
		{"two addresses", "ada@example.com, bob@example.com", "", users.ErrInvalidEmail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := users.NormalizeEmail(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("email = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		wantErr  error
	}{
		{"7 bytes", "1234567", users.ErrInvalidPassword},
		{"8 bytes", "12345678", nil},
		{"72 bytes", strings.Repeat("p", 72), nil},
		{"73 bytes", strings.Repeat("p", 73), users.ErrInvalidPassword},
		{"counted in bytes, not characters", "éééé", nil},                             // 4 characters, 8 bytes
		{"37 two-byte characters", strings.Repeat("é", 37), users.ErrInvalidPassword}, // 74 bytes
		{"spaces count", "        ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := users.ValidatePassword(tt.password); !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestNewUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		id       string
		email    string
		userName string
		hash     string
		want     userstest.Snapshot
		wantErr  error
		wantAny  bool // some error, not a sentinel
	}{
		{
			name: "normalized", id: "u-1", email: " Ada@Example.com ", userName: "  Ada Lovelace ", hash: "h",
			want: userstest.Snapshot{
				ID: "u-1", Email: "ada@example.com", Name: "Ada Lovelace", PasswordHash: "h",
				Notifications: users.Notifications{Email: true}, CreatedAt: t0, UpdatedAt: t0,
			},
		},
		{
			name: "100 characters", id: "u-1", email: "a@example.com", userName: strings.Repeat("é", 100), hash: "h",
			want: userstest.Snapshot{
				ID: "u-1", Email: "a@example.com", Name: strings.Repeat("é", 100), PasswordHash: "h",
				Notifications: users.Notifications{Email: true}, CreatedAt: t0, UpdatedAt: t0,
			},
		},
		{name: "101 characters", id: "u-1", email: "a@example.com", userName: strings.Repeat("é", 101), hash: "h", wantErr: users.ErrInvalidName},
		{name: "blank name", id: "u-1", email: "a@example.com", userName: " \t ", hash: "h", wantErr: users.ErrInvalidName},
		{name: "control character", id: "u-1", email: "a@example.com", userName: "Ada\x00", hash: "h", wantErr: users.ErrInvalidName},
		{name: "bad email", id: "u-1", email: "ada", userName: "Ada", hash: "h", wantErr: users.ErrInvalidEmail},
		{name: "bad id", id: "USER#1", email: "a@example.com", userName: "Ada", hash: "h", wantAny: true},
		{name: "no hash", id: "u-1", email: "a@example.com", userName: "Ada", hash: "", wantAny: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A non-UTC clock must still give UTC times.
			u, err := users.NewUser(tt.id, tt.email, tt.userName, tt.hash, t0.In(time.FixedZone("X", 3600)))
			switch {
			case tt.wantAny:
				if err == nil {
					t.Fatal("err = nil, want an error")
				}
				return
			case !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			case err != nil:
				return
			}
			if diff := cmp.Diff(tt.want, userstest.Snap(u)); diff != "" {
				t.Errorf("user (-want +got):\n%s", diff)
			}
			if u.CreatedAt().Location() != time.UTC {
				t.Errorf("createdAt in %v, want UTC", u.CreatedAt().Location())
			}
		})
	}
}

func TestChangeProfile(t *testing.T) {
	t.Parallel()
	base := func(t *testing.T) users.User {
		t.Helper()
		u, err := users.NewUser("u-1", "ada@example.com", "Ada", "h", t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := u.ChangeProfile(users.ProfileChange{Preferences: &users.PreferencesChange{
			Currency: ptr("USD"), Categories: ptr([]string{"books"}), Phone: ptr("+15551234567"),
		}}, t0); err != nil {
			t.Fatal(err)
		}
		return u
	}
	at := t0.Add(time.Hour)
	unchanged := userstest.Snapshot{
		ID: "u-1", Email: "ada@example.com", Name: "Ada", PasswordHash: "h",
		Currency: "USD", Categories: []string{"books"}, Notifications: users.Notifications{Email: true}, Phone: "+15551234567",
		CreatedAt: t0, UpdatedAt: t0,
	}
	with := func(f func(*userstest.Snapshot)) userstest.Snapshot {
		s := unchanged
		s.UpdatedAt = at
		f(&s)
		return s
	}
	twentyFive := make([]string, 0, 25)
	for i := range 25 {
		twentyFive = append(twentyFive, []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"}[i%20])
	}
	twentyOne := append(twentyFive[:20:20], "u")
	tests := []struct {
		name    string
		change  users.ProfileChange
		want    userstest.Snapshot
		wantErr error
	}{
		{"name trimmed", users.ProfileChange{Name: ptr(" Ada King ")}, with(func(s *userstest.Snapshot) { s.Name = "Ada King" }), nil},
		{"currency upper-cased", users.ProfileChange{Preferences: &users.PreferencesChange{Currency: ptr(" eur ")}},
			with(func(s *userstest.Snapshot) { s.Currency = "EUR" }), nil},
		{"currency cleared", users.ProfileChange{Preferences: &users.PreferencesChange{Currency: ptr("")}},
			with(func(s *userstest.Snapshot) { s.Currency = "" }), nil},
		{"categories deduplicated in order", users.ProfileChange{Preferences: &users.PreferencesChange{Categories: ptr([]string{"toys", "books", "toys", "garden-2"})}},
			with(func(s *userstest.Snapshot) { s.Categories = []string{"toys", "books", "garden-2"} }), nil},
		{"20 distinct categories among 25", users.ProfileChange{Preferences: &users.PreferencesChange{Categories: &twentyFive}},
			with(func(s *userstest.Snapshot) { s.Categories = twentyFive[:20] }), nil},
		{"categories cleared", users.ProfileChange{Preferences: &users.PreferencesChange{Categories: ptr([]string{})}},
			with(func(s *userstest.Snapshot) { s.Categories = nil }), nil},
		{"notifications replaced", users.ProfileChange{Preferences: &users.PreferencesChange{Notifications: &users.Notifications{SMS: true}}},
			with(func(s *userstest.Snapshot) { s.Notifications = users.Notifications{SMS: true} }), nil},
		{"phone cleared", users.ProfileChange{Preferences: &users.PreferencesChange{Phone: ptr("")}},
			with(func(s *userstest.Snapshot) { s.Phone = "" }), nil},
		{"phone of 15 digits", users.ProfileChange{Preferences: &users.PreferencesChange{Phone: ptr("+123456789012345")}},
			with(func(s *userstest.Snapshot) { s.Phone = "+123456789012345" }), nil},
		{"empty", users.ProfileChange{}, unchanged, users.ErrEmptyUpdate},
		{"empty preferences", users.ProfileChange{Preferences: &users.PreferencesChange{}}, unchanged, users.ErrEmptyUpdate},
		{"blank name", users.ProfileChange{Name: ptr("  ")}, unchanged, users.ErrInvalidName},
		{"unknown currency", users.ProfileChange{Preferences: &users.PreferencesChange{Currency: ptr("ABC")}}, unchanged, users.ErrInvalidCurrency},
		{"metal is no currency", users.ProfileChange{Preferences: &users.PreferencesChange{Currency: ptr("XAU")}}, unchanged, users.ErrInvalidCurrency},
		{"21 categories", users.ProfileChange{Preferences: &users.PreferencesChange{Categories: &twentyOne}}, unchanged, users.ErrInvalidCategories},
		{"upper-case category", users.ProfileChange{Preferences: &users.PreferencesChange{Categories: ptr([]string{"Books"})}}, unchanged, users.ErrInvalidCategories},
		{"underscore category", users.ProfileChange{Preferences: &users.PreferencesChange{Categories: ptr([]string{"garden_tools"})}}, unchanged, users.ErrInvalidCategories},
		{"empty category", users.ProfileChange{Preferences: &users.PreferencesChange{Categories: ptr([]string{""})}}, unchanged, users.ErrInvalidCategories},
		{"51-byte category", users.ProfileChange{Preferences: &users.PreferencesChange{Categories: ptr([]string{strings.Repeat("a", 51)})}}, unchanged, users.ErrInvalidCategories},
		{"phone without plus", users.ProfileChange{Preferences: &users.PreferencesChange{Phone: ptr("15551234567")}}, unchanged, users.ErrInvalidPhone},
		{"phone with country code 0", users.ProfileChange{Preferences: &users.PreferencesChange{Phone: ptr("+05551234567")}}, unchanged, users.ErrInvalidPhone},
		{"phone of 16 digits", users.ProfileChange{Preferences: &users.PreferencesChange{Phone: ptr("+1234567890123456")}}, unchanged, users.ErrInvalidPhone},
		{"phone with spaces", users.ProfileChange{Preferences: &users.PreferencesChange{Phone: ptr("+1 555 123 4567")}}, unchanged, users.ErrInvalidPhone},
		{"valid name, invalid phone: nothing changes", users.ProfileChange{Name: ptr("Ada King"), Preferences: &users.PreferencesChange{Phone: ptr("555")}}, unchanged, users.ErrInvalidPhone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.change.Validate(); !errors.Is(err, tt.wantErr) {
				t.Errorf("Validate: err = %v, want %v", err, tt.wantErr)
			}
			u := base(t)
			if err := u.ChangeProfile(tt.change, at); !errors.Is(err, tt.wantErr) {
				t.Fatalf("ChangeProfile: err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, userstest.Snap(u)); diff != "" {
				t.Errorf("user (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidationErrorReason(t *testing.T) {
	t.Parallel()
	_, err := users.NormalizeEmail("nope")
	var verr *users.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %T, want *ValidationError", err)
	}
	if verr.Reason == "" || strings.Contains(verr.Reason, "nope") {
		t.Errorf("reason = %q, want a message that does not echo the input", verr.Reason)
	}
}

func TestCategoriesAreCopies(t *testing.T) {
	t.Parallel()
	cats := []string{"books"}
	p := users.RehydratePreferences("", cats, users.Notifications{}, "")
	cats[0] = "changed"
	got := p.Categories()
	got[0] = "changed too"
	if diff := cmp.Diff([]string{"books"}, p.Categories()); diff != "" {
		t.Errorf("categories aliased (-want +got):\n%s", diff)
	}
}
