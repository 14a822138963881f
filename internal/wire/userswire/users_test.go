package userswire_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/domain/users"
	"github.com/goshop-dev/goshop/domain/users/usersddb"
	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/wire/userswire"
)

// These tests set process environment variables, so they cannot run in
// parallel.

func TestServiceFromEnvReportsConfiguration(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		wantText []string
	}{
		{"no table", map[string]string{"USERS_TABLE": ""}, []string{"USERS_TABLE is not set"}},
		{"cost not a number", map[string]string{"USERS_TABLE": "users", "BCRYPT_COST": "ten"}, []string{"BCRYPT_COST"}},
		{"cost out of range", map[string]string{"USERS_TABLE": "users", "BCRYPT_COST": "99"}, []string{"BCRYPT_COST", "99"}},
		{"bad admin email", map[string]string{"USERS_TABLE": "users", "ADMIN_EMAILS": "boss@example.com, not-an-email"}, []string{"not-an-email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("BCRYPT_COST", "")
			t.Setenv("ADMIN_EMAILS", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := userswire.ServiceFromEnv(context.Background())
			if err == nil {
				t.Fatal("err = nil, want a configuration error")
			}
			for _, s := range tt.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("err = %q, want it to mention %q", err, s)
				}
			}
		})
	}
}

func TestTokensFromEnvReportsEveryMissingVariable(t *testing.T) {
	for _, k := range []string{"TOKEN_SECRET_ARN", "TOKEN_ISSUER", "TOKEN_AUDIENCE"} {
		t.Setenv(k, "")
	}
	t.Setenv("TOKEN_TTL", "-5m")
	_, err := userswire.TokensFromEnv(context.Background())
	if err == nil {
		t.Fatal("err = nil, want a configuration error")
	}
	for _, s := range []string{"TOKEN_SECRET_ARN", "TOKEN_ISSUER", "TOKEN_AUDIENCE", "TOKEN_TTL"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("err = %q, want it to mention %s", err, s)
		}
	}
}

// TestServiceFromEnvAgainstDynamoDBLocal builds the service the way a function
// does, pointed at DynamoDB Local by endpoint variables only, and runs a
// registration and a login through it.
func TestServiceFromEnvAgainstDynamoDBLocal(t *testing.T) {
	client := ddbtest.Client(t)
	table := ddbtest.Table(t, client, usersddb.CreateTableInput)
	for k, v := range map[string]string{
		"USERS_TABLE":               table,
		"ADMIN_EMAILS":              "Boss@Example.com",
		"BCRYPT_COST":               "4",
		"AWS_ENDPOINT_URL_DYNAMODB": os.Getenv(ddbtest.EndpointEnv),
		"AWS_REGION":                "us-east-1",
		"AWS_ACCESS_KEY_ID":         "local",
		"AWS_SECRET_ACCESS_KEY":     "local",
		"AWS_SESSION_TOKEN":         "",
		"AWS_PROFILE":               "",
		"AWS_XRAY_CONTEXT_MISSING":  "IGNORE_ERROR",
	} {
		t.Setenv(k, v)
	}
	ctx := context.Background()
	svc, err := userswire.ServiceFromEnv(ctx)
	if err != nil {
		t.Fatalf("ServiceFromEnv: %v", err)
	}
	u, err := svc.Register(ctx, users.Registration{Email: "boss@example.com", Password: "boss password", Name: "Boss"})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	in, err := svc.Login(ctx, "boss@example.com", "boss password")
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if in.User.ID() != u.ID() || !in.Admin {
		t.Errorf("login = (%s, admin %v), want (%s, admin true)", in.User.ID(), in.Admin, u.ID())
	}
	if _, err := svc.Login(ctx, "boss@example.com", "wrong password"); !errors.Is(err, users.ErrInvalidCredentials) {
		t.Errorf("wrong password: err = %v, want ErrInvalidCredentials", err)
	}
}
