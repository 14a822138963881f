// Package shop is the goshop CDK app: one stack holding every service's
// table and functions, the REST API in front of them, the event bus, the
// dashboards and alarms. Services are declared in services.go; adding a
// service or an operation is an entry there and a route in
// internal/routes.
package shop

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
)

// Config is what varies between deployments. It is read from CDK context
// (cdk.json, or -c key=value) by ConfigFromContext.
type Config struct {
	Stage         string   // name of the deployment: dev, prod, ...
	BuildDir      string   // where `make build` put the function bundles
	AdminEmails   []string // accounts granted the admin role at login
	LogRetention  awslogs.RetentionDays
	RemovalPolicy awscdk.RemovalPolicy // RETAIN for prod, DESTROY elsewhere
	WAF           bool                 // attach a WAF web ACL to the API stage (LocalStack lacks WAF)
	Schemas       bool                 // publish the event schemas to a schema registry (LocalStack lacks it)
	AlarmEmail    string               // optional subscriber of the alarm topic
	CORSOrigin    string               // origin browsers may call the API from ("*" for any)
	ThrottleRate  float64              // steady requests per second for the stage
	ThrottleBurst float64
	// Architecture is the instruction set of every function: ArchitectureARM64
	// (Graviton, also when empty) or ArchitectureX86_64, for LocalStack on an
	// x86 host, which runs functions natively only for the host's own
	// instruction set (docs/LOCALSTACK.md).
	Architecture string
	// ReservedConcurrency gives the functions that declare one
	// (FunctionSpec.Reserved) their reserved concurrency. Off by default:
	// an account whose concurrency quota is still the initial 10 cannot
	// reserve any (Lambda keeps 10 unreserved), and the deploy would fail.
	ReservedConcurrency bool
}

// The values of the architecture context key, named as Lambda names them.
const (
	ArchitectureARM64  = "arm64"
	ArchitectureX86_64 = "x86_64"
)

// ConfigFromContext reads the Config from the CDK context of scope.
func ConfigFromContext(scope constructs.Construct) (Config, error) {
	get := func(key, def string) string {
		v := scope.Node().TryGetContext(&key)
		if v == nil {
			return def
		}
		return strings.TrimSpace(fmt.Sprint(v))
	}
	cfg := Config{
		Stage:               get("stage", "dev"),
		BuildDir:            get("buildDir", ".build/lambda"),
		AlarmEmail:          get("alarmEmail", ""),
		CORSOrigin:          get("corsOrigin", "*"),
		Architecture:        get("architecture", ArchitectureARM64),
		WAF:                 get("waf", "true") == "true",
		Schemas:             get("schemaRegistry", "true") == "true",
		ReservedConcurrency: get("reservedConcurrency", "false") == "true",
		LogRetention:        awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy:       awscdk.RemovalPolicy_DESTROY,
		ThrottleRate:        100,
		ThrottleBurst:       200,
	}
	for _, e := range strings.Split(get("adminEmails", ""), ",") {
		if e = strings.TrimSpace(strings.ToLower(e)); e != "" {
			cfg.AdminEmails = append(cfg.AdminEmails, e)
		}
	}
	if cfg.Stage == "prod" {
		cfg.LogRetention = awslogs.RetentionDays_ONE_YEAR
		cfg.RemovalPolicy = awscdk.RemovalPolicy_RETAIN
	}
	for _, r := range cfg.Stage {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return Config{}, fmt.Errorf("stage %q: use lower-case letters, digits and dashes", cfg.Stage)
		}
	}
	if cfg.Architecture != ArchitectureARM64 && cfg.Architecture != ArchitectureX86_64 {
		return Config{}, fmt.Errorf("architecture %q: use %s or %s", cfg.Architecture, ArchitectureARM64, ArchitectureX86_64)
	}
	return cfg, nil
}
