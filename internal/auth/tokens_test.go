package auth_test

import (
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/goshop-dev/goshop/internal/auth"
)

var (
	keyA = []byte("0123456789abcdef0123456789abcdef")
	keyB = []byte("fedcba9876543210fedcba9876543210")
)

func newTokens(t *testing.T, key []byte, now func() time.Time) *auth.Tokens {
	t.Helper()
	tok, err := auth.NewTokens(auth.TokenConfig{Key: key, Issuer: "goshop", Audience: "goshop-api", TTL: time.Hour, Now: now})
	if err != nil {
		t.Fatalf("NewTokens: %v", err)
	}
	return tok
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	tok := newTokens(t, keyA, nil)
	want := auth.Identity{UserID: "u-1", Role: auth.RoleAdmin}
	s, exp, err := tok.Issue(want)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	if d := time.Until(exp); d < 59*time.Minute || d > time.Hour {
		t.Errorf("expiry in %s, want about 1h", d)
	}
	got, err := tok.Verify(s)
	if err != nil || got != want {
		t.Fatalf("Verify = %+v, %v; want %+v", got, err, want)
	}
}

func TestVerifyRefuses(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	verifier := newTokens(t, keyA, func() time.Time { return now })
	id := auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}

	sign := func(t *testing.T, key []byte, at time.Time, mutate func(*jwt.RegisteredClaims)) string {
		t.Helper()
		c := jwt.MapClaims{}
		rc := jwt.RegisteredClaims{Issuer: "goshop", Subject: "u-1", Audience: jwt.ClaimStrings{"goshop-api"},
			IssuedAt: jwt.NewNumericDate(at), ExpiresAt: jwt.NewNumericDate(at.Add(time.Hour))}
		if mutate != nil {
			mutate(&rc)
		}
		c["iss"], c["sub"], c["aud"], c["role"] = rc.Issuer, rc.Subject, rc.Audience, "customer"
		if rc.IssuedAt != nil {
			c["iat"] = rc.IssuedAt.Unix()
		}
		if rc.ExpiresAt != nil {
			c["exp"] = rc.ExpiresAt.Unix()
		}
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	other, _, err := newTokens(t, keyB, func() time.Time { return now }).Issue(id)
	if err != nil {
		t.Fatal(err)
	}
	valid := sign(t, keyA, now, nil)
	header, payload, _ := strings.Cut(valid, ".")
	payload, _, _ = strings.Cut(payload, ".")
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{"iss": "goshop", "sub": "u-1", "aud": "goshop-api", "role": "customer", "exp": now.Add(time.Hour).Unix()}).SignedString(keyA)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		token string
	}{
		{"other key", other},
		{"expired", sign(t, keyA, now.Add(-2*time.Hour), nil)},
		{"alg none", noneHeader + "." + payload + "."},
		{"alg none with signature", noneHeader + "." + payload + "." + strings.Repeat("A", 43)},
		{"other HMAC algorithm", hs512},
		{"wrong issuer", sign(t, keyA, now, func(c *jwt.RegisteredClaims) { c.Issuer = "evil" })},
		{"wrong audience", sign(t, keyA, now, func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"other"} })},
		{"no expiry", sign(t, keyA, now, func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil })},
		{"no subject", sign(t, keyA, now, func(c *jwt.RegisteredClaims) { c.Subject = "" })},
		{"tampered payload", header + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"u-2","role":"admin"}`)) + ".sig"},
		{"garbage", "not-a-token"},
		{"empty", ""},
	}
	if _, err := verifier.Verify(valid); err != nil {
		t.Fatalf("control token refused: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, err := verifier.Verify(tt.token); !errors.Is(err, auth.ErrInvalidToken) {
				t.Fatalf("Verify = %+v, %v; want ErrInvalidToken", got, err)
			}
		})
	}
}

func TestNewTokensValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  auth.TokenConfig
	}{
		{"short key", auth.TokenConfig{Key: []byte("short"), Issuer: "i", Audience: "a", TTL: time.Hour}},
		{"no issuer", auth.TokenConfig{Key: keyA, Audience: "a", TTL: time.Hour}},
		{"no audience", auth.TokenConfig{Key: keyA, Issuer: "i", TTL: time.Hour}},
		{"no ttl", auth.TokenConfig{Key: keyA, Issuer: "i", Audience: "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := auth.NewTokens(tt.cfg); err == nil {
				t.Fatal("NewTokens accepted an invalid config")
			}
		})
	}
}

func TestAuthenticateAndAccess(t *testing.T) {
	t.Parallel()
	tok := newTokens(t, keyA, nil)
	s, _, err := tok.Issue(auth.Identity{UserID: "u-1", Role: auth.RoleCustomer})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		header string
		ok     bool
	}{
		{"bearer", "Bearer " + s, true},
		{"lower-case scheme", "bearer " + s, true},
		{"no scheme", s, false},
		{"basic", "Basic " + s, false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			id, err := tok.Authenticate(r)
			if (err == nil) != tt.ok {
				t.Fatalf("Authenticate = %+v, %v; want ok=%v", id, err, tt.ok)
			}
		})
	}
	customer := auth.Identity{UserID: "u-1", Role: auth.RoleCustomer}
	admin := auth.Identity{UserID: "a-1", Role: auth.RoleAdmin}
	if !customer.CanAccessUser("u-1") || customer.CanAccessUser("u-2") || !admin.CanAccessUser("u-2") || (auth.Identity{}).CanAccessUser("") {
		t.Fatal("CanAccessUser: owner or admin only")
	}
}
