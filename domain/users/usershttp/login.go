package usershttp

import (
	"fmt"
	"net/http"
	"time"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/httpapi"
)

type loginRequest struct {
	Email    *string `json:"email"`
	Password *string `json:"password"`
}

type loginResponse struct {
	Token     string       `json:"token"`
	TokenType string       `json:"tokenType"`
	ExpiresAt time.Time    `json:"expiresAt"`
	User      userResponse `json:"user"`
}

// Login serves POST /users/login: checks the credentials and answers 200
// with a bearer token for the user, whose role is admin only for an email in
// the configured admin list. An unknown email and a wrong password get the
// same 401.
func Login(svc *users.Service, tokens *auth.Tokens) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req loginRequest
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
		}
		in, err := svc.Login(r.Context(), *req.Email, *req.Password)
		if err != nil {
			fail(w, r, err)
			return
		}
		role := auth.RoleCustomer
		if in.Admin {
			role = auth.RoleAdmin
		}
		token, exp, err := tokens.Issue(auth.Identity{UserID: in.User.ID(), Role: role})
		if err != nil {
			httpapi.Fail(w, r, fmt.Errorf("login %s: %w", in.User.ID(), err))
			return
		}
		httpapi.Respond(w, http.StatusOK, loginResponse{
			Token:     token,
			TokenType: "Bearer",
			ExpiresAt: exp.UTC(),
			User:      toUserResponse(svc, in.User),
		})
	})
}
