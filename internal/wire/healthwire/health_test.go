package healthwire_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/domain/cart/cartddb"
	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/wire/healthwire"
)

// The tests set the process environment, so they do not run in parallel
// (t.Setenv refuses to).

func TestFromEnvNeedsTheTable(t *testing.T) {
	t.Setenv("CARTS_TABLE", "")
	if _, err := healthwire.FromEnv(context.Background(), "cart", "CARTS_TABLE", cartddb.CreateTableInput); err == nil || !strings.Contains(err.Error(), "CARTS_TABLE") {
		t.Fatalf("FromEnv error = %v, want CARTS_TABLE named", err)
	}
}

// TestFromEnv checks the wired handler against DynamoDB Local, reached
// through AWS_ENDPOINT_URL_DYNAMODB as in devstack.
func TestFromEnv(t *testing.T) {
	table := ddbtest.Table(t, ddbtest.Client(t), cartddb.CreateTableInput)
	t.Setenv("CARTS_TABLE", table)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", os.Getenv(ddbtest.EndpointEnv))
	t.Setenv("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR")
	h, err := healthwire.FromEnv(context.Background(), "cart", "CARTS_TABLE", cartddb.CreateTableInput)
	if err != nil {
		t.Fatalf("FromEnv: %v", err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/health/cart", nil))
	var got struct {
		Service, Status string
		Checks          []struct{ Name, Status string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK || got.Service != "cart" || got.Status != "ok" || len(got.Checks) != 1 || got.Checks[0].Name != "table" {
		t.Fatalf("got %d %s, want 200 with the table check ok", rec.Code, rec.Body)
	}
}
