package usershttp

import (
	"net/http"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

type registerRequest struct {
	Email    *string `json:"email"`
	Password *string `json:"password"`
	Name     *string `json:"name"`
}

// Register serves POST /users/register: creates a customer account (or an
// admin one, for an email in the configured admin list) and answers 201 with
// the profile.
func Register(svc *users.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req registerRequest
		if err := httpapi.Decode(r, &req); err != nil {
			httpapi.Fail(w, r, err)
			return
		}
		switch {
		case req.Email == nil:
			httpapi.Fail(w, r, missingField("email"))
			return
		case req.Password == nil:
			httpapi.Fail(w, r, missingField("password"))
			return
		case req.Name == nil:
			httpapi.Fail(w, r, missingField("name"))
			return
		}
		u, err := svc.Register(r.Context(), users.Registration{Email: *req.Email, Password: *req.Password, Name: *req.Name})
		if err != nil {
			fail(w, r, err)
			return
		}
		w.Header().Set("Location", "/users/"+u.ID())
		httpapi.Respond(w, http.StatusCreated, toUserResponse(svc, u))
	})
}
