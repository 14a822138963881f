package shop

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/internal/health/healthddb"
	"github.com/goshop-dev/goshop/internal/outbox"
	"github.com/goshop-dev/goshop/internal/routes"
)

// TableSource is a DynamoDB adapter's table declaration.
type TableSource func(name string) *dynamodb.CreateTableInput

// Token settings shared by the login function and the authorizer.
const (
	tokenIssuer   = "goshop"
	tokenAudience = "goshop-api"
	tokenTTL      = "1h"
)

// Shop is the synthesized system: every service, the API and the alarms.
type Shop struct {
	Stack     awscdk.Stack
	Config    Config
	Tables    map[string]awsdynamodb.Table // by service name
	Functions map[string]*Function         // by function name
	API       *API
	Bus       awsevents.EventBus
	Alarms    *Monitoring
	Saga      awsstepfunctions.StateMachine
	outboxes  []*outboxPublisher
}

// NewStack builds the whole shop in one stack.
func NewStack(scope constructs.Construct, id string, cfg Config, props *awscdk.StackProps) *Shop {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	s := &Shop{Stack: stack, Config: cfg, Tables: map[string]awsdynamodb.Table{}, Functions: map[string]*Function{}}

	tokenKey := awssecretsmanager.NewSecret(stack, jsii.String("TokenSigningKey"), &awssecretsmanager.SecretProps{
		Description: jsii.String("HMAC key signing goshop access tokens"),
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			PasswordLength:     jsii.Number(64),
			ExcludePunctuation: jsii.Bool(true),
		},
		RemovalPolicy: cfg.RemovalPolicy,
	})
	suppress(tokenKey, "AwsSolutions-SMG4",
		"The key signs one-hour access tokens. Scheduled rotation would cut every session at a random "+
			"moment and needs a rotation function; the key is rotated on demand instead by putting a new "+
			"secret value (docs/DEPLOY.md), after which tokens signed with the old key expire within the hour.")

	s.Bus = awsevents.NewEventBus(stack, jsii.String("EventBus"), &awsevents.EventBusProps{
		EventBusName: jsii.String("goshop-" + cfg.Stage),
		Description:  jsii.String("goshop domain events (orders, payments, inventory, users)"),
	})
	for _, svc := range Services {
		s.addService(svc, tokenKey)
	}
	s.wireInvocations()
	s.addSaga()
	s.API = newAPI(stack, cfg, s.Functions)
	s.Alarms = newMonitoring(stack, cfg, s)
	s.addBusinessMonitoring(cfg)
	for _, o := range s.outboxes {
		o.alarm(s.Alarms.Topic)
	}
	s.addConsumers()
	sagaFailures := awscloudwatch.NewAlarm(stack, jsii.String("CheckoutSagaFailedAlarm"), &awscloudwatch.AlarmProps{
		AlarmDescription: jsii.String("checkout saga executions failed: a compensation kept failing, or the saga timed out; " +
			"the order may hold stock or a charge (docs/OPERATIONS.md)"),
		Metric:             s.Saga.MetricFailed(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(5))}),
		Threshold:          jsii.Number(0),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	sagaFailures.AddAlarmAction(awscloudwatchactions.NewSnsAction(s.Alarms.Topic))
	if cfg.Schemas {
		newSchemaRegistry(stack, cfg)
	}

	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: s.API.Rest.Url(), Description: jsii.String("Base URL of the REST API")})
	awscdk.NewCfnOutput(stack, jsii.String("CheckoutStateMachineArn"), &awscdk.CfnOutputProps{Value: s.Saga.StateMachineArn(), Description: jsii.String("The checkout saga")})
	awscdk.NewCfnOutput(stack, jsii.String("EventBusName"), &awscdk.CfnOutputProps{Value: s.Bus.EventBusName(), Description: jsii.String("EventBridge bus of the domain events")})
	for _, svc := range Services {
		if table, ok := s.Tables[svc.Name]; ok {
			awscdk.NewCfnOutput(stack, jsii.String(exportName(svc.Name)+"TableName"), &awscdk.CfnOutputProps{
				Value: table.TableName(), Description: jsii.String("DynamoDB table of the " + svc.Name + " service"),
			})
		}
	}
	return s
}

func (s *Shop) addService(svc ServiceSpec, tokenKey awssecretsmanager.Secret) {
	scope := constructs.NewConstruct(s.Stack, jsii.String(exportName(svc.Name)))
	var table awsdynamodb.Table
	if svc.Table != nil {
		opts := svc.TableOpts
		if svc.Outbox {
			opts.TTLAttribute, opts.Stream = outbox.TTLAttribute, true
		}
		table = newTable(scope, "Table", s.Config, svc.Table(svc.Name), opts)
		s.Tables[svc.Name] = table
	}
	if svc.Outbox {
		o := newOutboxPublisher(scope, s.Config, svc.Name, table, s.Bus)
		s.Functions[o.fn.Spec.Name] = o.fn
		s.outboxes = append(s.outboxes, o)
	}
	for _, spec := range svc.Functions {
		if (len(spec.Table) > 0 || spec.Health) && table == nil {
			panic(fmt.Sprintf("function %s asks for table actions but service %s has no table", spec.Name, svc.Name))
		}
		env := map[string]string{}
		if len(spec.Table) > 0 || spec.Health {
			env[svc.TableEnv] = *table.TableName()
		}
		if spec.TokenKey {
			env["TOKEN_SECRET_ARN"] = *tokenKey.SecretArn()
			env["TOKEN_ISSUER"], env["TOKEN_AUDIENCE"], env["TOKEN_TTL"] = tokenIssuer, tokenAudience, tokenTTL
		}
		if isRoute(spec.Name) {
			env["CORS_ALLOW_ORIGIN"] = s.Config.CORSOrigin
		}
		if spec.AdminEmails {
			env["ADMIN_EMAILS"] = strings.Join(s.Config.AdminEmails, ",")
		}
		fn := NewFunction(scope, s.Config, spec, env)
		if len(spec.Table) > 0 {
			fn.Role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("OwnTable"),
				Actions:   jsii.Strings(spec.Table...),
				Resources: tableResources(table, svc.Table(svc.Name)),
			}))
		}
		if spec.Health {
			fn.Role.AddToPolicy(probeStatement(table))
		}
		if spec.TokenKey {
			fn.Role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("ReadTokenKey"),
				Actions:   jsii.Strings("secretsmanager:GetSecretValue"),
				Resources: &[]*string{tokenKey.SecretArn()},
			}))
		}
		s.Functions[spec.Name] = fn
	}
}

// probeStatement lets a health function read the probe item of table and
// nothing else: GetItem, an action the service's functions already have, on
// the table alone (no index), limited by dynamodb:LeadingKeys to the probe
// partition, which holds no item. It needs no dynamodb:DescribeTable, which
// would show the table's indexes, size and item count, and would go through
// DynamoDB's control plane (internal/health/healthddb).
func probeStatement(table awsdynamodb.Table) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("ProbeOwnTable"),
		Actions:   jsii.Strings(getItem),
		Resources: &[]*string{table.TableArn()},
		Conditions: &map[string]interface{}{
			"ForAllValues:StringEquals": map[string]interface{}{
				"dynamodb:LeadingKeys": []interface{}{healthddb.ProbePartition},
			},
		},
	})
}

// tableResources is the table ARN and the ARN of each of its indexes, named
// one by one rather than with a wildcard.
func tableResources(table awsdynamodb.Table, in *dynamodb.CreateTableInput) *[]*string {
	arns := []*string{table.TableArn()}
	for _, gsi := range in.GlobalSecondaryIndexes {
		arns = append(arns, jsii.String(*table.TableArn()+"/index/"+*gsi.IndexName))
	}
	return &arns
}

// wireInvocations lets each function invoke the functions it names, and
// only those.
func (s *Shop) wireInvocations() {
	names := make([]string, 0, len(s.Functions))
	for name := range s.Functions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fn := s.Functions[name]
		for _, target := range fn.Spec.Invokes {
			callee, ok := s.Functions[target]
			if !ok {
				panic(fmt.Sprintf("function %s invokes unknown function %s", name, target))
			}
			fn.Lambda.AddEnvironment(jsii.String(envName(target)+"_FUNCTION"), callee.Lambda.FunctionName(), nil)
			fn.Role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("Invoke" + exportName(target)),
				Actions:   jsii.Strings("lambda:InvokeFunction"),
				Resources: &[]*string{callee.Lambda.FunctionArn()},
			}))
		}
	}
}

// addSaga builds the checkout saga over its task functions and lets the
// functions that start it do so, and nothing else.
func (s *Shop) addSaga() {
	s.Saga = NewCheckoutSaga(s.Stack, "CheckoutSaga", s.Config, SagaTasks{
		Reserve: s.Functions["catalog-reserve"].Lambda,
		Process: s.Functions["payments-process"].Lambda,
		Confirm: s.Functions["orders-confirm"].Lambda,
		Refund:  s.Functions["payments-refund"].Lambda,
		Release: s.Functions["catalog-release"].Lambda,
		Cancel:  s.Functions["orders-cancel"].Lambda,
	})
	for _, svc := range Services {
		for _, spec := range svc.Functions {
			if !spec.StartsSaga {
				continue
			}
			fn := s.Functions[spec.Name]
			fn.Lambda.AddEnvironment(jsii.String("CHECKOUT_STATE_MACHINE_ARN"), s.Saga.StateMachineArn(), nil)
			fn.Role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Sid:       jsii.String("StartCheckoutSaga"),
				Actions:   jsii.Strings("states:StartExecution"),
				Resources: &[]*string{s.Saga.StateMachineArn()},
			}))
		}
	}
}

// addConsumers gives every function that consumes events its own queue fed
// by a rule on the bus.
func (s *Shop) addConsumers() {
	for _, svc := range Services {
		for _, spec := range svc.Functions {
			if spec.Consumes == nil {
				continue
			}
			fn := s.Functions[spec.Name]
			name := exportName(spec.Name)
			cons := NewConsumer(s.Stack, name+"Consumer", ConsumerProps{
				Bus: s.Bus,
				Pattern: &awsevents.EventPattern{
					Source:     jsii.Strings(spec.Consumes.Sources...),
					DetailType: jsii.Strings(spec.Consumes.DetailTypes...),
				},
				Function:   fn,
				AlarmTopic: s.Alarms.Topic,
			})
			// Operators redrive and integration suites inspect these queues.
			awscdk.NewCfnOutput(s.Stack, jsii.String(name+"QueueUrl"), &awscdk.CfnOutputProps{
				Value: cons.Queue.QueueUrl(), Description: jsii.String("Queue of the " + spec.Name + " consumer"),
			})
			awscdk.NewCfnOutput(s.Stack, jsii.String(name+"DeadLetterQueueUrl"), &awscdk.CfnOutputProps{
				Value: cons.DeadLetterQueue.QueueUrl(), Description: jsii.String("Dead-letter queue of the " + spec.Name + " consumer"),
			})
		}
	}
}

// isRoute reports whether function serves a route of the API.
func isRoute(function string) bool {
	for _, r := range routes.All {
		if r.Function == function {
			return true
		}
	}
	return false
}

// exportName turns "catalog-lookup" into "CatalogLookup".
func exportName(name string) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// envName turns "catalog-lookup" into "CATALOG_LOOKUP".
func envName(name string) string {
	return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}
