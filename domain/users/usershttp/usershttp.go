// Package usershttp serves the users API over net/http: registration,
// login (which issues the access token), and reading and changing a
// profile. Request and response bodies are defined here, never in the
// domain.
package usershttp

import (
	"errors"
	"net/http"
	"time"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// Handlers returns every users handler keyed by its function name in
// internal/routes.
func Handlers(svc *users.Service, tokens *auth.Tokens) map[string]http.Handler {
	return map[string]http.Handler{
		"users-register": Register(svc),
		"users-login":    Login(svc, tokens),
		"users-get":      Get(svc),
		"users-update":   Update(svc),
	}
}

type userResponse struct {
	ID          string              `json:"id"`
	Email       string              `json:"email"`
	Name        string              `json:"name"`
	Role        auth.Role           `json:"role"`
	Preferences preferencesResponse `json:"preferences"`
	CreatedAt   time.Time           `json:"createdAt"`
	UpdatedAt   time.Time           `json:"updatedAt"`
}

type preferencesResponse struct {
	Currency      string        `json:"currency,omitempty"`
	Categories    []string      `json:"categories"`
	Notifications notifications `json:"notifications"`
	Phone         string        `json:"phone,omitempty"`
}

type notifications struct {
	Email bool `json:"email"`
	SMS   bool `json:"sms"`
	Push  bool `json:"push"`
}

func toUserResponse(svc *users.Service, u users.User) userResponse {
	role := auth.RoleCustomer
	if svc.IsAdmin(u) {
		role = auth.RoleAdmin
	}
	p := u.Preferences()
	n := p.Notifications()
	cats := p.Categories()
	if cats == nil {
		cats = []string{}
	}
	return userResponse{
		ID:    u.ID(),
		Email: u.Email(),
		Name:  u.Name(),
		Role:  role,
		Preferences: preferencesResponse{
			Currency:      p.Currency(),
			Categories:    cats,
			Notifications: notifications{Email: n.Email, SMS: n.SMS, Push: n.Push},
			Phone:         p.Phone(),
		},
		CreatedAt: u.CreatedAt().UTC(),
		UpdatedAt: u.UpdatedAt().UTC(),
	}
}

// validationCodes maps the domain's validation sentinels to error codes.
var validationCodes = map[error]string{
	users.ErrInvalidEmail:      "invalid_email",
	users.ErrInvalidPassword:   "invalid_password",
	users.ErrInvalidName:       "invalid_name",
	users.ErrInvalidCurrency:   "invalid_currency",
	users.ErrInvalidCategories: "invalid_categories",
	users.ErrInvalidPhone:      "invalid_phone",
}

// errUserNotFound answers both an unknown id and another user's id, so
// that a caller learns nothing about accounts it may not see.
var errUserNotFound = httpapi.NotFound("user_not_found", "user not found")

// errInvalidCredentials answers an unknown email and a wrong password alike.
var errInvalidCredentials = httpapi.NewError(http.StatusUnauthorized, "invalid_credentials", "email or password is incorrect")

// fail maps a users error to its HTTP answer; anything unknown becomes a
// logged 500 in httpapi.Fail.
func fail(w http.ResponseWriter, r *http.Request, err error) {
	var verr *users.ValidationError
	if errors.As(err, &verr) {
		if code, ok := validationCodes[verr.Err]; ok {
			httpapi.Fail(w, r, httpapi.Unprocessable(code, verr.Reason))
			return
		}
	}
	switch {
	case errors.Is(err, users.ErrEmptyUpdate):
		err = httpapi.Unprocessable("empty_update", "set at least one of name and preferences")
	case errors.Is(err, users.ErrEmailTaken):
		err = httpapi.Conflict("email_taken", "an account with this email already exists")
	case errors.Is(err, users.ErrConflict):
		err = httpapi.Conflict("conflict", "the profile was changed concurrently; try again")
	case errors.Is(err, users.ErrNotFound):
		err = errUserNotFound
	case errors.Is(err, users.ErrInvalidCredentials):
		err = errInvalidCredentials
	}
	httpapi.Fail(w, r, err)
}

// missingField is the 400 of a required field absent from the body.
func missingField(name string) *httpapi.Error {
	return httpapi.BadRequest("missing_field", "field \""+name+"\" is required")
}
