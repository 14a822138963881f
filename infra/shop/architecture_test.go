package shop_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"

	"github.com/goshop-dev/goshop/infra/shop"
)

func TestArchitectureContext(t *testing.T) {
	tests := []struct {
		name    string
		context map[string]interface{}
		want    string
		wantErr string
	}{
		{name: "absent is arm64", context: map[string]interface{}{}, want: shop.ArchitectureARM64},
		{name: "arm64", context: map[string]interface{}{"architecture": "arm64"}, want: shop.ArchitectureARM64},
		{name: "x86_64", context: map[string]interface{}{"architecture": "x86_64"}, want: shop.ArchitectureX86_64},
		{name: "Go's name for x86 is refused", context: map[string]interface{}{"architecture": "amd64"}, wantErr: `architecture "amd64"`},
		{name: "case matters", context: map[string]interface{}{"architecture": "ARM64"}, wantErr: `architecture "ARM64"`},
		{name: "empty is refused", context: map[string]interface{}{"architecture": ""}, wantErr: `architecture ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := awscdk.NewApp(&awscdk.AppProps{Context: &tt.context})
			cfg, err := shop.ConfigFromContext(app)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ConfigFromContext error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ConfigFromContext: %v", err)
			}
			if cfg.Architecture != tt.want {
				t.Errorf("Architecture = %q, want %q", cfg.Architecture, tt.want)
			}
		})
	}
}

// TestArchitectureX86_64ReachesEveryFunction synthesizes the whole stack
// with -c architecture=x86_64, as the LocalStack deploy on an x86 host does,
// and checks that every function of the template runs on x86_64 and
// nothing else changed about how it runs.
func TestArchitectureX86_64ReachesEveryFunction(t *testing.T) {
	s := synthesizeWith(t, map[string]interface{}{"architecture": "x86_64", "waf": "false", "schemaRegistry": "false"})
	names := functionNames(t, s)
	if len(names) == 0 {
		t.Fatal("the template has no functions")
	}
	for id, res := range s.resources("AWS::Lambda::Function") {
		p := props(res)
		if got := fmt.Sprint(p["Architectures"]); got != "[x86_64]" {
			t.Errorf("%s: architectures %s, want [x86_64]", names[id], got)
		}
		if p["Runtime"] != "provided.al2023" || p["Handler"] != "bootstrap" {
			t.Errorf("%s: runtime %v handler %v, want provided.al2023 bootstrap", names[id], p["Runtime"], p["Handler"])
		}
	}
	for _, typ := range []string{"AWS::WAFv2::WebACL", "AWS::EventSchemas::Registry"} {
		if n := len(s.resources(typ)); n != 0 {
			t.Errorf("%d %s with waf=false and schemaRegistry=false, want none", n, typ)
		}
	}
}

// synthesizeWith synthesizes the full stack with extra CDK context, over
// stand-in bundles like the shared synthesis in shop_test.go.
func synthesizeWith(t *testing.T, extra map[string]interface{}) *synth {
	t.Helper()
	s, err := synthesize(t.TempDir(), extra)
	if err != nil {
		t.Fatalf("synthesize: %v", err)
	}
	return s
}
