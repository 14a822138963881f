// Package paymentswire builds the payments service from a payments
// function's environment: the DynamoDB table, recording the payments'
// business metrics as it writes (MeteredRepository), and the sandbox
// gateway behind one guard per process (GuardedGateway).
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
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
)

// ServiceFromEnv builds the payments service on the DynamoDB table named
// by PAYMENTS_TABLE, charging through the sandbox gateway with the gateway
// timeout PAYMENT_GATEWAY_TIMEOUT (a Go duration, default 5s), which also
// bounds each guarded gateway call (DefaultGatewaySettings). The sandbox
// is the only gateway: its state lives in the function's memory. Metrics
// go to standard output as EMF, with Service "payments".
func ServiceFromEnv(ctx context.Context) (*payments.Service, error) {
	env := envconfig.New()
	table := env.String("PAYMENTS_TABLE")
	timeout := env.Duration("PAYMENT_GATEWAY_TIMEOUT", payments.DefaultGatewayTimeout)
	if err := env.Err(); err != nil {
		return nil, err
	}
	rec, err := metrics.FromEnv(metrics.ServicePayments)
	if err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	store := paymentsddb.New(dynamodb.NewFromConfig(cfg), table)
	guard := GatewayGuard(DefaultGatewaySettings(timeout), logging.ForService(metrics.ServicePayments), rec)
	return NewService(store, NewGuardedGateway(paymentssandbox.New(), guard), rec, timeout), nil
}

// NewService returns the payments service over repo and gateway (already
// guarded), recording its metrics into rec and bounding each gateway call
// by timeout.
func NewService(repo payments.Repository, gateway payments.PaymentGateway, rec *metrics.Recorder, timeout time.Duration) *payments.Service {
	return payments.NewService(NewMeteredRepository(repo, rec), gateway, time.Now, payments.WithGatewayTimeout(timeout))
}
