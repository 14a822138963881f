package shop_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/infra/shop"
)

// sagaDefinition synthesizes the saga in a stack of its own, over stand-in
// functions, and returns its definition with every token resolved to a
// plausible ARN.
func sagaDefinition(t *testing.T) (asl map[string]interface{}, raw string) {
	t.Helper()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("saga-test"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-1")},
	})
	dir := t.TempDir()
	fn := func(name string) awslambda.IFunction {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		cfg := shop.Config{Stage: "test", BuildDir: dir, LogRetention: awslogs.RetentionDays_ONE_WEEK, RemovalPolicy: awscdk.RemovalPolicy_DESTROY}
		return shop.NewFunction(stack, cfg, shop.FunctionSpec{Name: name}, nil).Lambda
	}
	cfg := shop.Config{Stage: "test", LogRetention: awslogs.RetentionDays_ONE_WEEK, RemovalPolicy: awscdk.RemovalPolicy_DESTROY}
	shop.NewCheckoutSaga(stack, "Checkout", cfg, shop.SagaTasks{
		Reserve: fn("catalog-reserve"), Process: fn("payments-process"), Confirm: fn("orders-confirm"),
		Refund: fn("payments-refund"), Release: fn("catalog-release"), Cancel: fn("orders-cancel"),
	})
	template := *assertions.Template_FromStack(stack, nil).ToJSON()
	s := &synth{raw: template}
	machines := s.resources("AWS::StepFunctions::StateMachine")
	if len(machines) != 1 {
		t.Fatalf("%d state machines", len(machines))
	}
	for _, m := range machines {
		raw = resolve(t, props(m)["DefinitionString"])
	}
	if err := json.Unmarshal([]byte(raw), &asl); err != nil {
		t.Fatalf("definition is not JSON: %v\n%s", err, raw)
	}
	return asl, raw
}

// resolve renders a CloudFormation string expression (Fn::Join of literals,
// Fn::GetAtt and Ref) with stand-in values.
func resolve(t *testing.T, v interface{}) string {
	t.Helper()
	switch x := v.(type) {
	case string:
		return x
	case map[string]interface{}:
		if join, ok := x["Fn::Join"].([]interface{}); ok {
			var parts []string
			for _, p := range join[1].([]interface{}) {
				parts = append(parts, resolve(t, p))
			}
			return strings.Join(parts, join[0].(string))
		}
		if ga, ok := x["Fn::GetAtt"].([]interface{}); ok {
			return fmt.Sprintf("arn:aws:lambda:eu-west-1:123456789012:function:%v", ga[0])
		}
		if ref, ok := x["Ref"].(string); ok {
			return map[string]string{"AWS::Partition": "aws", "AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012"}[ref]
		}
	}
	t.Fatalf("cannot resolve %v", v)
	return ""
}

func TestSagaDefinitionIsValidASL(t *testing.T) {
	_, raw := sagaDefinition(t)
	path := filepath.Join(t.TempDir(), "saga.asl.json")
	if err := os.WriteFile(path, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("npx", "--no-install", "asl-validator", "--json-path", path)
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("asl-validator (from node_modules; run `npm ci`) refused the definition: %v\n%s", err, out)
	}
}

type state struct {
	Type       string
	Next       string
	End        bool
	ResultPath string
	Result     interface{}
	Retry      []struct {
		ErrorEquals    []string
		JitterStrategy string
		MaxAttempts    int
	}
	Catch []struct {
		ErrorEquals []string
		Next        string
	}
}

func sagaStates(t *testing.T) (string, map[string]state) {
	t.Helper()
	asl, _ := sagaDefinition(t)
	b, _ := json.Marshal(asl["States"])
	var states map[string]state
	if err := json.Unmarshal(b, &states); err != nil {
		t.Fatal(err)
	}
	return asl["StartAt"].(string), states
}

// path follows Next from start to a terminal state.
func path(states map[string]state, start string) []string {
	var out []string
	for name := start; name != ""; name = states[name].Next {
		out = append(out, name)
		if len(out) > 20 {
			break
		}
	}
	return out
}

func TestSagaCompensatesInReverseOrder(t *testing.T) {
	start, states := sagaStates(t)
	if diff := cmp.Diff([]string{"ReserveInventory", "ProcessPayment", "ConfirmOrder", "Confirmed"}, path(states, start)); diff != "" {
		t.Errorf("happy path (-want +got):\n%s", diff)
	}
	catchOf := func(task, errorName string) string {
		for _, c := range states[task].Catch {
			for _, e := range c.ErrorEquals {
				if e == errorName {
					return c.Next
				}
			}
		}
		t.Errorf("%s catches no %s", task, errorName)
		return ""
	}
	tests := []struct {
		task, errorName string
		want            []string
	}{
		{"ReserveInventory", "OutOfStock", []string{"OutOfStock", "CancelOrder", "Cancelled"}},
		{"ReserveInventory", "States.ALL", []string{"ReservationFailed", "ReleaseInventory", "CancelOrder", "Cancelled"}},
		{"ProcessPayment", "PaymentDeclined", []string{"PaymentDeclined", "ReleaseInventory", "CancelOrder", "Cancelled"}},
		{"ProcessPayment", "States.ALL", []string{"PaymentFailed", "RefundPayment", "ReleaseInventory", "CancelOrder", "Cancelled"}},
		{"ConfirmOrder", "States.ALL", []string{"ConfirmFailed", "RefundPayment", "ReleaseInventory", "CancelOrder", "Cancelled"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, path(states, catchOf(tt.task, tt.errorName))); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tt.task, tt.errorName, diff)
		}
	}
	reasons := map[string]string{"OutOfStock": "out_of_stock", "ReservationFailed": "reservation_failed", "PaymentDeclined": "payment_declined", "PaymentFailed": "payment_failed", "ConfirmFailed": "confirm_failed"}
	for name, want := range reasons {
		if st := states[name]; st.Type != "Pass" || st.Result != want || st.ResultPath != "$.cancelReason" {
			t.Errorf("%s = %+v, want a Pass setting $.cancelReason to %q", name, st, want)
		}
	}
}

func TestSagaTasksCatchEverythingAndNeverRetryBusinessErrors(t *testing.T) {
	_, states := sagaStates(t)
	business := map[string]bool{"OutOfStock": true, "PaymentDeclined": true, "PaymentFailed": true, "OrderNotConfirmable": true}
	forward := map[string]bool{"ReserveInventory": true, "ProcessPayment": true, "ConfirmOrder": true}
	tasks := 0
	for name, st := range states {
		if st.Type != "Task" {
			continue
		}
		tasks++
		catchesAll := false
		for _, c := range st.Catch {
			for _, e := range c.ErrorEquals {
				catchesAll = catchesAll || e == "States.ALL"
			}
		}
		if !catchesAll {
			t.Errorf("%s has no Catch for States.ALL", name)
		}
		if len(st.Retry) == 0 {
			t.Errorf("%s never retries", name)
		}
		for _, r := range st.Retry {
			if r.JitterStrategy != "FULL" {
				t.Errorf("%s retries without full jitter", name)
			}
			for _, e := range r.ErrorEquals {
				if business[e] || (forward[name] && (e == "States.ALL" || e == "States.TaskFailed")) {
					t.Errorf("%s retries %s, a business error or a catch-all", name, e)
				}
			}
		}
	}
	if tasks != 6 {
		t.Fatalf("%d task states, want 6", tasks)
	}
}

func TestStackRunsTheSagaOverItsTaskFunctions(t *testing.T) {
	s := load(t)
	names := functionNames(t, s)
	machines := s.resources("AWS::StepFunctions::StateMachine")
	if len(machines) != 1 {
		t.Fatalf("%d state machines, want the checkout saga", len(machines))
	}
	for _, m := range machines {
		def := props(m)["DefinitionString"]
		var invoked []string
		for _, target := range getAttTargets(def) {
			if name, ok := names[target]; ok {
				invoked = append(invoked, name)
			}
		}
		want := []string{"catalog-release", "catalog-reserve", "orders-cancel", "orders-confirm", "payments-process", "payments-refund"}
		sort.Strings(invoked)
		if diff := cmp.Diff(want, invoked); diff != "" {
			t.Errorf("functions the saga invokes (-want +got):\n%s", diff)
		}
		logging, _ := props(m)["LoggingConfiguration"].(map[string]interface{})
		if logging["IncludeExecutionData"] != false || logging["Level"] != "ALL" {
			t.Errorf("saga logging %v: want every event, without execution data (it holds the payment token)", logging)
		}
	}
	// Only orders-checkout may start executions.
	for _, st := range statements(s) {
		for _, a := range st.actions() {
			if a == "states:StartExecution" && !strings.Contains(st.where, "orderscheckout") {
				t.Errorf("%s may start executions", st.where)
			}
		}
	}
}
