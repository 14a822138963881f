// Package signingkey fetches the token signing key from AWS Secrets Manager,
// where the CDK app generates it; the key never appears in code or in a
// function's environment.
package signingkey

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// SecretGetter is the part of the Secrets Manager client used here.
type SecretGetter interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// Fetch returns the current value of the secret secretID as key bytes.
func Fetch(ctx context.Context, sm SecretGetter, secretID string) ([]byte, error) {
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(secretID)})
	if err != nil {
		return nil, fmt.Errorf("get signing key %s: %w", secretID, err)
	}
	switch {
	case out.SecretString != nil:
		return []byte(*out.SecretString), nil
	case len(out.SecretBinary) > 0:
		return out.SecretBinary, nil
	default:
		return nil, fmt.Errorf("signing key %s is empty", secretID)
	}
}
