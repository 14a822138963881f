package usershttp_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/usershttp"
	"github.com/goshop-dev/goshop/domain/users/userstest"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/routes"
)

var now = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

const adminEmail = "boss@example.com"

// server is the users API over a fake repository, mounted like the local
// server and the Lambda functions mount it.
type server struct {
	handler http.Handler
	tokens  *auth.Tokens
}

func newServer(t *testing.T) server {
	t.Helper()
	return newServerWithRepo(t, userstest.NewRepository())
}

func newServerWithRepo(t *testing.T, repo users.Repository) server {
	t.Helper()
	hasher, err := users.NewBcrypt(bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	var seq atomic.Int64
	newID := func() string { return fmt.Sprintf("user-%d", seq.Add(1)) }
	svc, err := users.NewService(repo, hasher, func() time.Time { return now }, newID, []string{adminEmail})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{
		Key: []byte(strings.Repeat("k", auth.MinKeyBytes)), Issuer: "goshop-test", Audience: "goshop-api",
		TTL: time.Hour, Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	router := httpapi.NewRouter()
	for fn, h := range usershttp.Handlers(svc, tokens) {
		router.Handle(routes.Pattern(fn), h)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return server{handler: httpapi.Middleware(logger, nil, router), tokens: tokens}
}

// do sends a request as caller (nil: unauthenticated).
func (s server) do(t *testing.T, method, path, body string, caller *auth.Identity) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Content-Type", "application/json")
	if caller != nil {
		req = req.WithContext(auth.WithIdentity(req.Context(), *caller))
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec
}

func (s server) register(t *testing.T, email, password string) string {
	t.Helper()
	rec := s.do(t, "POST", "/users/register", fmt.Sprintf(`{"email":%q,"password":%q,"name":"Someone"}`, email, password), nil)
	if rec.Code != http.StatusCreated {
		t.Fatalf("register %s: status %d: %s", email, rec.Code, rec.Body)
	}
	var body struct{ ID string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	return body.ID
}

func customer(id string) *auth.Identity { return &auth.Identity{UserID: id, Role: auth.RoleCustomer} }
func admin(id string) *auth.Identity    { return &auth.Identity{UserID: id, Role: auth.RoleAdmin} }

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", rec.Body, err)
	}
	return body
}

// errorCode returns the error envelope's code, failing t if the body is not
// an error envelope with a message and a request id.
func errorCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body struct {
		Error struct{ Code, Message, RequestID string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	if body.Error.Message == "" || body.Error.RequestID == "" {
		t.Errorf("error body %s lacks a message or request id", rec.Body)
	}
	return body.Error.Code
}

var requestID = regexp.MustCompile(`"requestId":"[^"]*"`)

func withoutRequestID(b []byte) string {
	return requestID.ReplaceAllString(string(b), `"requestId":""`)
}

func profile(id, email, name, role string) map[string]any {
	return map[string]any{
		"id": id, "email": email, "name": name, "role": role,
		"preferences": map[string]any{
			"categories":    []any{},
			"notifications": map[string]any{"email": true, "sms": false, "push": false},
		},
		"createdAt": "2026-03-01T09:00:00Z", "updatedAt": "2026-03-01T09:00:00Z",
	}
}

func TestHandlersServeEveryUsersRoute(t *testing.T) {
	t.Parallel()
	var want []string
	for _, r := range routes.All {
		if strings.HasPrefix(r.Function, "users-") && r.Function != routes.HealthFunction("users") { // health: internal/health
			want = append(want, r.Function)
		}
	}
	var got []string
	for fn := range usershttp.Handlers(nil, nil) {
		got = append(got, fn)
	}
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("handler keys (-routes +handlers):\n%s", diff)
	}
}

func TestRegister(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	rec := s.do(t, "POST", "/users/register", `{"email":" Ada@Example.com ","password":"correct horse","name":" Ada "}`, nil)
	if rec.Code != http.StatusCreated {
		t.Fatalf("status %d, want 201: %s", rec.Code, rec.Body)
	}
	if diff := cmp.Diff(profile("user-1", "ada@example.com", "Ada", "customer"), decode(t, rec)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if loc := rec.Header().Get("Location"); loc != "/users/user-1" {
		t.Errorf("Location = %q, want /users/user-1", loc)
	}
	if body := strings.ToLower(rec.Body.String()); strings.Contains(body, "password") || strings.Contains(body, "$2a$") {
		t.Errorf("body leaks the password or its hash: %s", body)
	}

	rec = s.do(t, "POST", "/users/register", `{"email":"BOSS@example.com","password":"boss password","name":"Boss"}`, nil)
	if rec.Code != http.StatusCreated {
		t.Fatalf("admin register: status %d: %s", rec.Code, rec.Body)
	}
	if diff := cmp.Diff(profile("user-2", adminEmail, "Boss", "admin"), decode(t, rec)); diff != "" {
		t.Errorf("admin body (-want +got):\n%s", diff)
	}
}

func TestRegisterTwice(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.register(t, "ada@example.com", "correct horse")
	for _, email := range []string{"ada@example.com", " ADA@example.COM "} {
		rec := s.do(t, "POST", "/users/register", fmt.Sprintf(`{"email":%q,"password":"other password","name":"Other"}`, email), nil)
		if rec.Code != http.StatusConflict || errorCode(t, rec) != "email_taken" {
			t.Errorf("register %q again: %d %s, want 409 email_taken", email, rec.Code, rec.Body)
		}
	}
}

func TestRegisterBadRequests(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantCode   string
	}{
		{"malformed json", `{"email":`, 400, "malformed_json"},
		{"not an object", `["ada@example.com"]`, 400, "malformed_json"},
		{"empty body", ``, 400, "empty_body"},
		{"wrong type", `{"email":42,"password":"12345678","name":"Ada"}`, 400, "invalid_field"},
		{"unknown field", `{"email":"ada@example.com","password":"12345678","name":"Ada","nickname":"ada"}`, 400, "unknown_field"},
		{"role is no request field", `{"email":"ada@example.com","password":"12345678","name":"Ada","role":"admin"}`, 400, "unknown_field"},
		{"missing email", `{"password":"12345678","name":"Ada"}`, 400, "missing_field"},
		{"missing password", `{"email":"ada@example.com","name":"Ada"}`, 400, "missing_field"},
		{"missing name", `{"email":"ada@example.com","password":"12345678"}`, 400, "missing_field"},
		{"null name", `{"email":"ada@example.com","password":"12345678","name":null}`, 400, "missing_field"},
		{"invalid email", `{"email":"ada-at-example.com","password":"12345678","name":"Ada"}`, 422, "invalid_email"},
		{"email with display name", `{"email":"Ada <ada@example.com>","password":"12345678","name":"Ada"}`, 422, "invalid_email"},
		{"empty email", `{"email":"","password":"12345678","name":"Ada"}`, 422, "invalid_email"},
		{"short password", `{"email":"ada@example.com","password":"1234567","name":"Ada"}`, 422, "invalid_password"},
		{"long password", `{"email":"ada@example.com","password":"` + strings.Repeat("p", 73) + `","name":"Ada"}`, 422, "invalid_password"},
		{"blank name", `{"email":"ada@example.com","password":"12345678","name":"   "}`, 422, "invalid_name"},
		{"long name", `{"email":"ada@example.com","password":"12345678","name":"` + strings.Repeat("n", 101) + `"}`, 422, "invalid_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			rec := s.do(t, "POST", "/users/register", tt.body, nil)
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if code := errorCode(t, rec); code != tt.wantCode {
				t.Errorf("code %q, want %q", code, tt.wantCode)
			}
			// Nothing was registered: the email is still free.
			if rec := s.do(t, "POST", "/users/register", `{"email":"ada@example.com","password":"12345678","name":"Ada"}`, nil); rec.Code != http.StatusCreated {
				t.Errorf("register after a refusal: status %d: %s", rec.Code, rec.Body)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	adaID := s.register(t, "ada@example.com", "correct horse")
	bossID := s.register(t, adminEmail, "boss password")
	tests := []struct {
		name     string
		body     string
		wantUser map[string]any
		wantID   auth.Identity
	}{
		{"customer", `{"email":"ADA@example.com ","password":"correct horse"}`,
			profile(adaID, "ada@example.com", "Someone", "customer"), auth.Identity{UserID: adaID, Role: auth.RoleCustomer}},
		{"admin from the configured list", `{"email":"boss@example.com","password":"boss password"}`,
			profile(bossID, adminEmail, "Someone", "admin"), auth.Identity{UserID: bossID, Role: auth.RoleAdmin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := s.do(t, "POST", "/users/login", tt.body, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", rec.Code, rec.Body)
			}
			body := decode(t, rec)
			token, _ := body["token"].(string)
			id, err := s.tokens.Verify(token)
			if err != nil {
				t.Fatalf("token does not verify: %v", err)
			}
			if diff := cmp.Diff(tt.wantID, id); diff != "" {
				t.Errorf("token identity (-want +got):\n%s", diff)
			}
			delete(body, "token")
			want := map[string]any{"tokenType": "Bearer", "expiresAt": "2026-03-01T10:00:00Z", "user": tt.wantUser}
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoginFailuresLookAlike: an unknown email, a malformed one and a wrong
// password get the same 401 body, byte for byte apart from the request id.
func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.register(t, "ada@example.com", "correct horse")
	bodies := map[string]string{
		"wrong password":  `{"email":"ada@example.com","password":"wrong horse"}`,
		"unknown email":   `{"email":"nobody@example.com","password":"correct horse"}`,
		"malformed email": `{"email":"nobody","password":"correct horse"}`,
		"empty password":  `{"email":"ada@example.com","password":""}`,
	}
	var first string
	for name, body := range bodies {
		rec := s.do(t, "POST", "/users/login", body, nil)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, rec.Code)
		}
		if code := errorCode(t, rec); code != "invalid_credentials" {
			t.Errorf("%s: code %q, want invalid_credentials", name, code)
		}
		got := withoutRequestID(rec.Body.Bytes())
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("%s: body %s differs from %s", name, got, first)
		}
	}
}

func TestLoginBadRequests(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tests := []struct {
		name     string
		body     string
		wantCode string
	}{
		{"malformed json", `{"email"`, "malformed_json"},
		{"unknown field", `{"email":"ada@example.com","password":"12345678","role":"admin"}`, "unknown_field"},
		{"missing email", `{"password":"12345678"}`, "missing_field"},
		{"missing password", `{"email":"ada@example.com"}`, "missing_field"},
		{"wrong type", `{"email":"ada@example.com","password":12345678}`, "invalid_field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := s.do(t, "POST", "/users/login", tt.body, nil)
			if rec.Code != http.StatusBadRequest || errorCode(t, rec) != tt.wantCode {
				t.Errorf("got %d %s, want 400 %s", rec.Code, rec.Body, tt.wantCode)
			}
		})
	}
}
