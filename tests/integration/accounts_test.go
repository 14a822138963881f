package integration

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// profile is the API's user profile.
type profile struct {
	ID          string             `json:"id"`
	Email       string             `json:"email"`
	Name        string             `json:"name"`
	Role        string             `json:"role"`
	Preferences profilePreferences `json:"preferences"`
	CreatedAt   time.Time          `json:"createdAt"`
	UpdatedAt   time.Time          `json:"updatedAt"`
}

type profilePreferences struct {
	Currency      string   `json:"currency"`
	Categories    []string `json:"categories"`
	Notifications struct {
		Email bool `json:"email"`
		SMS   bool `json:"sms"`
		Push  bool `json:"push"`
	} `json:"notifications"`
	Phone string `json:"phone"`
}

// getProfile reads the profile of id as u.
func getProfile(t testing.TB, u user, id string) profile {
	t.Helper()
	res := call(t, request{method: "GET", path: "/users/" + id, token: u.Token})
	want(t, "get profile "+id, res, http.StatusOK)
	var p profile
	res.decode(t, &p)
	return p
}

// TestAccountsRegisterLoginProfile: an account registers with its email
// normalized, logs in with the same profile, and reads back what it changes
// of its name and preferences, partial changes keeping the rest.
func TestAccountsRegisterLoginProfile(t *testing.T) {
	t.Parallel()
	local := unique("Grace")
	password := "correct horse battery staple"
	res := call(t, request{method: "POST", path: "/users/register", body: map[string]any{
		"email": "  " + local + "@Example.COM ", "password": password, "name": "Grace Hopper",
	}})
	want(t, "register", res, http.StatusCreated)
	var registered profile
	res.decode(t, &registered)
	email := strings.ToLower(local) + "@example.com"
	wantNew := profile{ID: registered.ID, Email: email, Name: "Grace Hopper", Role: "customer"}
	wantNew.Preferences.Categories = []string{}
	wantNew.Preferences.Notifications.Email = true // a new account has email only
	if diff := cmp.Diff(wantNew, registered, cmpopts.IgnoreFields(profile{}, "CreatedAt", "UpdatedAt")); diff != "" || registered.ID == "" {
		t.Errorf("registered profile (-want +got):\n%s", diff)
	}
	if registered.CreatedAt.IsZero() || registered.UpdatedAt.Before(registered.CreatedAt) {
		t.Errorf("registered at %s, updated at %s", registered.CreatedAt, registered.UpdatedAt)
	}

	res = call(t, request{method: "POST", path: "/users/login", body: map[string]any{"email": email, "password": password}})
	want(t, "login", res, http.StatusOK)
	var in struct {
		Token     string    `json:"token"`
		TokenType string    `json:"tokenType"`
		ExpiresAt time.Time `json:"expiresAt"`
		User      profile   `json:"user"`
	}
	res.decode(t, &in)
	if in.Token == "" || in.TokenType != "Bearer" || !in.ExpiresAt.After(time.Now().Add(-time.Minute)) {
		t.Errorf("login: token %q of type %q expiring at %s", in.Token, in.TokenType, in.ExpiresAt)
	}
	if diff := cmp.Diff(registered, in.User); diff != "" {
		t.Errorf("login's user differs from the registered profile (-registered +login):\n%s", diff)
	}
	u := user{ID: registered.ID, Email: email, Password: password, Name: registered.Name, Token: in.Token}
	if diff := cmp.Diff(registered, getProfile(t, u, u.ID)); diff != "" {
		t.Errorf("GET /users/{id} differs from the registered profile (-registered +got):\n%s", diff)
	}

	// A full change, values normalized as documented.
	res = call(t, request{method: "PUT", path: "/users/" + u.ID, token: u.Token, body: map[string]any{
		"name": "Grace Brewster Hopper",
		"preferences": map[string]any{
			"currency":      " gbp ",
			"categories":    []string{"coffee", "tea", "coffee"},
			"notifications": map[string]any{"email": false, "sms": true, "push": true},
			"phone":         " +15551234567 ",
		},
	}})
	want(t, "update the profile", res, http.StatusOK)
	var updated profile
	res.decode(t, &updated)
	wantUpdated := registered
	wantUpdated.Name = "Grace Brewster Hopper"
	wantUpdated.Preferences.Currency = "GBP"
	wantUpdated.Preferences.Categories = []string{"coffee", "tea"}
	wantUpdated.Preferences.Notifications.Email, wantUpdated.Preferences.Notifications.SMS, wantUpdated.Preferences.Notifications.Push = false, true, true
	wantUpdated.Preferences.Phone = "+15551234567"
	if diff := cmp.Diff(wantUpdated, updated, cmpopts.IgnoreFields(profile{}, "UpdatedAt")); diff != "" {
		t.Errorf("updated profile (-want +got):\n%s", diff)
	}
	if updated.UpdatedAt.Before(registered.UpdatedAt) {
		t.Errorf("updatedAt went back from %s to %s", registered.UpdatedAt, updated.UpdatedAt)
	}
	if diff := cmp.Diff(updated, getProfile(t, u, u.ID)); diff != "" {
		t.Errorf("profile read back after the update (-answered +read):\n%s", diff)
	}

	// Only the fields sent change.
	res = call(t, request{method: "PUT", path: "/users/" + u.ID, token: u.Token, body: map[string]any{"name": "Grace Hopper"}})
	want(t, "rename", res, http.StatusOK)
	wantRenamed := updated
	wantRenamed.Name = "Grace Hopper"
	if diff := cmp.Diff(wantRenamed, getProfile(t, u, u.ID), cmpopts.IgnoreFields(profile{}, "UpdatedAt")); diff != "" {
		t.Errorf("profile after a rename (-want +got):\n%s", diff)
	}

	// Empty values clear a preference; the channels stay.
	res = call(t, request{method: "PUT", path: "/users/" + u.ID, token: u.Token, body: map[string]any{
		"preferences": map[string]any{"currency": "", "phone": "", "categories": []string{}},
	}})
	want(t, "clear preferences", res, http.StatusOK)
	wantCleared := wantRenamed
	wantCleared.Preferences.Currency, wantCleared.Preferences.Phone, wantCleared.Preferences.Categories = "", "", []string{}
	if diff := cmp.Diff(wantCleared, getProfile(t, u, u.ID), cmpopts.IgnoreFields(profile{}, "UpdatedAt")); diff != "" {
		t.Errorf("profile after clearing preferences (-want +got):\n%s", diff)
	}

	// A change that sets nothing is refused and changes nothing.
	res = call(t, request{method: "PUT", path: "/users/" + u.ID, token: u.Token, body: map[string]any{}})
	if res.status != http.StatusUnprocessableEntity && res.status != http.StatusBadRequest {
		t.Errorf("empty update = %s, want 422 empty_update (or 400 from the request model)", res)
	}
	if diff := cmp.Diff(wantCleared, getProfile(t, u, u.ID), cmpopts.IgnoreFields(profile{}, "UpdatedAt")); diff != "" {
		t.Errorf("profile after a refused update (-want +got):\n%s", diff)
	}
}

// TestAccountsRegisterTwice: an email registers once, whatever its case
// and spaces, and the second attempt changes nothing of the first account.
func TestAccountsRegisterTwice(t *testing.T) {
	t.Parallel()
	email := unique("twice") + "@example.com"
	first := map[string]any{"email": email, "password": "first password 123", "name": "First"}
	res := call(t, request{method: "POST", path: "/users/register", body: first})
	want(t, "register", res, http.StatusCreated)

	for _, again := range []string{email, "  " + strings.ToUpper(email) + " "} {
		res := call(t, request{method: "POST", path: "/users/register", body: map[string]any{"email": again, "password": "second password 456", "name": "Second"}})
		if res.status != http.StatusConflict || res.code() != "email_taken" {
			t.Errorf("register %q again = %s, want 409 email_taken", again, res)
		}
		if problem := envelopeProblem(res); problem != "" {
			t.Errorf("register %q again: %s", again, problem)
		}
	}
	u := login(t, user{Email: email, Password: "first password 123"})
	if u.Name != "First" {
		t.Errorf("after a second registration the account is named %q, want First", u.Name)
	}
	res = call(t, request{method: "POST", path: "/users/login", body: map[string]any{"email": email, "password": "second password 456"}})
	if res.status != http.StatusUnauthorized {
		t.Errorf("login with the second registration's password = %s, want 401", res)
	}
}

// TestAccountsLoginFailuresLookAlike: a wrong password and an unknown
// email get the same 401, so that a caller cannot tell which accounts exist.
func TestAccountsLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	wrong := call(t, request{method: "POST", path: "/users/login", body: map[string]any{"email": u.Email, "password": "not " + u.Password}})
	unknown := call(t, request{method: "POST", path: "/users/login", body: map[string]any{"email": unique("nobody") + "@example.com", "password": u.Password}})
	for name, res := range map[string]response{"wrong password": wrong, "unknown email": unknown} {
		if res.status != http.StatusUnauthorized || res.code() != "invalid_credentials" {
			t.Errorf("%s = %s, want 401 invalid_credentials", name, res)
		}
		if strings.Contains(string(res.body), "token") {
			t.Errorf("%s: the answer mentions a token: %s", name, res)
		}
	}
	if diff := cmp.Diff(withoutRequestID(t, wrong), withoutRequestID(t, unknown)); diff != "" {
		t.Errorf("the two failures differ beyond the request id (-wrong password +unknown email):\n%s", diff)
	}
}

// withoutRequestID is res's JSON body without error.requestId.
func withoutRequestID(t testing.TB, res response) map[string]any {
	t.Helper()
	var m map[string]any
	res.decode(t, &m)
	if e, ok := m["error"].(map[string]any); ok {
		delete(e, "requestId")
	}
	return m
}

// TestAccountsRenameShowsInOrderList: the order list names the user by the
// current name, so a rename shows on an order placed before it, while the
// order itself keeps the name it was placed under.
func TestAccountsRenameShowsInOrderList(t *testing.T) {
	t.Parallel()
	u := newUser(t)
	p := newProduct(t, unique("accounts"), 5)
	o := settled(t, u, placeOrder(t, u, checkoutBody("tok_visa", line{ProductID: p.ID, Quantity: 1})))
	if o.Status != "CONFIRMED" {
		t.Fatalf("order %s is %s (%s), want CONFIRMED", o.ID, o.Status, o.FailureReason)
	}
	newName := "Ada Renamed " + unique("n")
	res := call(t, request{method: "PUT", path: "/users/" + u.ID, token: u.Token, body: map[string]any{"name": newName}})
	want(t, "rename", res, http.StatusOK)

	type summary struct {
		ID, Status, UserName string
		Total                money
	}
	var got summary
	eventually(t, 60*time.Second, "the order list shows the new name", func() (bool, string) {
		res := call(t, request{method: "GET", path: "/users/" + u.ID + "/orders", token: u.Token})
		if res.status != http.StatusOK {
			return false, res.String()
		}
		var page struct{ Items []summary }
		res.decode(t, &page)
		for _, s := range page.Items {
			if s.ID == o.ID {
				got = s
				return s.UserName == newName, res.String()
			}
		}
		return false, "the order is not listed: " + res.String()
	})
	if diff := cmp.Diff(summary{ID: o.ID, Status: "CONFIRMED", UserName: newName, Total: money{Amount: 1299, Currency: "USD"}}, got); diff != "" {
		t.Errorf("listed order (-want +got):\n%s", diff)
	}
	if placed := getOrder(t, u, o.ID); placed.UserName != u.Name && placed.UserName != "" {
		t.Errorf("the order's userName = %q, want the name at checkout %q (or empty when it was not known yet)", placed.UserName, u.Name)
	}
}

// TestAccountsAdminRole: an email of the stack's admin list is an admin
// wherever its profile is shown, not only at login.
func TestAccountsAdminRole(t *testing.T) {
	t.Parallel()
	creds := map[string]any{"email": stack.adminEmail, "password": stack.adminPassword}
	res := call(t, request{method: "POST", path: "/users/login", body: creds})
	if res.status == http.StatusUnauthorized {
		// A new stack: register the admin as admin() would. Another test
		// may be doing the same; a 409 then is fine.
		reg := call(t, request{method: "POST", path: "/users/register", body: map[string]any{"email": stack.adminEmail, "password": stack.adminPassword, "name": "Integration Admin"}})
		if reg.status == http.StatusCreated {
			var p profile
			reg.decode(t, &p)
			if p.Role != "admin" {
				t.Errorf("registering %s answered role %q, want admin", stack.adminEmail, p.Role)
			}
		}
		res = call(t, request{method: "POST", path: "/users/login", body: creds})
	}
	want(t, "admin login", res, http.StatusOK)
	var in struct {
		Token string          `json:"token"`
		User  json.RawMessage `json:"user"`
	}
	res.decode(t, &in)
	var p profile
	if err := json.Unmarshal(in.User, &p); err != nil {
		t.Fatalf("login user: %v", err)
	}
	if p.Role != "admin" {
		t.Fatalf("login answers %s as a %q: is it in the stack's adminEmails?", stack.adminEmail, p.Role)
	}
	if got := getProfile(t, user{Token: in.Token}, p.ID); got.Role != "admin" {
		t.Errorf("GET /users/{id} of the admin %s answers role %q, want admin (login says admin)", stack.adminEmail, got.Role)
	}
}
