package usershttp

import (
	"net/http"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

// Get serves GET /users/{id}: the caller's own profile, or anyone's for an
// admin. Another user's id answers 404, like an unknown one.
func Get(svc *users.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		id := r.PathValue("id")
		if !caller.CanAccessUser(id) {
			httpapi.Fail(w, r, errUserNotFound)
			return
		}
		u, err := svc.Get(r.Context(), id)
		if err != nil {
			fail(w, r, err)
			return
		}
		httpapi.Respond(w, http.StatusOK, toUserResponse(svc, u))
	})
}

type updateRequest struct {
	Name        *string             `json:"name"`
	Preferences *preferencesRequest `json:"preferences"`
}

type preferencesRequest struct {
	Currency      *string               `json:"currency"`
	Categories    *[]string             `json:"categories"`
	Notifications *notificationsRequest `json:"notifications"`
	Phone         *string               `json:"phone"`
}

type notificationsRequest struct {
	Email *bool `json:"email"`
	SMS   *bool `json:"sms"`
	Push  *bool `json:"push"`
}

// change turns the request into the domain's partial change. Notifications,
// when sent, must name all three channels.
func (req updateRequest) change() (users.ProfileChange, error) {
	c := users.ProfileChange{Name: req.Name}
	if p := req.Preferences; p != nil {
		pc := &users.PreferencesChange{Currency: p.Currency, Categories: p.Categories, Phone: p.Phone}
		if n := p.Notifications; n != nil {
			switch {
			case n.Email == nil:
				return users.ProfileChange{}, missingField("preferences.notifications.email")
			case n.SMS == nil:
				return users.ProfileChange{}, missingField("preferences.notifications.sms")
			case n.Push == nil:
				return users.ProfileChange{}, missingField("preferences.notifications.push")
			}
			pc.Notifications = &users.Notifications{Email: *n.Email, SMS: *n.SMS, Push: *n.Push}
		}
		c.Preferences = pc
	}
	return c, nil
}

// Update serves PUT /users/{id}: changes the name and preferences of the
// caller's own profile, or anyone's for an admin, and answers 200 with the
// profile. Only the fields sent change; the email cannot be changed here.
func Update(svc *users.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := httpapi.Caller(r)
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		id := r.PathValue("id")
		if !caller.CanAccessUser(id) {
			httpapi.Fail(w, r, errUserNotFound)
			return
		}
		var req updateRequest
		if err := httpapi.Decode(r, &req); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		change, err := req.change()
		if err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		u, err := svc.Update(r.Context(), id, change)
		if err != nil {
			fail(w, r, err)
			return
		}
		httpapi.Respond(w, http.StatusOK, toUserResponse(svc, u))
	})
}
