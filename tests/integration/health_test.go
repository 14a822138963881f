package integration

import (
	"net/http"
	"testing"
)

// healthReport is the answer of GET /health/<service>.
type healthReport struct {
	Service string `json:"service"`
	Status  string `json:"status"`
	Probe   string `json:"probe"`
	Checks  []struct {
		Name       string `json:"name"`
		Status     string `json:"status"`
		DurationMs *int64 `json:"durationMs"`
		Error      string `json:"error"`
	} `json:"checks"`
	Breakers []struct {
		Name  string `json:"name"`
		State string `json:"state"`
	} `json:"breakers"`
}

// TestHealth asks every service's health check, without a token: ready
// (its table read) and live (no dependency called).
func TestHealth(t *testing.T) {
	t.Parallel()
	for _, service := range []string{"users", "catalog", "cart", "orders", "payments", "notifications", "dashboard"} {
		t.Run(service, func(t *testing.T) {
			t.Parallel()
			path := "/health/" + service
			res := call(t, request{method: "GET", path: path})
			want(t, "GET "+path, res, http.StatusOK)
			if cc := res.header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("GET %s: Cache-Control %q, want no-store", path, cc)
			}
			var ready healthReport
			res.decode(t, &ready)
			if ready.Service != service || ready.Status != "ok" || ready.Probe != "ready" {
				t.Errorf("GET %s = %s, want service %s ok, ready probe", path, res, service)
			}
			table := 0
			for _, c := range ready.Checks {
				if c.Status != "ok" || c.Error != "" || c.DurationMs == nil {
					t.Errorf("GET %s: check %s is %s (%q), durationMs %v", path, c.Name, c.Status, c.Error, c.DurationMs)
				}
				if c.Name == "table" {
					table++
				}
			}
			if table != 1 {
				t.Errorf("GET %s = %s, want one table check", path, res)
			}
			for _, b := range ready.Breakers {
				if b.State == "open" {
					t.Errorf("GET %s: breaker %s is open in a healthy answer", path, b.Name)
				}
			}

			res = call(t, request{method: "GET", path: path + "?probe=live"})
			want(t, "GET "+path+"?probe=live", res, http.StatusOK)
			var live healthReport
			res.decode(t, &live)
			if live.Service != service || live.Status != "ok" || live.Probe != "live" || live.Checks == nil || len(live.Checks) != 0 {
				t.Errorf("GET %s?probe=live = %s, want ok with no check run", path, res)
			}

			res = call(t, request{method: "GET", path: path + "?probe=deep"})
			want(t, "GET "+path+"?probe=deep", res, http.StatusBadRequest)
			if res.code() != "invalid_probe" {
				t.Errorf("GET %s?probe=deep = %s, want invalid_probe", path, res)
			}
		})
	}
}
