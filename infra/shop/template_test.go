package shop_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/api"
	"github.com/goshop-dev/goshop/infra/shop"
	"github.com/goshop-dev/goshop/internal/routes"
)

// getAttTargets returns the logical ids that v refers to through Fn::GetAtt
// or Ref, anywhere inside it.
func getAttTargets(v interface{}) []string {
	var out []string
	var walk func(interface{})
	walk = func(v interface{}) {
		switch x := v.(type) {
		case map[string]interface{}:
			if ga, ok := x["Fn::GetAtt"].([]interface{}); ok && len(ga) > 0 {
				out = append(out, fmt.Sprint(ga[0]))
			}
			if ref, ok := x["Ref"].(string); ok {
				out = append(out, ref)
			}
			for _, child := range x {
				walk(child)
			}
		case []interface{}:
			for _, child := range x {
				walk(child)
			}
		}
	}
	walk(v)
	return out
}

// functionNames maps each Lambda function's logical id to its function
// name, read from the template metadata.
func functionNames(t *testing.T, s *synth) map[string]string {
	t.Helper()
	names := map[string]string{}
	for id, res := range s.resources("AWS::Lambda::Function") {
		meta, _ := res["Metadata"].(map[string]interface{})
		pkg, _ := meta[shop.PackageMetadataKey].(string)
		name, _ := meta[shop.FunctionMetadataKey].(string)
		if !strings.HasPrefix(pkg, "./functions/") || name == "" {
			t.Errorf("function %s lacks its package or name metadata: %v", id, meta)
			continue
		}
		if _, err := os.Stat(filepath.Join("..", "..", pkg, "main.go")); err != nil {
			t.Errorf("function %s: package %s has no main.go", name, pkg)
		}
		names[id] = name
	}
	return names
}

// serviceOf maps every function the stack deploys to its service: the
// functions of each ServiceSpec and its outbox publisher.
func serviceOf() map[string]string {
	out := map[string]string{}
	for _, svc := range shop.Services {
		for _, fn := range svc.Functions {
			out[fn.Name] = svc.Name
		}
		if svc.Outbox {
			out[svc.Name+"-outbox"] = svc.Name
		}
	}
	return out
}

// resourcePath rebuilds the path of an API Gateway resource from its
// parents.
func resourcePath(s *synth, ref interface{}) string {
	resources := s.resources("AWS::ApiGateway::Resource")
	var parts []string
	for {
		m, ok := ref.(map[string]interface{})
		if !ok {
			break
		}
		id, isRef := m["Ref"].(string)
		if !isRef {
			break // Fn::GetAtt [Api, RootResourceId]
		}
		res := props(resources[id])
		parts = append([]string{fmt.Sprint(res["PathPart"])}, parts...)
		ref = res["ParentId"]
	}
	return "/" + strings.Join(parts, "/")
}

func TestEveryRouteHasItsFunctionAndEveryOperationARoute(t *testing.T) {
	s := load(t)
	names := functionNames(t, s)
	got := map[string]string{}
	for _, res := range s.resources("AWS::ApiGateway::Method") {
		p := props(res)
		method := fmt.Sprint(p["HttpMethod"])
		if method == "OPTIONS" {
			continue // CORS preflight, answered by API Gateway itself
		}
		path := resourcePath(s, p["ResourceId"])
		var fns []string
		for _, target := range getAttTargets(p["Integration"]) {
			if name, ok := names[target]; ok {
				fns = append(fns, name)
			}
		}
		if len(fns) != 1 {
			t.Errorf("%s %s integrates %v, want exactly one function", method, path, fns)
			continue
		}
		got[method+" "+path] = fns[0]
	}
	want := map[string]string{}
	for _, r := range routes.All {
		want[r.Pattern()] = r.Function
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("routes in the template (-want +got):\n%s", diff)
	}
}

func TestEveryFunctionIsTracedLoggedAndHasItsOwnRole(t *testing.T) {
	s := load(t)
	names := functionNames(t, s)
	logGroups := s.resources("AWS::Logs::LogGroup")
	roles := map[string]string{}
	var built []string
	for id, res := range s.resources("AWS::Lambda::Function") {
		name, ok := names[id]
		if !ok {
			continue
		}
		built = append(built, name)
		p := props(res)
		if mode := p["TracingConfig"].(map[string]interface{})["Mode"]; mode != "Active" {
			t.Errorf("%s: tracing %v, want Active", name, mode)
		}
		if p["Runtime"] != "provided.al2023" || fmt.Sprint(p["Architectures"]) != "[arm64]" || p["Handler"] != "bootstrap" {
			t.Errorf("%s: runtime %v %v %v, want provided.al2023 arm64 bootstrap", name, p["Runtime"], p["Architectures"], p["Handler"])
		}
		logConfig, _ := p["LoggingConfig"].(map[string]interface{})
		lg := getAttTargets(logConfig["LogGroup"])
		if len(lg) != 1 || props(logGroups[lg[0]])["RetentionInDays"] == nil {
			t.Errorf("%s: log group %v without retention", name, lg)
		}
		role := getAttTargets(p["Role"])
		if len(role) != 1 {
			t.Errorf("%s: role %v", name, role)
			continue
		}
		if other, dup := roles[role[0]]; dup {
			t.Errorf("%s and %s share role %s", name, other, role[0])
		}
		roles[role[0]] = name
	}
	var want []string
	for name := range serviceOf() {
		want = append(want, name)
	}
	sort.Strings(want)
	sort.Strings(built)
	if diff := cmp.Diff(want, built); diff != "" {
		t.Errorf("functions in the template (-want +got):\n%s", diff)
	}
}

// statements returns every policy statement of the template with the
// logical ids of the roles it applies to: standalone policies and the
// inline policies of roles.
func statements(s *synth) []policyStatement {
	var out []policyStatement
	add := func(doc interface{}, roles []string, where string) {
		d, _ := doc.(map[string]interface{})
		stmts, _ := d["Statement"].([]interface{})
		for _, st := range stmts {
			out = append(out, policyStatement{raw: st.(map[string]interface{}), roles: roles, where: where})
		}
	}
	for id, res := range s.resources("AWS::IAM::Policy") {
		p := props(res)
		add(p["PolicyDocument"], getAttTargets(p["Roles"]), id)
	}
	for id, res := range s.resources("AWS::IAM::Role") {
		inline, _ := props(res)["Policies"].([]interface{})
		for _, pol := range inline {
			add(pol.(map[string]interface{})["PolicyDocument"], []string{id}, id)
		}
	}
	return out
}

type policyStatement struct {
	raw   map[string]interface{}
	roles []string
	where string
}

func (p policyStatement) actions() []string {
	switch a := p.raw["Action"].(type) {
	case string:
		return []string{a}
	case []interface{}:
		var out []string
		for _, x := range a {
			out = append(out, fmt.Sprint(x))
		}
		return out
	}
	return nil
}

func TestNoPolicyGrantsWildcardActions(t *testing.T) {
	s := load(t)
	stmts := statements(s)
	if len(stmts) < 20 {
		t.Fatalf("found %d policy statements; the walk is broken", len(stmts))
	}
	for _, st := range stmts {
		if st.raw["Effect"] != "Allow" {
			continue
		}
		if _, ok := st.raw["NotAction"]; ok {
			t.Errorf("%s: NotAction grants everything else", st.where)
		}
		for _, a := range st.actions() {
			if strings.Contains(a, "*") {
				t.Errorf("%s: action %q has a wildcard", st.where, a)
			}
		}
	}
}

func TestNoFunctionReachesAnotherServicesTable(t *testing.T) {
	s := load(t)
	names := functionNames(t, s)
	// role -> service of the function using it
	roleService := map[string]string{}
	services := serviceOf()
	for id, res := range s.resources("AWS::Lambda::Function") {
		if name, ok := names[id]; ok {
			roleService[getAttTargets(props(res)["Role"])[0]] = services[name]
		}
	}
	// table -> service
	tableService := map[string]string{}
	for svc, table := range s.shop.Tables {
		tableService[*s.shop.Stack.GetLogicalId(table.Node().DefaultChild().(awscdk.CfnElement))] = svc
	}
	if len(tableService) != tablesWanted() {
		t.Fatalf("found %d tables for %d services with a table", len(tableService), tablesWanted())
	}
	checked := 0
	for _, st := range statements(s) {
		var dynamo bool
		for _, a := range st.actions() {
			dynamo = dynamo || strings.HasPrefix(a, "dynamodb:")
		}
		for _, target := range getAttTargets(st.raw["Resource"]) {
			owner, isTable := tableService[target]
			if !isTable {
				continue
			}
			for _, role := range st.roles {
				checked++
				if svc := roleService[role]; svc != owner {
					t.Errorf("%s: role %s (service %q) reaches the %s table", st.where, role, svc, owner)
				}
			}
		}
		// dynamodb:ListStreams alone has no resource-level permissions; the
		// Lambda stream event source needs it.
		if dynamo && fmt.Sprint(st.raw["Resource"]) == "*" && fmt.Sprint(st.actions()) != "[dynamodb:ListStreams]" {
			t.Errorf("%s: DynamoDB actions %v on every resource", st.where, st.actions())
		}
	}
	if checked == 0 {
		t.Fatal("no statement reaches a table; the walk is broken")
	}
}

func TestTablesAreProtected(t *testing.T) {
	s := load(t)
	tables := s.resources("AWS::DynamoDB::Table")
	if len(tables) != tablesWanted() {
		t.Fatalf("%d tables, want one per service with a table (%d)", len(tables), tablesWanted())
	}
	for id, res := range tables {
		p := props(res)
		pitr, _ := p["PointInTimeRecoverySpecification"].(map[string]interface{})
		sse, _ := p["SSESpecification"].(map[string]interface{})
		if pitr["PointInTimeRecoveryEnabled"] != true {
			t.Errorf("%s: point-in-time recovery off", id)
		}
		if sse["SSEEnabled"] != true {
			t.Errorf("%s: encryption not set", id)
		}
		if p["BillingMode"] != "PAY_PER_REQUEST" {
			t.Errorf("%s: billing %v, want on demand", id, p["BillingMode"])
		}
	}
}

// checkQueues asserts that every queue that is not itself a dead-letter
// queue has a redrive policy, and that every dead-letter queue has a depth
// alarm and every source queue an age alarm.
func checkQueues(t *testing.T, raw map[string]interface{}) int {
	t.Helper()
	s := &synth{raw: raw}
	queues := s.resources("AWS::SQS::Queue")
	// Dead-letter queues: redrive targets of queues, and failure
	// destinations of stream mappings.
	dlqs := map[string]bool{}
	for _, res := range queues {
		if rp, ok := props(res)["RedrivePolicy"].(map[string]interface{}); ok {
			for _, target := range getAttTargets(rp["deadLetterTargetArn"]) {
				dlqs[target] = true
			}
		}
	}
	for _, res := range s.resources("AWS::Lambda::EventSourceMapping") {
		for _, target := range getAttTargets(props(res)["DestinationConfig"]) {
			dlqs[target] = true
		}
	}
	alarmed := map[string][]string{} // queue -> metrics alarmed on
	for _, res := range s.resources("AWS::CloudWatch::Alarm") {
		p := props(res)
		for _, target := range getAttTargets(p["Dimensions"]) {
			alarmed[target] = append(alarmed[target], fmt.Sprint(p["MetricName"]))
		}
	}
	sources := 0
	for id, res := range queues {
		if dlqs[id] {
			if !strings.Contains(fmt.Sprint(alarmed[id]), "ApproximateNumberOfMessagesVisible") {
				t.Errorf("dead-letter queue %s has no depth alarm", id)
			}
			continue
		}
		sources++
		rp, ok := props(res)["RedrivePolicy"].(map[string]interface{})
		if !ok || rp["maxReceiveCount"] == nil {
			t.Errorf("queue %s has no dead-letter queue with maxReceiveCount", id)
		}
		if !strings.Contains(fmt.Sprint(alarmed[id]), "ApproximateAgeOfOldestMessage") {
			t.Errorf("queue %s has no age alarm", id)
		}
	}
	for _, res := range s.resources("AWS::Lambda::EventSourceMapping") {
		types, _ := props(res)["FunctionResponseTypes"].([]interface{})
		if fmt.Sprint(types) != "[ReportBatchItemFailures]" {
			t.Errorf("event source mapping without partial batch responses: %v", props(res))
		}
	}
	return sources
}

func TestEveryQueueHasADeadLetterQueueAndAlarms(t *testing.T) {
	checkQueues(t, load(t).raw)
}

func TestConsumerConstruct(t *testing.T) {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("consumer-test"), nil)
	cons := newTestConsumer(t, stack)
	template := assertions.Template_FromStack(stack, nil)
	raw := *template.ToJSON()
	if n := checkQueues(t, raw); n != 1 {
		t.Fatalf("%d source queues, want 1", n)
	}
	template.HasResourceProperties(jsii.String("AWS::Lambda::EventSourceMapping"), map[string]interface{}{
		"BatchSize":             5,
		"FunctionResponseTypes": []interface{}{"ReportBatchItemFailures"},
		"ScalingConfig":         map[string]interface{}{"MaximumConcurrency": 2},
	})
	template.HasResourceProperties(jsii.String("AWS::SQS::Queue"), map[string]interface{}{
		"RedrivePolicy":     map[string]interface{}{"maxReceiveCount": 3, "deadLetterTargetArn": assertions.Match_AnyValue()},
		"VisibilityTimeout": 60,
	})
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]interface{}{
		"EventPattern": map[string]interface{}{"source": []interface{}{"goshop.orders"}, "detail-type": []interface{}{"OrderConfirmed"}},
	})
	if len(cons.Alarms) != 2 {
		t.Fatalf("%d alarms, want 2", len(cons.Alarms))
	}
	// The function sets the visibility of the messages that fail
	// (internal/consumer.Redelivery): it knows its queue and may change the
	// visibility there and nowhere else.
	queueRef := map[string]interface{}{"Ref": *stack.GetLogicalId(cons.Queue.Node().DefaultChild().(awscdk.CfnElement))}
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]interface{}{
		"Environment": map[string]interface{}{"Variables": assertions.Match_ObjectLike(&map[string]interface{}{"QUEUE_URL": queueRef})},
	})
	template.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]interface{}{
		"PolicyDocument": map[string]interface{}{"Statement": assertions.Match_ArrayWith(&[]interface{}{
			assertions.Match_ObjectLike(&map[string]interface{}{
				"Action":   assertions.Match_ArrayWith(&[]interface{}{"sqs:ChangeMessageVisibility"}),
				"Resource": map[string]interface{}{"Fn::GetAtt": []interface{}{queueRef["Ref"], "Arn"}},
			}),
		})},
	})
}

func TestCdkNagReportsNoUnsuppressedError(t *testing.T) {
	s := load(t)
	errs := assertions.Annotations_FromStack(s.shop.Stack).FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*")))
	for _, e := range *errs {
		// The message is printed whole: its typed fields are deprecated in
		// the Go bindings.
		t.Errorf("cdk-nag error: %+v", e)
	}
	warns := assertions.Annotations_FromStack(s.shop.Stack).FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*")))
	for _, w := range *warns {
		t.Logf("cdk-nag warning: %+v", w)
	}
}

func TestOutputs(t *testing.T) {
	s := load(t)
	outputs, _ := s.raw["Outputs"].(map[string]interface{})
	for _, want := range []string{
		"ApiUrl", "EventBusName", "CheckoutStateMachineArn", "UsersTableName", "CatalogTableName", "CartTableName",
		"OrdersTableName", "PaymentsTableName", "NotificationsTableName", "DashboardTableName",
		"NotificationsConsumerQueueUrl", "NotificationsConsumerDeadLetterQueueUrl",
		"DashboardConsumerQueueUrl", "DashboardConsumerDeadLetterQueueUrl",
		"OrdersUserUpdatedQueueUrl", "OrdersUserUpdatedDeadLetterQueueUrl",
	} {
		if _, ok := outputs[want]; !ok {
			t.Errorf("output %s missing; have %v", want, keys(outputs))
		}
	}
}

func keys(m map[string]interface{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// newTestConsumer builds a consumer of OrderConfirmed events in stack.
func newTestConsumer(t *testing.T, stack awscdk.Stack) *shop.Consumer {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "notifications-consumer"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := shop.Config{Stage: "test", BuildDir: dir, LogRetention: awslogs.RetentionDays_ONE_WEEK, RemovalPolicy: awscdk.RemovalPolicy_DESTROY}
	fn := shop.NewFunction(stack, cfg, shop.FunctionSpec{Name: "notifications-consumer"}, nil)
	bus := awsevents.NewEventBus(stack, jsii.String("Bus"), nil)
	topic := awssns.NewTopic(stack, jsii.String("Alarms"), nil)
	return shop.NewConsumer(stack, "OrderConfirmedConsumer", shop.ConsumerProps{
		Bus:             bus,
		Pattern:         &awsevents.EventPattern{Source: jsii.Strings("goshop.orders"), DetailType: jsii.Strings("OrderConfirmed")},
		Function:        fn,
		BatchSize:       5,
		MaxReceiveCount: 3,
		MaxConcurrency:  2,
		AlarmTopic:      topic,
	})
}

func tablesWanted() int {
	n := 0
	for _, svc := range shop.Services {
		if svc.Table != nil {
			n++
		}
	}
	return n
}

func TestBodiesAreValidatedWithTheDocumentSchemas(t *testing.T) {
	s := load(t)
	models := s.resources("AWS::ApiGateway::Model")
	validated := 0
	for _, res := range s.resources("AWS::ApiGateway::Method") {
		p := props(res)
		if p["HttpMethod"] == "OPTIONS" {
			continue
		}
		op := fmt.Sprint(p["OperationName"])
		if p["RequestValidatorId"] == nil {
			t.Errorf("%s: no request validator", op)
		}
		want, hasBody := api.RequestModel(op)
		refs := getAttTargets(p["RequestModels"])
		if !hasBody {
			if len(refs) != 0 {
				t.Errorf("%s: has a request model but the document gives it no body", op)
			}
			continue
		}
		if len(refs) != 1 {
			t.Errorf("%s: request models %v, want the document's schema", op, refs)
			continue
		}
		got := props(models[refs[0]])["Schema"]
		if diff := cmp.Diff(roundTrip(t, want), roundTrip(t, got)); diff != "" {
			t.Errorf("%s: model differs from the document (-want +got):\n%s", op, diff)
		}
		validated++
	}
	if validated < 5 {
		t.Fatalf("only %d operations carry a body model", validated)
	}
}

// roundTrip normalizes v through JSON so numbers and maps compare alike.
func roundTrip(t *testing.T, v interface{}) interface{} {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out interface{}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOutboxTablesStreamToTheirPublisher(t *testing.T) {
	s := load(t)
	names := functionNames(t, s)
	mappings := map[string]map[string]interface{}{} // function name -> mapping
	for _, res := range s.resources("AWS::Lambda::EventSourceMapping") {
		for _, target := range getAttTargets(props(res)["FunctionName"]) {
			if name, ok := names[target]; ok {
				mappings[name] = props(res)
			}
		}
	}
	for _, svc := range shop.Services {
		if !svc.Outbox {
			continue
		}
		table := props(s.resources("AWS::DynamoDB::Table")[*s.shop.Stack.GetLogicalId(s.shop.Tables[svc.Name].Node().DefaultChild().(awscdk.CfnElement))])
		if fmt.Sprint(table["StreamSpecification"]) != "map[StreamViewType:NEW_AND_OLD_IMAGES]" {
			t.Errorf("%s table: stream %v", svc.Name, table["StreamSpecification"])
		}
		if ttl, _ := table["TimeToLiveSpecification"].(map[string]interface{}); ttl["AttributeName"] != "expiresAt" || ttl["Enabled"] != true {
			t.Errorf("%s table: TTL %v", svc.Name, table["TimeToLiveSpecification"])
		}
		m, ok := mappings[svc.Name+"-outbox"]
		if !ok {
			t.Errorf("%s: no stream mapping to %s-outbox", svc.Name, svc.Name)
			continue
		}
		if m["BisectBatchOnFunctionError"] != true || m["FilterCriteria"] == nil || m["StartingPosition"] != "TRIM_HORIZON" {
			t.Errorf("%s-outbox mapping: %v", svc.Name, m)
		}
		if !strings.Contains(fmt.Sprint(m["FilterCriteria"]), "Outbox") {
			t.Errorf("%s-outbox mapping does not filter on outbox items: %v", svc.Name, m["FilterCriteria"])
		}
	}
}
