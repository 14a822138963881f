package auth

import (
	"net/http"
)

// Authenticate verifies r's bearer token and returns the caller's identity.
// It is the single piece of logic the Lambda authorizer and the local server
// share, so both accept and refuse exactly the same requests.
func (t *Tokens) Authenticate(r *http.Request) (Identity, error) {
	token, ok := TokenFromRequest(r)
	if !ok {
		return Identity{}, ErrInvalidToken
	}
	return t.Verify(token)
}
