package ddbemu_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/devstack/ddbemu"
)

// endpoint is the DynamoDB Local that TestMain starts for every test.
var endpoint string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	srv, err := ddbemu.Start(ctx, ddbemu.ServerOptions{Root: "."})
	if err != nil {
		// Never skip: a missing java or jar is a broken environment.
		fmt.Fprintf(os.Stderr, "ddbemu tests need DynamoDB Local: %v\n", err)
		return 1
	}
	defer srv.Stop()
	endpoint = srv.Endpoint
	return m.Run()
}
