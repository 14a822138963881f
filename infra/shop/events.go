package shop

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ConsumerProps configures a Consumer.
type ConsumerProps struct {
	Bus      awsevents.IEventBus
	Pattern  *awsevents.EventPattern // which events the consumer receives
	Function *Function               // the function processing the queue
	// BatchSize is the most messages per invocation (default 10).
	BatchSize float64
	// MaxReceiveCount is how many deliveries a message gets before it moves
	// to the dead-letter queue (default 5).
	MaxReceiveCount float64
	// MaxConcurrency bounds the concurrent invocations of the mapping, so a
	// burst of events cannot starve the API functions (default 5).
	MaxConcurrency float64
	AlarmTopic     awssns.ITopic
}

// Consumer is one event consumer: an EventBridge rule feeding its own SQS
// queue, a dead-letter queue behind it, the Lambda event source mapping
// with partial batch responses, and alarms on the dead-letter queue's depth
// and on the age of the oldest waiting message.
type Consumer struct {
	Queue           awssqs.Queue
	DeadLetterQueue awssqs.Queue
	Rule            awsevents.Rule
	Alarms          []awscloudwatch.Alarm
}

// NewConsumer creates a Consumer under scope.
func NewConsumer(scope constructs.Construct, id string, p ConsumerProps) *Consumer {
	c := constructs.NewConstruct(scope, jsii.String(id))
	if p.BatchSize == 0 {
		p.BatchSize = 10
	}
	if p.MaxReceiveCount == 0 {
		p.MaxReceiveCount = 5
	}
	if p.MaxConcurrency == 0 {
		p.MaxConcurrency = 5
	}
	dlq := awssqs.NewQueue(c, jsii.String("DeadLetterQueue"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	// The visibility timeout must exceed the function's timeout (AWS advises
	// six times) so a message is not redelivered while still being handled.
	fnTimeout := p.Function.Spec.TimeoutSecs
	if fnTimeout == 0 {
		fnTimeout = defaultTimeoutSecs
	}
	queue := awssqs.NewQueue(c, jsii.String("Queue"), &awssqs.QueueProps{
		Encryption:        awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		VisibilityTimeout: awscdk.Duration_Seconds(jsii.Number(6 * fnTimeout)),
		DeadLetterQueue:   &awssqs.DeadLetterQueue{Queue: dlq, MaxReceiveCount: jsii.Number(p.MaxReceiveCount)},
	})
	rule := awsevents.NewRule(c, jsii.String("Rule"), &awsevents.RuleProps{
		EventBus:     p.Bus,
		EventPattern: p.Pattern,
		Targets: &[]awsevents.IRuleTarget{awseventstargets.NewSqsQueue(queue, &awseventstargets.SqsQueueProps{
			// Events EventBridge cannot deliver to the queue land in the DLQ
			// too, where the same alarm sees them.
			DeadLetterQueue: dlq,
		})},
	})
	// The function sets the visibility of the messages that fail, so a
	// poison event reaches the dead-letter queue without waiting out the
	// visibility timeout maxReceiveCount times (internal/consumer.Redelivery).
	p.Function.Lambda.AddEnvironment(jsii.String("QUEUE_URL"), queue.QueueUrl(), nil)
	p.Function.Lambda.AddEventSource(awslambdaeventsources.NewSqsEventSource(queue, &awslambdaeventsources.SqsEventSourceProps{
		BatchSize:               jsii.Number(p.BatchSize),
		ReportBatchItemFailures: jsii.Bool(true),
		MaxConcurrency:          jsii.Number(p.MaxConcurrency),
	}))

	cons := &Consumer{Queue: queue, DeadLetterQueue: dlq, Rule: rule}
	action := awscloudwatchactions.NewSnsAction(p.AlarmTopic)
	for _, a := range []struct {
		id, what  string
		metric    awscloudwatch.Metric
		threshold float64
	}{
		{"DeadLettersAlarm", "messages in the dead-letter queue", dlq.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Statistic: jsii.String("Maximum"), Period: awscdk.Duration_Minutes(jsii.Number(1))}), 0},
		{"QueueAgeAlarm", "oldest message waiting more than 5 minutes", queue.MetricApproximateAgeOfOldestMessage(&awscloudwatch.MetricOptions{Statistic: jsii.String("Maximum"), Period: awscdk.Duration_Minutes(jsii.Number(1))}), 300},
	} {
		alarm := awscloudwatch.NewAlarm(c, jsii.String(a.id), &awscloudwatch.AlarmProps{
			AlarmDescription:   jsii.String(id + ": " + a.what),
			Metric:             a.metric,
			Threshold:          jsii.Number(a.threshold),
			EvaluationPeriods:  jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		alarm.AddAlarmAction(action)
		cons.Alarms = append(cons.Alarms, alarm)
	}
	return cons
}
