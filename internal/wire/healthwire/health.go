// Package healthwire builds the health check of a service from its health
// function's environment: the check of the service's own table, named by
// the variable every function of the service reads.
package healthwire

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/goshop-dev/goshop/internal/awsconfig"
	"github.com/goshop-dev/goshop/internal/envconfig"
	"github.com/goshop-dev/goshop/internal/health"
	"github.com/goshop-dev/goshop/internal/health/healthddb"
)

// TableSource declares a service's table: its adapter's CreateTableInput.
type TableSource func(name string) *dynamodb.CreateTableInput

// FromEnv returns the health handler of service, checking the table named
// by tableEnv (required), whose keys table declares.
func FromEnv(ctx context.Context, service, tableEnv string, table TableSource) (http.Handler, error) {
	env := envconfig.New()
	name := env.String(tableEnv)
	if err := env.Err(); err != nil {
		return nil, err
	}
	cfg, err := awsconfig.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s health: %w", service, err)
	}
	return health.Handler(service, healthddb.Table(dynamodb.NewFromConfig(cfg), name, table(name))), nil
}
