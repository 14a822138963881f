package events_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/events"
)

// constants returns the values of the package's string constants whose
// names start with prefix, read from its source so that a constant added
// later is seen too.
func constants(t *testing.T, prefix string) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatalf("parse %s: %v", name, err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, prefix) || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, v)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// enum returns the sorted enumeration of data.<field> in the schema of
// eventType v1.
func enum(t *testing.T, eventType, field string) []string {
	t.Helper()
	b, ok := events.Schema(eventType, 1)
	if !ok {
		t.Fatalf("no schema for %s", eventType)
	}
	var s struct {
		Properties struct {
			Data struct {
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
			} `json:"data"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	out := slices.Clone(s.Properties.Data.Properties[field].Enum)
	slices.Sort(out)
	return out
}

// TestReasonEnums keeps the schemas' reason enumerations equal to the Go
// constants that producers use.
func TestReasonEnums(t *testing.T) {
	t.Parallel()
	tests := []struct {
		eventType, field, prefix string
	}{
		{events.TypeOrderCancelled, "reason", "Reason"},
		{events.TypePaymentFailed, "reason", "PaymentReason"},
	}
	for _, tt := range tests {
		consts := constants(t, tt.prefix)
		if len(consts) == 0 {
			t.Fatalf("no %s constants found", tt.prefix)
		}
		if diff := cmp.Diff(consts, enum(t, tt.eventType, tt.field)); diff != "" {
			t.Errorf("%s.%s: Go constants %s* (-) and schema enumeration (+) differ:\n%s", tt.eventType, tt.field, tt.prefix, diff)
		}
	}
}
