package shop

import (
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/internal/routes"
)

// Alarm thresholds of the public operations.
const (
	errorRatePercent = 1.0  // errors per 100 invocations over 5 minutes
	p99LatencyMillis = 1000 // p99 duration over 5 minutes
)

// Monitoring holds the alarm topic, the dashboards and the alarms.
type Monitoring struct {
	Topic      awssns.Topic
	Dashboards map[string]awscloudwatch.Dashboard // by service
	Alarms     []awscloudwatch.Alarm
}

// newMonitoring creates one dashboard per service (invocations, errors, p99
// duration and throttles of each function) and, for every public
// operation but the health checks, an error-rate alarm and a p99 latency
// alarm notifying the alarm topic.
func newMonitoring(stack awscdk.Stack, cfg Config, s *Shop) *Monitoring {
	topic := awssns.NewTopic(stack, jsii.String("AlarmTopic"), &awssns.TopicProps{
		DisplayName: jsii.String("goshop " + cfg.Stage + " alarms"),
		EnforceSSL:  jsii.Bool(true),
		MasterKey:   awskms.Alias_FromAliasName(stack, jsii.String("SnsManagedKey"), jsii.String("alias/aws/sns")),
	})
	if cfg.AlarmEmail != "" {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(cfg.AlarmEmail), nil))
	}
	m := &Monitoring{Topic: topic, Dashboards: map[string]awscloudwatch.Dashboard{}}
	public := map[string]bool{}
	for _, r := range routes.All {
		public[r.Function] = true
	}
	period := awscdk.Duration_Minutes(jsii.Number(5))
	action := awscloudwatchactions.NewSnsAction(topic)

	for _, svc := range Services {
		dash := awscloudwatch.NewDashboard(stack, jsii.String(exportName(svc.Name)+"Dashboard"), &awscloudwatch.DashboardProps{
			DashboardName: jsii.String("goshop-" + cfg.Stage + "-" + svc.Name),
		})
		m.Dashboards[svc.Name] = dash
		names := make([]string, 0, len(svc.Functions))
		for _, f := range svc.Functions {
			names = append(names, f.Name)
		}
		sort.Strings(names)
		for _, name := range names {
			fn := s.Functions[name].Lambda
			p99 := fn.MetricDuration(&awscloudwatch.MetricOptions{Statistic: jsii.String("p99"), Period: period})
			dash.AddWidgets(
				awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
					Title: jsii.String(name + ": invocations, errors, throttles"),
					Width: jsii.Number(12),
					Left: &[]awscloudwatch.IMetric{
						fn.MetricInvocations(&awscloudwatch.MetricOptions{Period: period}),
						fn.MetricErrors(&awscloudwatch.MetricOptions{Period: period}),
						fn.MetricThrottles(&awscloudwatch.MetricOptions{Period: period}),
					},
				}),
				awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
					Title: jsii.String(name + ": p99 duration"),
					Width: jsii.Number(12),
					Left:  &[]awscloudwatch.IMetric{p99},
				}),
			)
			// A health function has no error-rate or p99 alarm: a 503 from it
			// is the signal itself, for whoever polls it (a canary, a
			// failover check), and its function errors would only repeat
			// the alarms of the operations it reports on. Two alarms per
			// service are also resources the stack's 500 cannot spare.
			if !public[name] || s.Functions[name].Spec.Health {
				continue
			}
			errorRate := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
				Expression: jsii.String("IF(invocations > 0, 100 * errors / invocations, 0)"),
				UsingMetrics: &map[string]awscloudwatch.IMetric{
					"errors":      fn.MetricErrors(&awscloudwatch.MetricOptions{Period: period}),
					"invocations": fn.MetricInvocations(&awscloudwatch.MetricOptions{Period: period}),
				},
				Period: period,
				Label:  jsii.String(name + " error rate (%)"),
			})
			for _, a := range []struct {
				id, what  string
				metric    awscloudwatch.IMetric
				threshold float64
			}{
				{"ErrorRate", "error rate above 1%", errorRate, errorRatePercent},
				{"P99Latency", "p99 latency above 1s", p99, p99LatencyMillis},
			} {
				alarm := awscloudwatch.NewAlarm(stack, jsii.String(exportName(name)+a.id+"Alarm"), &awscloudwatch.AlarmProps{
					AlarmDescription:   jsii.String(name + ": " + a.what + " for 3 of the last 5 periods of 5 minutes"),
					Metric:             a.metric,
					Threshold:          jsii.Number(a.threshold),
					EvaluationPeriods:  jsii.Number(5),
					DatapointsToAlarm:  jsii.Number(3),
					ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
					TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
				})
				alarm.AddAlarmAction(action)
				m.Alarms = append(m.Alarms, alarm)
			}
		}
	}
	return m
}
