package usershttp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/userstest"
	"github.com/goshop-dev/goshop/internal/auth"
)

func TestGet(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	adaID := s.register(t, "ada@example.com", "correct horse")
	bobID := s.register(t, "bob@example.com", "correct horse")
	bossID := s.register(t, adminEmail, "boss password")
	tests := []struct {
		name       string
		id         string
		caller     *auth.Identity
		wantStatus int
		wantCode   string
		wantBody   map[string]any
	}{
		{"own profile", adaID, customer(adaID), 200, "", profile(adaID, "ada@example.com", "Someone", "customer")},
		{"admin reads another", adaID, admin(bossID), 200, "", profile(adaID, "ada@example.com", "Someone", "customer")},
		{"admin reads own", bossID, admin(bossID), 200, "", profile(bossID, adminEmail, "Someone", "admin")},
		{"another user's profile", bobID, customer(adaID), 404, "user_not_found", nil},
		{"unknown id", "user-999", customer(adaID), 404, "user_not_found", nil},
		{"unknown id as admin", "user-999", admin(bossID), 404, "user_not_found", nil},
		{"malformed id as admin", "user%231", admin(bossID), 404, "user_not_found", nil},
		{"overlong id as admin", strings.Repeat("a", 65), admin(bossID), 404, "user_not_found", nil},
		{"no token", adaID, nil, 401, "unauthorized", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := s.do(t, "GET", "/users/"+tt.id, "", tt.caller)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantBody == nil {
				if code := errorCode(t, rec); code != tt.wantCode {
					t.Errorf("code %q, want %q", code, tt.wantCode)
				}
				return
			}
			if diff := cmp.Diff(tt.wantBody, decode(t, rec)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOthersLookUnknown: another user's profile answers exactly like one
// that does not exist, for GET and PUT.
func TestOthersLookUnknown(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	adaID := s.register(t, "ada@example.com", "correct horse")
	bobID := s.register(t, "bob@example.com", "correct horse")
	for _, method := range []string{"GET", "PUT"} {
		body := ""
		if method == "PUT" {
			body = `{"name":"Mallory"}`
		}
		other := s.do(t, method, "/users/"+bobID, body, customer(adaID))
		unknown := s.do(t, method, "/users/user-999", body, customer(adaID))
		if other.Code != http.StatusNotFound || unknown.Code != http.StatusNotFound {
			t.Errorf("%s: statuses %d and %d, want 404", method, other.Code, unknown.Code)
		}
		if a, b := withoutRequestID(other.Body.Bytes()), withoutRequestID(unknown.Body.Bytes()); a != b {
			t.Errorf("%s: another user's %s differs from an unknown one's %s", method, a, b)
		}
	}
	// And Bob's profile is untouched.
	rec := s.do(t, "GET", "/users/"+bobID, "", customer(bobID))
	if got := decode(t, rec)["name"]; got != "Someone" {
		t.Errorf("bob's name = %v, want Someone", got)
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	updated := func(id, email, role string, f func(p, prefs map[string]any)) map[string]any {
		p := profile(id, email, "Someone", role)
		f(p, p["preferences"].(map[string]any))
		return p
	}
	tests := []struct {
		name       string
		body       string
		asAdmin    bool // the admin changes Ada's profile
		wantStatus int
		wantCode   string
		want       func(id string) map[string]any
	}{
		{name: "name", body: `{"name":" Ada King "}`, wantStatus: 200, want: func(id string) map[string]any {
			return updated(id, "ada@example.com", "customer", func(p, _ map[string]any) { p["name"] = "Ada King" })
		}},
		{name: "every preference", body: `{"preferences":{"currency":"eur","categories":["books","garden-tools","books"],
			"notifications":{"email":false,"sms":true,"push":true},"phone":"+15551234567"}}`, wantStatus: 200,
			want: func(id string) map[string]any {
				return updated(id, "ada@example.com", "customer", func(_, prefs map[string]any) {
					prefs["currency"] = "EUR"
					prefs["categories"] = []any{"books", "garden-tools"}
					prefs["notifications"] = map[string]any{"email": false, "sms": true, "push": true}
					prefs["phone"] = "+15551234567"
				})
			}},
		{name: "by an admin", body: `{"name":"Renamed"}`, asAdmin: true, wantStatus: 200, want: func(id string) map[string]any {
			return updated(id, "ada@example.com", "customer", func(p, _ map[string]any) { p["name"] = "Renamed" })
		}},
		{name: "empty object", body: `{}`, wantStatus: 422, wantCode: "empty_update"},
		{name: "empty preferences", body: `{"preferences":{}}`, wantStatus: 422, wantCode: "empty_update"},
		{name: "null fields", body: `{"name":null,"preferences":null}`, wantStatus: 422, wantCode: "empty_update"},
		{name: "email is not changeable", body: `{"email":"other@example.com"}`, wantStatus: 400, wantCode: "unknown_field"},
		{name: "role is not changeable", body: `{"role":"admin"}`, wantStatus: 400, wantCode: "unknown_field"},
		{name: "unknown preference", body: `{"preferences":{"theme":"dark"}}`, wantStatus: 400, wantCode: "unknown_field"},
		{name: "malformed json", body: `{"name":`, wantStatus: 400, wantCode: "malformed_json"},
		{name: "wrong type", body: `{"preferences":{"categories":"books"}}`, wantStatus: 400, wantCode: "invalid_field"},
		{name: "partial notifications", body: `{"preferences":{"notifications":{"sms":true}}}`, wantStatus: 400, wantCode: "missing_field"},
		{name: "blank name", body: `{"name":"  "}`, wantStatus: 422, wantCode: "invalid_name"},
		{name: "bad currency", body: `{"preferences":{"currency":"ABC"}}`, wantStatus: 422, wantCode: "invalid_currency"},
		{name: "bad category", body: `{"preferences":{"categories":["Books"]}}`, wantStatus: 422, wantCode: "invalid_categories"},
		{name: "too many categories", body: `{"preferences":{"categories":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}}`,
			wantStatus: 422, wantCode: "invalid_categories"},
		{name: "bad phone", body: `{"preferences":{"phone":"555-1234"}}`, wantStatus: 422, wantCode: "invalid_phone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			adaID := s.register(t, "ada@example.com", "correct horse")
			bossID := s.register(t, adminEmail, "boss password")
			caller := customer(adaID)
			if tt.asAdmin {
				caller = admin(bossID)
			}
			rec := s.do(t, "PUT", "/users/"+adaID, tt.body, caller)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			get := decode(t, s.do(t, "GET", "/users/"+adaID, "", customer(adaID)))
			if tt.want == nil {
				if code := errorCode(t, rec); code != tt.wantCode {
					t.Errorf("code %q, want %q", code, tt.wantCode)
				}
				if diff := cmp.Diff(profile(adaID, "ada@example.com", "Someone", "customer"), get); diff != "" {
					t.Errorf("a refused update changed the profile (-want +got):\n%s", diff)
				}
				return
			}
			want := tt.want(adaID)
			if diff := cmp.Diff(want, decode(t, rec)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, get); diff != "" {
				t.Errorf("stored profile (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpdateMerges(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := s.register(t, "ada@example.com", "correct horse")
	steps := []string{
		`{"preferences":{"currency":"USD","phone":"+15551234567"}}`,
		`{"preferences":{"categories":["books"]}}`,
		`{"preferences":{"phone":""}}`,
	}
	var rec *httptest.ResponseRecorder
	for _, body := range steps {
		if rec = s.do(t, "PUT", "/users/"+id, body, customer(id)); rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", body, rec.Code, rec.Body)
		}
	}
	want := map[string]any{
		"currency":      "USD",
		"categories":    []any{"books"},
		"notifications": map[string]any{"email": true, "sms": false, "push": false},
	}
	if diff := cmp.Diff(want, decode(t, rec)["preferences"]); diff != "" {
		t.Errorf("preferences (-want +got):\n%s", diff)
	}
}

func TestUpdateUnauthenticated(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := s.register(t, "ada@example.com", "correct horse")
	rec := s.do(t, "PUT", "/users/"+id, `{"name":"Mallory"}`, nil)
	if rec.Code != http.StatusUnauthorized || errorCode(t, rec) != "unauthorized" {
		t.Errorf("got %d %s, want 401 unauthorized", rec.Code, rec.Body)
	}
}

// conflictingRepo loses every optimistic-locking race.
type conflictingRepo struct{ users.Repository }

func (conflictingRepo) Update(context.Context, string, func(*users.User) error) error {
	return fmt.Errorf("update: %w", users.ErrConflict)
}

func TestUpdateConflict(t *testing.T) {
	t.Parallel()
	s := newServerWithRepo(t, conflictingRepo{userstest.NewRepository()})
	id := s.register(t, "ada@example.com", "correct horse")
	rec := s.do(t, "PUT", "/users/"+id, `{"name":"Ada King"}`, customer(id))
	if rec.Code != http.StatusConflict || errorCode(t, rec) != "conflict" {
		t.Errorf("got %d %s, want 409 conflict", rec.Code, rec.Body)
	}
}

// brokenRepo fails like an unreachable database.
type brokenRepo struct{ users.Repository }

var errSecret = errors.New("dial tcp 10.1.2.3:443: table arn:aws:dynamodb:secret")

func (brokenRepo) Get(context.Context, string) (users.User, error) { return users.User{}, errSecret }

func TestInternalErrorsStayInternal(t *testing.T) {
	t.Parallel()
	s := newServerWithRepo(t, brokenRepo{userstest.NewRepository()})
	rec := s.do(t, "GET", "/users/user-1", "", customer("user-1"))
	if rec.Code != http.StatusInternalServerError || errorCode(t, rec) != "internal" {
		t.Errorf("got %d %s, want 500 internal", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "10.1.2.3") {
		t.Errorf("body leaks the cause: %s", rec.Body)
	}
}

// TestTokenFlow: the token login issues identifies the caller to the
// authenticated routes.
func TestTokenFlow(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	id := s.register(t, "ada@example.com", "correct horse")
	rec := s.do(t, "POST", "/users/login", `{"email":"ada@example.com","password":"correct horse"}`, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	token, _ := decode(t, rec)["token"].(string)
	req := httptest.NewRequest("GET", "/users/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	caller, err := s.tokens.Authenticate(req)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	if rec := s.do(t, "GET", "/users/"+id, "", &caller); rec.Code != http.StatusOK {
		t.Errorf("get own profile with the token: %d %s", rec.Code, rec.Body)
	}
}
