package shop

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// PackageMetadataKey is the template Metadata key naming the Go package a
// function is built from, so that a local runtime can build it for the host
// from the template alone.
const PackageMetadataKey = "goshop:package"

// FunctionMetadataKey is the template Metadata key naming the function:
// several functions can be built from one package.
const FunctionMetadataKey = "goshop:function"

// Function defaults: enough memory (and so CPU) for a Go handler to start
// fast; a timeout well below API Gateway's 29 seconds.
const (
	defaultMemoryMB    = 256
	defaultTimeoutSecs = 10
)

// FunctionSpec describes one Lambda function of a service and what it may
// touch; the stack turns each field into environment variables and into
// policy statements on those resources alone.
type FunctionSpec struct {
	Name        string        // the function's name, e.g. "users-register"
	Package     string        // folder under functions/ it is built from; defaults to Name
	MemoryMB    float64       // default 256
	TimeoutSecs float64       // default 10
	Table       []string      // DynamoDB actions on the service's own table and its indexes
	TokenKey    bool          // reads the token signing key (TOKEN_SECRET_ARN and the token settings)
	AdminEmails bool          // receives ADMIN_EMAILS
	Invokes     []string      // functions it invokes directly; each gets <NAME>_FUNCTION
	Consumes    *Subscription // events it consumes through its own queue
	StartsSaga  bool          // starts checkout saga executions (CHECKOUT_STATE_MACHINE_ARN)
	// Health marks the service's health function (internal/health): it
	// gets the table's name and may read the probe partition of the table
	// alone (healthddb.ProbePartition), and has no per-operation alarms.
	Health bool
	// Reserved is the function's reserved concurrency when the stage turns
	// reservations on (Config.ReservedConcurrency): both a guarantee and a
	// cap, for the functions whose burst must be bounded across all their
	// instances. 0: none.
	Reserved float64
}

// Subscription selects the events a consumer receives from the bus.
type Subscription struct {
	Sources     []string
	DetailTypes []string
}

// Function is a deployed function with its own role.
type Function struct {
	Spec   FunctionSpec
	Lambda awslambda.Function
	Role   awsiam.Role
}

// NewFunction creates the function, its log group with retention, and a role
// that can write only to that log group and send traces. Callers add the
// statements for the resources the function uses.
func NewFunction(scope constructs.Construct, cfg Config, spec FunctionSpec, env map[string]string) *Function {
	c := constructs.NewConstruct(scope, jsii.String(spec.Name))
	logGroup := awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{
		Retention:     cfg.LogRetention,
		RemovalPolicy: cfg.RemovalPolicy,
	})
	role := awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Runs the " + spec.Name + " function"),
	})
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("WriteOwnLogs"),
		Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: jsii.Strings(*logGroup.LogGroupArn() + ":*"),
	}))
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("SendTraces"),
		Actions:   jsii.Strings("xray:PutTraceSegments", "xray:PutTelemetryRecords"),
		Resources: jsii.Strings("*"),
	}))
	suppress(role, "AwsSolutions-IAM5",
		"Lambda names the log streams it creates inside the function's own log group, so the "+
			"statement names that group and lets any stream in it be written.",
		`/^Resource::<.*Logs[0-9A-F]{8}\.Arn>:\*$/`)
	suppress(role, "AwsSolutions-IAM5",
		"xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions; "+
			"AWS documents Resource \"*\" for them.",
		"Resource::*")

	memory, timeout := spec.MemoryMB, spec.TimeoutSecs
	if memory == 0 {
		memory = defaultMemoryMB
	}
	if timeout == 0 {
		timeout = defaultTimeoutSecs
	}
	vars := map[string]*string{"LOG_LEVEL": jsii.String("INFO"), "METRICS_NAMESPACE": jsii.String(metricsNamespace(cfg))}
	for k, v := range env {
		vars[k] = jsii.String(v)
	}
	fn := awslambda.NewFunction(c, jsii.String("Function"), &awslambda.FunctionProps{
		Description:  jsii.String("goshop " + spec.Name),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: cfg.lambdaArchitecture(),
		Handler:      jsii.String("bootstrap"),
		Code:         awslambda.Code_FromAsset(jsii.String(cfg.BuildDir+"/"+spec.pkg()), nil),
		MemorySize:   jsii.Number(memory),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(timeout)),
		Tracing:      awslambda.Tracing_ACTIVE,
		LogGroup:     logGroup,
		Role:         role,
		Environment:  &vars,
	})
	if cfg.ReservedConcurrency && spec.Reserved > 0 {
		fn.Node().DefaultChild().(awslambda.CfnFunction).SetReservedConcurrentExecutions(jsii.Number(spec.Reserved))
	}
	cfn := fn.Node().DefaultChild().(awscdk.CfnResource)
	cfn.AddMetadata(jsii.String(PackageMetadataKey), jsii.String("./functions/"+spec.pkg()))
	cfn.AddMetadata(jsii.String(FunctionMetadataKey), jsii.String(spec.Name))
	return &Function{Spec: spec, Lambda: fn, Role: role}
}

// lambdaArchitecture is the configured instruction set; arm64 unless
// x86_64 was asked for.
func (c Config) lambdaArchitecture() awslambda.Architecture {
	if c.Architecture == ArchitectureX86_64 {
		return awslambda.Architecture_X86_64()
	}
	return awslambda.Architecture_ARM_64()
}

func (s FunctionSpec) pkg() string {
	if s.Package != "" {
		return s.Package
	}
	return s.Name
}
