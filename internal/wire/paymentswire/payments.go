// Package paymentswire builds the payments service from a payments
// function's environment.
package paymentswire

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/goshop-dev/goshop/domain/payments"
	"github.com/goshop-dev/goshop/domain/payments/paymentsddb"
	"github.com/goshop-dev/goshop/domain/payments/paymentssandbox"
	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/envconfig"
)

// ServiceFromEnv builds the payments service on the DynamoDB table named
// by PAYMENTS_TABLE, charging through the sandbox gateway with the gateway
// timeout PAYMENT_GATEWAY_TIMEOUT (a Go duration, default 5s). The sandbox
// is the only gateway: its state lives in the function's memory.
func ServiceFromEnv(ctx context.Context) (*payments.Service, error) {
	env := envconfig.New()
	table := env.String("PAYMENTS_TABLE")
	timeout := env.Duration("PAYMENT_GATEWAY_TIMEOUT", payments.DefaultGatewayTimeout)
	if err := env.Err(); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	store := paymentsddb.New(dynamodb.NewFromConfig(cfg), table)
	return payments.NewService(store, paymentssandbox.New(), time.Now, payments.WithGatewayTimeout(timeout)), nil
}
