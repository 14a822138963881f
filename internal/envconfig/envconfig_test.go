package envconfig_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/envconfig"
)

func TestReaderReportsEveryProblem(t *testing.T) {
	t.Parallel()
	r := envconfig.FromMap(map[string]string{"PRESENT": "x", "BLANK": "  ", "TTL": "soon", "N": "7", "LIST": " a, ,b "})
	if got := r.String("PRESENT"); got != "x" {
		t.Errorf("String(PRESENT) = %q", got)
	}
	r.String("MISSING")
	r.String("BLANK")
	r.Duration("TTL", time.Hour)
	if got := r.Int("N", 1); got != 7 {
		t.Errorf("Int(N) = %d", got)
	}
	if diff := cmp.Diff([]string{"a", "b"}, r.List("LIST")); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	if got := r.Optional("NONE", "def"); got != "def" {
		t.Errorf("Optional = %q", got)
	}
	err := r.Err()
	if err == nil {
		t.Fatal("Err() = nil, want the three problems")
	}
	for _, want := range []string{"MISSING is not set", "BLANK is not set", "TTL"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Err() = %q, missing %q", err, want)
		}
	}
	if envconfig.FromMap(map[string]string{"A": "1"}).Err() != nil {
		t.Error("a fresh reader reports an error")
	}
}
