// Package ddbtest gives adapter tests a DynamoDB Local client and a fresh
// table per test. The emulator is started once per test run by
// `make test` (cmd/ddblocal), which exports DYNAMODB_LOCAL_ENDPOINT; a test
// run without it fails with instructions instead of skipping.
package ddbtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/internal/ddblocal"
)

// EndpointEnv names the variable holding DynamoDB Local's address.
const EndpointEnv = "DYNAMODB_LOCAL_ENDPOINT"

var tableSeq atomic.Int64

// Client returns a DynamoDB client for DynamoDB Local, or fails t.
func Client(t testing.TB) *dynamodb.Client {
	t.Helper()
	endpoint := os.Getenv(EndpointEnv)
	if endpoint == "" {
		t.Fatalf("%s is not set: run `make test`, or `go run ./cmd/ddblocal -- go test ./...`, which start DynamoDB Local", EndpointEnv)
	}
	return ddblocal.Client(endpoint)
}

// Table creates a table from build(name) under a name unique to this test,
// waits until it is active, and deletes it when the test ends.
func Table(t testing.TB, client *dynamodb.Client, build func(name string) *dynamodb.CreateTableInput) string {
	t.Helper()
	name := fmt.Sprintf("%s-%d-%s", sanitize(t.Name()), tableSeq.Add(1), uuid.NewString()[:8])
	if err := ddblocal.CreateTable(context.Background(), client, build(name)); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return name
}

func sanitize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, s)
	if len(s) > 180 {
		s = s[:180]
	}
	return s
}
