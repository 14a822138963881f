package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/goshop-dev/goshop/internal/ddbtest"
	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/routes"
)

// TestRouterServesTheHealthChecks mounts the catalogue as `make run-local`
// does, on DynamoDB Local, and asks every service's health check.
func TestRouterServesTheHealthChecks(t *testing.T) {
	t.Parallel()
	a, err := newApp(context.Background(), ddbtest.Client(t), logging.Discard(), "admin@goshop.test")
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.router()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range routes.All {
		service, ok := healthOf(r.Function)
		if !ok {
			continue
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", r.Path, nil))
		if needsRuntime(r.Function) {
			if rec.Code != http.StatusNotFound {
				t.Errorf("%s: %d, want 404: the %s service does not run here", r.Pattern(), rec.Code, service)
			}
			continue
		}
		var got struct {
			Service, Status string
			Checks          []struct{ Name, Status string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("%s: %d %s: %v", r.Pattern(), rec.Code, rec.Body, err)
		}
		if rec.Code != http.StatusOK || got.Service != service || got.Status != "ok" || len(got.Checks) != 1 || got.Checks[0].Status != "ok" {
			t.Errorf("%s: %d %s, want 200 with the table check ok", r.Pattern(), rec.Code, rec.Body)
		}
	}
}

// healthOf returns the service whose health check function serves.
func healthOf(function string) (string, bool) {
	for _, t := range tables {
		if routes.HealthFunction(t.service) == function {
			return t.service, true
		}
	}
	if function == routes.HealthFunction("orders") {
		return "orders", true
	}
	return "", false
}
