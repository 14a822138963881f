package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// ErrInvalidToken is returned for any token that does not verify: bad
// signature, wrong algorithm, expired, wrong issuer or audience, malformed.
// Callers get no finer detail on purpose.
var ErrInvalidToken = errors.New("invalid token")

// MinKeyBytes is the shortest signing key accepted (256 bits for HS256).
const MinKeyBytes = 32

// Tokens issues and verifies the API's access tokens.
type Tokens struct {
	key      []byte
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
}

// TokenConfig configures Tokens. Now defaults to time.Now.
type TokenConfig struct {
	Key      []byte
	Issuer   string
	Audience string
	TTL      time.Duration
	Now      func() time.Time
}

// NewTokens validates cfg and returns Tokens.
func NewTokens(cfg TokenConfig) (*Tokens, error) {
	switch {
	case len(cfg.Key) < MinKeyBytes:
		return nil, fmt.Errorf("signing key has %d bytes, want at least %d", len(cfg.Key), MinKeyBytes)
	case cfg.Issuer == "" || cfg.Audience == "":
		return nil, errors.New("token issuer and audience are required")
	case cfg.TTL <= 0:
		return nil, errors.New("token lifetime must be positive")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Tokens{key: cfg.Key, issuer: cfg.Issuer, audience: cfg.Audience, ttl: cfg.TTL, now: cfg.Now}, nil
}

type claims struct {
	Role Role `json:"role"`
	jwt.RegisteredClaims
}

// Issue signs a token for id and returns it with its expiry.
func (t *Tokens) Issue(id Identity) (string, time.Time, error) {
	if id.UserID == "" || !id.Role.Valid() {
		return "", time.Time{}, errors.New("issue token: identity needs a user id and a valid role")
	}
	now := t.now()
	exp := now.Add(t.ttl)
	c := claims{
		Role: id.Role,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   id.UserID,
			Audience:  jwt.ClaimStrings{t.audience},
			ExpiresAt: jwt.NewNumericDate(exp),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ID:        uuid.NewString(),
		},
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return signed, exp, nil
}

// Verify checks token's signature (HS256 only: "none" and every other
// algorithm are refused), expiry, issuer and audience, and returns the
// identity it carries.
func (t *Tokens) Verify(token string) (Identity, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c,
		func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return Identity{}, ErrInvalidToken
	}
	id := Identity{UserID: c.Subject, Role: c.Role}
	if id.UserID == "" || !id.Role.Valid() {
		return Identity{}, ErrInvalidToken
	}
	return id, nil
}
