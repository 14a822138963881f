// Package auth defines who is calling: the Identity an authorizer
// establishes, how it travels in a request context, and the signed tokens
// (JWT, HS256) the users service issues and the authorizer verifies.
//
// It imports nothing from AWS so that handlers and domain adapters can depend
// on it; the Lambda authorizer lives in internal/lambdaauth.
package auth

import (
	"context"
	"net/http"
	"strings"
)

// Role is what an identity may do beyond its own resources.
type Role string

// Roles. Admin is granted by configuration (a list of admin emails), never by
// anything a request says.
const (
	RoleCustomer Role = "customer"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleCustomer || r == RoleAdmin }

// Identity is an authenticated caller.
type Identity struct {
	UserID string
	Role   Role
}

// IsAdmin reports whether the caller holds the admin role.
func (i Identity) IsAdmin() bool { return i.Role == RoleAdmin }

// CanAccessUser reports whether the caller may read or change the resources
// owned by userID: its own, or anyone's for an admin.
func (i Identity) CanAccessUser(userID string) bool {
	return i.UserID != "" && (i.UserID == userID || i.IsAdmin())
}

type identityKey struct{}

// WithIdentity returns a context carrying id.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the caller's identity; ok is false for an
// unauthenticated request.
func IdentityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok && id.UserID != ""
}

// BearerToken extracts the token of an "Authorization: Bearer <token>"
// header value.
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// TokenFromRequest returns the bearer token of r's Authorization header.
func TokenFromRequest(r *http.Request) (string, bool) {
	return BearerToken(r.Header.Get("Authorization"))
}
