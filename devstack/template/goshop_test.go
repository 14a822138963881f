package template_test

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/devstack/template"
)

// loadGoshop loads the app's synthesized template, copied into testdata
// from cdk.out.
func loadGoshop(t *testing.T) *template.Stack {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "goshop-dev.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := template.Load(data, template.Options{
		StackName: "goshop-dev", AWSEndpoint: "http://127.0.0.1:4566", APIEndpoint: "http://127.0.0.1:3000",
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestGoshopTemplateHasNoUnresolvedIntrinsics(t *testing.T) {
	t.Parallel()
	s := loadGoshop(t)
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, leftover := range []string{`"Ref"`, `"Fn::`, `\"Ref\"`, `\"Fn::`} {
		if i := strings.Index(string(data), leftover); i >= 0 {
			t.Errorf("unresolved intrinsic near %s", data[max(0, i-200):min(len(data), i+200)])
		}
	}
}

func TestGoshopFunctions(t *testing.T) {
	t.Parallel()
	s := loadGoshop(t)
	if len(s.Functions) < 30 {
		t.Fatalf("%d functions, want the app's (over 30)", len(s.Functions))
	}
	for _, f := range s.Functions {
		if f.AppName == "" || !strings.HasPrefix(f.Package, "./functions/") {
			t.Errorf("%s: package %q, app name %q", f.LogicalID, f.Package, f.AppName)
		}
		if _, err := os.Stat(filepath.Join("..", "..", f.Package, "main.go")); err != nil {
			t.Errorf("%s: package %s: %v", f.LogicalID, f.Package, err)
		}
		if f.Timeout <= 0 || f.MemoryMB < 128 || f.Handler != "bootstrap" || f.Runtime != "provided.al2023" {
			t.Errorf("%s: timeout %v, memory %d, handler %q, runtime %q", f.LogicalID, f.Timeout, f.MemoryMB, f.Handler, f.Runtime)
		}
		for name, value := range f.Environment {
			if err := checkEnv(s, name, value); err != "" {
				t.Errorf("%s: %s=%q: %s", f.LogicalID, name, value, err)
			}
		}
	}
}

// checkEnv checks that an environment variable naming a resource names one
// of the stack's, by its local physical name.
func checkEnv(s *template.Stack, name, value string) string {
	switch {
	case strings.HasSuffix(name, "_TABLE"):
		if _, ok := s.LookupTable(value); !ok {
			return "not a table name"
		}
	case strings.HasSuffix(name, "_FUNCTION"):
		if _, ok := s.LookupFunction(value); !ok {
			return "not a function name"
		}
	case name == "EVENT_BUS_NAME":
		if _, ok := s.LookupEventBus(value); !ok {
			return "not a bus name"
		}
	case strings.HasSuffix(name, "_STATE_MACHINE_ARN"):
		if m, ok := s.LookupStateMachine(value); !ok || m.ARN != value {
			return "not a state machine ARN"
		}
	case strings.HasSuffix(name, "_SECRET_ARN"):
		if sec, ok := s.LookupSecret(value); !ok || sec.ARN != value {
			return "not a secret ARN"
		}
	}
	return ""
}

func TestGoshopQueuesHaveDeadLetterQueues(t *testing.T) {
	t.Parallel()
	s := loadGoshop(t)
	sinks := map[string]bool{} // queues that are themselves where failures go
	for _, q := range s.Queues {
		if q.Redrive != nil {
			sinks[q.Redrive.DeadLetterLogicalID] = true
		}
	}
	for _, m := range s.EventSourceMappings {
		if m.SourceKind == template.SourceDynamoDBStream {
			if m.OnFailureLogicalID == "" {
				t.Errorf("stream mapping %s has no failure destination", m.LogicalID)
			}
			sinks[m.OnFailureLogicalID] = true
		}
	}
	for _, q := range s.Queues {
		if sinks[q.LogicalID] {
			continue
		}
		if q.Redrive == nil || q.Redrive.MaxReceiveCount < 1 {
			t.Errorf("queue %s has no dead-letter queue", q.LogicalID)
		}
	}
	for _, r := range s.Rules {
		for _, target := range r.Targets {
			if target.Kind != template.TargetSQS || target.DeadLetterLogicalID == "" {
				t.Errorf("rule %s target %s: kind %s, dead-letter queue %q", r.LogicalID, target.ID, target.Kind, target.DeadLetterLogicalID)
			}
		}
		if r.EventBusName != s.EventBuses[0].Name || !r.Enabled {
			t.Errorf("rule %s on bus %q, enabled %v", r.LogicalID, r.EventBusName, r.Enabled)
		}
	}
	if len(s.Rules) == 0 || len(sinks) == 0 {
		t.Errorf("%d rules, %d dead-letter queues: want the app's", len(s.Rules), len(sinks))
	}
}

func TestGoshopEventSourceMappings(t *testing.T) {
	t.Parallel()
	s := loadGoshop(t)
	kinds := map[template.SourceKind]int{}
	for _, m := range s.EventSourceMappings {
		kinds[m.SourceKind]++
		if _, ok := s.LookupFunction(m.FunctionARN); !ok || !m.ReportsBatchItemFailures() || !m.Enabled {
			t.Errorf("mapping %s: function %q, response types %v", m.LogicalID, m.FunctionARN, m.FunctionResponseTypes)
		}
		if m.SourceKind == template.SourceDynamoDBStream {
			i := slices.IndexFunc(s.Tables, func(tbl *template.Table) bool { return tbl.LogicalID == m.SourceLogicalID })
			if i < 0 || s.Tables[i].StreamARN != m.SourceARN || s.Tables[i].StreamViewType == "" {
				t.Errorf("mapping %s: source %s is not a table stream", m.LogicalID, m.SourceLogicalID)
			}
			if len(m.Filters) == 0 || m.StartingPosition != "TRIM_HORIZON" {
				t.Errorf("mapping %s: filters %s, starting position %q", m.LogicalID, m.Filters, m.StartingPosition)
			}
		}
	}
	if kinds[template.SourceSQS] == 0 || kinds[template.SourceDynamoDBStream] == 0 {
		t.Errorf("mapping kinds %v: want both SQS and stream mappings", kinds)
	}
}

func TestGoshopStateMachineNamesTheTemplatesFunctions(t *testing.T) {
	t.Parallel()
	s := loadGoshop(t)
	if len(s.StateMachines) != 1 {
		t.Fatalf("%d state machines", len(s.StateMachines))
	}
	var def struct {
		StartAt string
		States  map[string]struct {
			Type       string
			Resource   string
			Parameters struct{ FunctionName string }
		}
	}
	if err := json.Unmarshal([]byte(s.StateMachines[0].Definition), &def); err != nil {
		t.Fatalf("definition is not JSON: %v", err)
	}
	tasks := 0
	for name, st := range def.States {
		if st.Type != "Task" {
			continue
		}
		tasks++
		if st.Resource != "arn:aws:states:::lambda:invoke" {
			t.Errorf("state %s: resource %q", name, st.Resource)
		}
		if f, ok := s.LookupFunction(st.Parameters.FunctionName); !ok || f.ARN != st.Parameters.FunctionName {
			t.Errorf("state %s: FunctionName %q is not the ARN of a function of the template", name, st.Parameters.FunctionName)
		}
	}
	if _, ok := def.States[def.StartAt]; !ok || tasks < 3 {
		t.Errorf("StartAt %q, %d tasks", def.StartAt, tasks)
	}
}

func TestGoshopRestAPI(t *testing.T) {
	t.Parallel()
	s := loadGoshop(t)
	if len(s.RestAPIs) != 1 {
		t.Fatalf("%d REST APIs", len(s.RestAPIs))
	}
	api := s.RestAPIs[0]
	if len(api.Stages) != 1 || api.Stages[0].InvokeURL != "http://127.0.0.1:3000/"+api.Stages[0].Name+"/" {
		t.Errorf("stages %+v", api.Stages)
	}
	routes := 0
	for _, r := range api.Resources {
		if _, ok := r.Method("OPTIONS"); !ok {
			t.Errorf("%s has no CORS preflight method", r.Path)
		}
		for _, m := range r.Methods {
			switch m.Integration.Type {
			case template.IntegrationMock:
				if m.HTTPMethod != "OPTIONS" || len(m.Integration.Responses) == 0 {
					t.Errorf("%s %s: mock with %d responses", m.HTTPMethod, r.Path, len(m.Integration.Responses))
				}
			case template.IntegrationLambdaProxy:
				routes++
				if _, ok := s.LookupFunction(m.Integration.FunctionARN); !ok {
					t.Errorf("%s %s: function %q", m.HTTPMethod, r.Path, m.Integration.FunctionARN)
				}
				if (m.AuthorizationType == "CUSTOM") != (m.Authorizer != nil) || m.RequestValidator == nil {
					t.Errorf("%s %s: authorization %s, authorizer %v, validator %v", m.HTTPMethod, r.Path, m.AuthorizationType, m.Authorizer, m.RequestValidator)
				}
			}
		}
	}
	if routes < 20 {
		t.Errorf("%d Lambda routes, want the app's", routes)
	}
	register, ok := api.Resource("/users/register")
	if !ok {
		t.Fatal("no /users/register")
	}
	post, ok := register.Method("POST")
	if !ok || post.AuthorizationType != "NONE" || post.RequestModels["application/json"] == nil {
		t.Errorf("POST /users/register: %+v", post)
	}
	if fn, _ := s.LookupFunction(post.Integration.FunctionName); fn == nil || path.Base(fn.Package) != "users-register" {
		t.Errorf("POST /users/register calls %+v", fn)
	}
	if _, ok := api.GatewayResponse("UNAUTHORIZED"); !ok {
		t.Error("no UNAUTHORIZED gateway response")
	}
	if want := "http://127.0.0.1:3000/dev/"; s.Outputs["ApiUrl"] != want {
		t.Errorf("ApiUrl output %q, want %q", s.Outputs["ApiUrl"], want)
	}
}

func TestGoshopInertTypesAreTheDocumentedOnes(t *testing.T) {
	t.Parallel()
	s := loadGoshop(t)
	var types []string
	for _, r := range s.Inert {
		if !slices.Contains(types, r.Type) {
			types = append(types, r.Type)
		}
	}
	slices.Sort(types)
	want := []string{
		"AWS::ApiGateway::Account", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::UsagePlan", "AWS::CDK::Metadata",
		"AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard", "AWS::EventSchemas::Registry", "AWS::EventSchemas::Schema",
		"AWS::IAM::Policy", "AWS::IAM::Role", "AWS::Lambda::Permission", "AWS::Logs::LogGroup", "AWS::SNS::Topic",
		"AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy", "AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation",
	}
	if !slices.Equal(want, types) {
		t.Errorf("inert types %v, want %v", types, want)
	}
	if s.Parameters["BootstrapVersion"] != template.CDKBootstrapVersion {
		t.Errorf("BootstrapVersion = %q", s.Parameters["BootstrapVersion"])
	}
}
