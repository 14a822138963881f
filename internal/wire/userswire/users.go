// Package userswire builds the users service and the access token issuer
// and verifier from a users function's environment (users-register,
// users-login, users-get, users-update and users-authorizer).
package userswire

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/usersddb"
	"github.com/goshop-dev/goshop/internal/auth"
	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/signingkey"
)

// ServiceFromEnv builds the users service from USERS_TABLE (required),
// ADMIN_EMAILS (comma separated, optional) and BCRYPT_COST (optional,
// default bcrypt.DefaultCost).
func ServiceFromEnv(ctx context.Context) (*users.Service, error) {
	env := envconfig.New()
	table := env.String("USERS_TABLE")
	admins := env.List("ADMIN_EMAILS")
	cost := env.Int("BCRYPT_COST", bcrypt.DefaultCost)
	if err := env.Err(); err != nil {
		return nil, err
	}
	hasher, err := users.NewBcrypt(cost)
	if err != nil {
		return nil, fmt.Errorf("configuration: BCRYPT_COST: %w", err)
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, err
	}
	store := usersddb.New(dynamodb.NewFromConfig(cfg), table)
	svc, err := users.NewService(store, hasher, time.Now, newUserID, admins)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return svc, nil
}

// newUserID returns a UUIDv7: time-ordered, so ids sort by registration.
func newUserID() string { return uuid.Must(uuid.NewV7()).String() }

// TokensFromEnv builds the access token issuer and verifier from
// TOKEN_SECRET_ARN (the Secrets Manager secret holding the signing key),
// TOKEN_ISSUER, TOKEN_AUDIENCE (all required) and TOKEN_TTL (default 1h).
func TokensFromEnv(ctx context.Context) (*auth.Tokens, error) {
	env := envconfig.New()
	secretARN := env.String("TOKEN_SECRET_ARN")
	issuer := env.String("TOKEN_ISSUER")
	audience := env.String("TOKEN_AUDIENCE")
	ttl := env.Duration("TOKEN_TTL", time.Hour)
	if err := env.Err(); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, err
	}
	key, err := signingkey.Fetch(ctx, secretsmanager.NewFromConfig(cfg), secretARN)
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(auth.TokenConfig{Key: key, Issuer: issuer, Audience: audience, TTL: ttl})
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return tokens, nil
}
