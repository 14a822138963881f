package shop

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/internal/outbox"
)

// outboxPublisher is a service's <service>-outbox function on its table's
// stream.
type outboxPublisher struct {
	scope    constructs.Construct
	fn       *Function
	failures awssqs.Queue
}

// newOutboxPublisher deploys functions/outbox-publisher for service: it
// reads the table's stream (only inserts of outbox items reach it, through
// the mapping's filter), puts them on bus, and retries a failed record,
// bisecting batches to isolate it. A record that still fails after
// publishRetries attempts is skipped so it cannot hold up its shard; its
// position goes to a failure queue (alarmed) and the event itself stays in
// the table's outbox item for a week, from where an operator republishes
// it (docs/OPERATIONS.md).
func newOutboxPublisher(scope constructs.Construct, cfg Config, service string, table awsdynamodb.Table, bus awsevents.IEventBus) *outboxPublisher {
	fn := NewFunction(scope, cfg, FunctionSpec{
		Name: service + "-outbox", Package: "outbox-publisher", MemoryMB: 128, TimeoutSecs: 30,
	}, map[string]string{"EVENT_BUS_NAME": *bus.EventBusName(), "SERVICE_NAME": service})
	fn.Role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:       jsii.String("PublishEvents"),
		Actions:   jsii.Strings("events:PutEvents"),
		Resources: &[]*string{bus.EventBusArn()},
	}))
	failures := awssqs.NewQueue(scope, jsii.String("OutboxFailures"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	suppress(failures, "AwsSolutions-SQS3",
		"This queue is itself the failure destination of the outbox stream mapping; it has nowhere further to send.")
	fn.Lambda.AddEventSource(awslambdaeventsources.NewDynamoEventSource(table, &awslambdaeventsources.DynamoEventSourceProps{
		StartingPosition:        awslambda.StartingPosition_TRIM_HORIZON,
		BatchSize:               jsii.Number(10),
		BisectBatchOnError:      jsii.Bool(true),
		ReportBatchItemFailures: jsii.Bool(true),
		RetryAttempts:           jsii.Number(publishRetries),
		OnFailure:               awslambdaeventsources.NewSqsDlq(failures),
		Filters: &[]*map[string]interface{}{awslambda.FilterCriteria_Filter(&map[string]interface{}{
			"eventName": awslambda.FilterRule_IsEqual(jsii.String("INSERT")),
			"dynamodb": map[string]interface{}{
				"NewImage": map[string]interface{}{"type": map[string]interface{}{"S": awslambda.FilterRule_IsEqual(jsii.String(outbox.ItemType))}},
			},
		})},
	}))
	suppress(fn.Role, "AwsSolutions-IAM5",
		"dynamodb:ListStreams has no resource-level permissions; the stream read actions themselves are "+
			"granted on this service's table stream only.",
		"Resource::*")
	return &outboxPublisher{scope: scope, fn: fn, failures: failures}
}

// publishRetries bounds the attempts at one stream record: with bisection
// and backoff they span several minutes, enough for an EventBridge outage
// to pass.
const publishRetries = 50

// alarm raises an alarm when the publisher falls a minute behind the
// stream: events are waiting, or a record keeps failing.
func (o *outboxPublisher) alarm(topic awssns.ITopic) {
	age := o.fn.Lambda.Metric(jsii.String("IteratorAge"), &awscloudwatch.MetricOptions{
		Statistic: jsii.String("Maximum"), Period: awscdk.Duration_Minutes(jsii.Number(1)),
	})
	alarm := awscloudwatch.NewAlarm(o.scope, jsii.String("OutboxLagAlarm"), &awscloudwatch.AlarmProps{
		AlarmDescription:   jsii.String(o.fn.Spec.Name + ": events wait more than a minute to be published"),
		Metric:             age,
		Threshold:          jsii.Number(60000),
		EvaluationPeriods:  jsii.Number(3),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	alarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(topic))

	failed := awscloudwatch.NewAlarm(o.scope, jsii.String("OutboxFailuresAlarm"), &awscloudwatch.AlarmProps{
		AlarmDescription: jsii.String(o.fn.Spec.Name + ": events could not be published; republish them from the outbox items"),
		Metric: o.failures.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{
			Statistic: jsii.String("Maximum"), Period: awscdk.Duration_Minutes(jsii.Number(1)),
		}),
		Threshold:          jsii.Number(0),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	failed.AddAlarmAction(awscloudwatchactions.NewSnsAction(topic))
}
