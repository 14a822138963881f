// Package awsconfig loads the AWS SDK configuration every function shares:
// config.LoadDefaultConfig (which honours AWS_ENDPOINT_URL and the
// per-service AWS_ENDPOINT_URL_* variables, so a local runtime differs only
// by environment), standard retries, and X-Ray instrumentation of every
// client built from it.
package awsconfig

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-xray-sdk-go/instrumentation/awsv2"
)

// Load returns the instrumented SDK configuration.
func Load(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx,
		// DynamoDB Local and other emulators do not always send the checksums
		// the SDK would validate; validate only where an operation requires it.
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load aws config: %w", err)
	}
	awsv2.AWSV2Instrumentor(&cfg.APIOptions)
	return cfg, nil
}
