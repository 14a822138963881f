package routes_test

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
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
