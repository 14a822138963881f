package httpapi

import (
	"net/http"

	"github.com/goshop-dev/goshop/internal/auth"
)

// Caller returns the authenticated caller of r, or a 401 *Error. Routes
// behind the authorizer still call it: a handler never trusts that it is
// deployed behind one.
func Caller(r *http.Request) (auth.Identity, error) {
	id, ok := auth.IdentityFrom(r.Context())
	if !ok {
		return auth.Identity{}, Unauthorized("a valid bearer token is required")
	}
	return id, nil
}

// Admin returns the caller of r if it holds the admin role: a 401 *Error
// without a caller, a 403 for any other role.
func Admin(r *http.Request) (auth.Identity, error) {
	id, err := Caller(r)
	if err != nil {
		return id, err
	}
	if !id.IsAdmin() {
		return auth.Identity{}, Forbidden("this operation needs the admin role")
	}
	return id, nil
}
