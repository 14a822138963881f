package shop

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/internal/metrics"
)

// Thresholds of the alarms on the functions' own metrics.
const (
	checkoutP99Millis      = 30_000 // checkout to CONFIRMED/CANCELLED, p99 over 15 minutes
	paymentFailuresPer5Min = 5      // gateway errors (not declines) in 5 minutes
)

// metricsNamespace is the CloudWatch namespace of the stage's own metrics
// (every function's METRICS_NAMESPACE), so that two stages in one account
// never mix their figures.
func metricsNamespace(cfg Config) string { return "goshop/" + cfg.Stage }

// breakers are the circuit breakers the functions run, by the service that
// records their state changes (internal/metrics names them).
var breakers = []struct{ service, name string }{
	{metrics.ServicePayments, metrics.BreakerPaymentGateway},
	{metrics.ServiceOrders, metrics.BreakerCatalogLookup},
	{metrics.ServiceCart, metrics.BreakerCatalogLookup},
	{metrics.ServiceDashboard, metrics.BreakerDashboardProfile},
	{metrics.ServiceDashboard, metrics.BreakerDashboardRecentOrders},
	{metrics.ServiceDashboard, metrics.BreakerDashboardRecommendations},
}

// addBusinessMonitoring adds the business dashboard and the alarms on the
// metrics the functions write themselves (CloudWatch Embedded Metric Format
// lines in their logs, internal/metrics: no API call; NewFunction gives each
// the stage's namespace): a breaker opening, checkout p99 duration, gateway
// failures and orders cancelled after a failed confirmation.
func (s *Shop) addBusinessMonitoring(cfg Config) {
	ns := metricsNamespace(cfg)
	metric := func(name, service, stat string, period float64, dims ...string) awscloudwatch.Metric {
		m := map[string]*string{"Service": jsii.String(service)}
		for i := 0; i+1 < len(dims); i += 2 {
			m[dims[i]] = jsii.String(dims[i+1])
		}
		label := name
		if len(dims) > 1 {
			label += " " + dims[len(dims)-1]
		}
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String(ns), MetricName: jsii.String(name), DimensionsMap: &m,
			Statistic: jsii.String(stat), Period: awscdk.Duration_Minutes(jsii.Number(period)), Label: jsii.String(label),
		})
	}
	action := awscloudwatchactions.NewSnsAction(s.Alarms.Topic)
	alarm := func(id, what string, m awscloudwatch.IMetric, threshold float64) {
		a := awscloudwatch.NewAlarm(s.Stack, jsii.String(id), &awscloudwatch.AlarmProps{
			AlarmDescription:   jsii.String(what + " (docs/OPERATIONS.md)"),
			Metric:             m,
			Threshold:          jsii.Number(threshold),
			EvaluationPeriods:  jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		a.AddAlarmAction(action)
		s.Alarms.Alarms = append(s.Alarms.Alarms, a)
	}

	// One alarm for every breaker (metric math over their BreakerOpened
	// counts, missing data as zero): the stack's resources are counted, and
	// the dashboard and the metric's Breaker dimension tell which opened.
	var opened []awscloudwatch.IMetric
	using := map[string]awscloudwatch.IMetric{}
	var terms []string
	for i, b := range breakers {
		m := metric(metrics.BreakerOpened, b.service, "Sum", 5, metrics.DimensionBreaker, b.name)
		opened = append(opened, m)
		id := fmt.Sprintf("b%d", i)
		using[id] = m
		terms = append(terms, "FILL("+id+", 0)")
	}
	anyOpened := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression: jsii.String(strings.Join(terms, " + ")), UsingMetrics: &using,
		Label: jsii.String("circuit breakers opened"), Period: awscdk.Duration_Minutes(jsii.Number(5)),
	})
	alarm("BreakerOpenedAlarm", "a circuit breaker opened: a dependency keeps failing; the dashboard "+
		"goshop-"+cfg.Stage+"-business and the metric's Breaker dimension say which", anyOpened, 0)
	alarm("CheckoutDurationAlarm", "checkout p99 duration from order to CONFIRMED over 30 s",
		metric(metrics.CheckoutDuration, metrics.ServiceOrders, "p99", 15, metrics.DimensionOutcome, metrics.OutcomeConfirmed), checkoutP99Millis)
	alarm("PaymentGatewayFailuresAlarm", "the payment gateway failed to charge more than 5 payments in 5 minutes (declines excluded)",
		metric(metrics.PaymentFailed, metrics.ServicePayments, "Sum", 5), paymentFailuresPer5Min)
	alarm("OrdersCancelledAfterChargeAlarm", "orders cancelled because confirming them failed after the charge: each was refunded",
		metric(metrics.OrderCancelled, metrics.ServiceOrders, "Sum", 5, metrics.DimensionReason, metrics.CancelConfirmFailed), 0)

	var cancelled, reservation []awscloudwatch.IMetric
	for _, r := range []string{metrics.CancelOutOfStock, metrics.CancelReservationFailed, metrics.CancelPaymentDeclined,
		metrics.CancelPaymentFailed, metrics.CancelConfirmFailed, metrics.CancelOther} {
		cancelled = append(cancelled, metric(metrics.OrderCancelled, metrics.ServiceOrders, "Sum", 5, metrics.DimensionReason, r))
	}
	for _, r := range []string{metrics.ReservationOutOfStock, metrics.ReservationUnknownProduct, metrics.ReservationInvalid, metrics.ReservationReleased} {
		reservation = append(reservation, metric(metrics.InventoryReservationFailed, metrics.ServiceCatalog, "Sum", 5, metrics.DimensionReason, r))
	}
	graph := func(title string, left ...awscloudwatch.IMetric) awscloudwatch.GraphWidget {
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{Title: jsii.String(title), Width: jsii.Number(12), Left: &left})
	}
	dash := awscloudwatch.NewDashboard(s.Stack, jsii.String("BusinessDashboard"), &awscloudwatch.DashboardProps{
		DashboardName: jsii.String("goshop-" + cfg.Stage + "-business"),
	})
	dash.AddWidgets(
		graph("orders created and confirmed",
			metric(metrics.OrderCreated, metrics.ServiceOrders, "Sum", 5), metric(metrics.OrderConfirmed, metrics.ServiceOrders, "Sum", 5)),
		graph("orders cancelled, by reason", cancelled...),
		graph("checkout duration (ms), order to CONFIRMED",
			metric(metrics.CheckoutDuration, metrics.ServiceOrders, "p50", 5, metrics.DimensionOutcome, metrics.OutcomeConfirmed),
			metric(metrics.CheckoutDuration, metrics.ServiceOrders, "p99", 5, metrics.DimensionOutcome, metrics.OutcomeConfirmed)),
		graph("payments declined and failed",
			metric(metrics.PaymentDeclined, metrics.ServicePayments, "Sum", 5), metric(metrics.PaymentFailed, metrics.ServicePayments, "Sum", 5)),
		graph("inventory reservations failed, by reason", reservation...),
		graph("circuit breakers opened", opened...),
	)
}
