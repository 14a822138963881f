package routes_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/internal/routes"
)

var functionName = regexp.MustCompile(`^[a-z]+(-[a-z]+)+$`)

// TestCatalogueIsConsistent checks that every route has a unique function
// with a main package, a unique method and path, and a pattern ServeMux
// accepts.
func TestCatalogueIsConsistent(t *testing.T) {
	t.Parallel()
	functions := map[string]bool{}
	patterns := map[string]bool{}
	mux := http.NewServeMux()
	for _, r := range routes.All {
		if !functionName.MatchString(r.Function) {
			t.Errorf("function name %q is not <service>-<operation>", r.Function)
		}
		if functions[r.Function] {
			t.Errorf("function %s serves two routes", r.Function)
		}
		functions[r.Function] = true
		if patterns[r.Pattern()] {
			t.Errorf("route %s listed twice", r.Pattern())
		}
		patterns[r.Pattern()] = true
		if _, err := os.Stat(filepath.Join("..", "..", "functions", r.Function, "main.go")); err != nil {
			t.Errorf("route %s: no functions/%s/main.go", r.Pattern(), r.Function)
		}
		mux.Handle(r.Pattern(), http.NotFoundHandler()) // panics on a conflicting pattern
		if got := routes.Pattern(r.Function); got != r.Pattern() {
			t.Errorf("Pattern(%s) = %q, want %q", r.Function, got, r.Pattern())
		}
	}
}

func TestPatternPanicsForUnknownFunction(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("Pattern of an unknown function did not panic")
		}
	}()
	routes.Pattern("no-such-function")
}

// TestHealthRoutes checks that every service with a route has a public
// health check at GET /health/<service>, served by HealthFunction(service).
func TestHealthRoutes(t *testing.T) {
	t.Parallel()
	byPattern := map[string]routes.Route{}
	services := map[string]bool{}
	for _, r := range routes.All {
		byPattern[r.Pattern()] = r
		if service, _, _ := strings.Cut(r.Function, "-"); service != "api" {
			services[service] = true
		}
	}
	if len(services) < 7 {
		t.Fatalf("found %d services in the routes, want at least 7", len(services))
	}
	for service := range services {
		r, ok := byPattern["GET /health/"+service]
		if !ok {
			t.Errorf("service %s has no GET /health/%s", service, service)
			continue
		}
		if r.Function != routes.HealthFunction(service) || r.Access != routes.Public {
			t.Errorf("GET /health/%s: function %s, access %v; want %s, public", service, r.Function, r.Access, routes.HealthFunction(service))
		}
	}
}
