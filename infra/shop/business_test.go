package shop_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/internal/metrics"
)

// TestFunctionsWriteMetricsToTheStageNamespace checks that every function
// is told the namespace of its stage's metrics.
func TestFunctionsWriteMetricsToTheStageNamespace(t *testing.T) {
	s := load(t)
	fns := s.resources("AWS::Lambda::Function")
	for id, fn := range fns {
		env, _ := props(fn)["Environment"].(map[string]interface{})
		vars, _ := env["Variables"].(map[string]interface{})
		if got := fmt.Sprint(vars["METRICS_NAMESPACE"]); got != "goshop/test" {
			t.Errorf("%s: METRICS_NAMESPACE %q, want goshop/test", id, got)
		}
	}
	if len(fns) < 30 {
		t.Fatalf("only %d functions", len(fns))
	}
}

// TestAlarmsOnTheFunctionsMetrics checks the alarms that watch the metrics
// the functions write themselves, all on the stage's namespace and
// notifying the alarm topic: one over every circuit breaker, and the
// checkout, gateway and cancellation alarms.
func TestAlarmsOnTheFunctionsMetrics(t *testing.T) {
	s := load(t)
	type key struct{ metric, dims string }
	found := map[key]bool{}
	record := func(id string, m map[string]interface{}) {
		if m["Namespace"] != "goshop/test" {
			return
		}
		var dims []string
		for _, d := range m["Dimensions"].([]interface{}) {
			dm := d.(map[string]interface{})
			dims = append(dims, fmt.Sprintf("%s=%s", dm["Name"], dm["Value"]))
		}
		sort.Strings(dims)
		found[key{fmt.Sprint(m["MetricName"]), strings.Join(dims, ",")}] = true
	}
	for id, a := range s.resources("AWS::CloudWatch::Alarm") {
		p := props(a)
		if p["Namespace"] == "goshop/test" {
			record(id, p)
		}
		for _, q := range asList(p["Metrics"]) {
			stat, _ := q.(map[string]interface{})["MetricStat"].(map[string]interface{})
			if m, ok := stat["Metric"].(map[string]interface{}); ok {
				record(id, m)
			}
		}
		if p["Namespace"] == "goshop/test" || len(asList(p["Metrics"])) > 0 {
			if actions, _ := p["AlarmActions"].([]interface{}); len(actions) != 1 {
				t.Errorf("%s: alarm actions %v, want the alarm topic", id, p["AlarmActions"])
			}
		}
	}
	want := []key{
		{metrics.BreakerOpened, "Breaker=payment-gateway,Service=payments"},
		{metrics.BreakerOpened, "Breaker=catalog-lookup,Service=orders"},
		{metrics.BreakerOpened, "Breaker=catalog-lookup,Service=cart"},
		{metrics.BreakerOpened, "Breaker=dashboard-profile,Service=dashboard"},
		{metrics.BreakerOpened, "Breaker=dashboard-recentOrders,Service=dashboard"},
		{metrics.BreakerOpened, "Breaker=dashboard-recommendations,Service=dashboard"},
		{metrics.CheckoutDuration, "Outcome=confirmed,Service=orders"},
		{metrics.PaymentFailed, "Service=payments"},
		{metrics.OrderCancelled, "Reason=confirm_failed,Service=orders"},
	}
	for _, k := range want {
		if !found[k] {
			t.Errorf("no alarm on %s with %s; have %v", k.metric, k.dims, found)
		}
	}
	if len(s.resources("AWS::CloudWatch::Dashboard")) < 2 {
		t.Error("no business dashboard")
	}
}

func asList(v interface{}) []interface{} {
	l, _ := v.([]interface{})
	return l
}
