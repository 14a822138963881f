package shop_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/infra/shop"
)

// synthesized is the template of a full stack, built once: synthesis
// through jsii takes seconds. The tests of this package do not run in
// parallel because the jsii runtime serves one call at a time.
var synthesized = sync.OnceValues(func() (*synth, error) {
	buildDir, err := os.MkdirTemp("", "goshop-infra-test")
	if err != nil {
		return nil, err
	}
	return synthesize(buildDir, nil)
})

// synthesize synthesizes the full stack of stage "test" with the extra
// CDK context, over stand-in bundles in buildDir.
func synthesize(buildDir string, extra map[string]interface{}) (*synth, error) {
	// Code assets only need to exist at synthesis; their content is not read
	// beyond hashing. One stands in for each function package, as
	// `make build` would make it.
	packages, err := os.ReadDir(filepath.Join("..", "..", "functions"))
	if err != nil {
		return nil, err
	}
	for _, pkg := range packages {
		dir := filepath.Join(buildDir, pkg.Name())
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte(pkg.Name()), 0o755); err != nil {
			return nil, err
		}
	}
	context := map[string]interface{}{"stage": "test", "buildDir": buildDir, "adminEmails": "ops@example.com"}
	for k, v := range extra {
		context[k] = v
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &context})
	cfg, err := shop.ConfigFromContext(app)
	if err != nil {
		return nil, err
	}
	s := shop.NewStack(app, "goshop-test", cfg, &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")},
	})
	shop.ApplyChecks(app)
	template := assertions.Template_FromStack(s.Stack, nil)
	return &synth{shop: s, template: template, raw: *template.ToJSON()}, nil
}

type synth struct {
	shop     *shop.Shop
	template assertions.Template
	raw      map[string]interface{}
}

func load(t *testing.T) *synth {
	t.Helper()
	s, err := synthesized()
	if err != nil {
		t.Fatalf("synthesize: %v", err)
	}
	return s
}

// resources returns the template's resources of type typ by logical id.
func (s *synth) resources(typ string) map[string]map[string]interface{} {
	out := map[string]map[string]interface{}{}
	for id, r := range s.raw["Resources"].(map[string]interface{}) {
		res := r.(map[string]interface{})
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

func props(res map[string]interface{}) map[string]interface{} {
	p, _ := res["Properties"].(map[string]interface{})
	return p
}
