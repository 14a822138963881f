package shop_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/infra/shop"
	"github.com/goshop-dev/goshop/internal/health/healthddb"
	"github.com/goshop-dev/goshop/internal/routes"
)

// CloudFormation refuses a stack of more than 500 resources. The margin
// leaves room for a few more operations before the stack must be split.
const (
	resourceLimit  = 500
	resourceMargin = 25
)

// healthFunctions maps the logical id of every health function to its
// service, from the template and Services alike.
func healthFunctions(t *testing.T, s *synth) map[string]string {
	t.Helper()
	specs := map[string]string{} // function -> service
	for _, svc := range shop.Services {
		for _, fn := range svc.Functions {
			if fn.Health {
				specs[fn.Name] = svc.Name
			}
		}
	}
	out := map[string]string{}
	for id, name := range functionNames(t, s) {
		if svc, ok := specs[name]; ok {
			out[id] = svc
		}
	}
	if len(out) != len(specs) {
		t.Fatalf("%d health functions in the template, %d in Services", len(out), len(specs))
	}
	return out
}

func TestEveryServiceHasAHealthCheck(t *testing.T) {
	s := load(t)
	names := functionNames(t, s)
	public := map[string]routes.Route{}
	for _, r := range routes.All {
		public[r.Function] = r
	}
	methods := map[string]map[string]interface{}{} // "GET /path" -> properties
	for _, res := range s.resources("AWS::ApiGateway::Method") {
		p := props(res)
		methods[fmt.Sprint(p["HttpMethod"])+" "+resourcePath(s, p["ResourceId"])] = p
	}
	for _, svc := range shop.Services {
		if svc.Table == nil {
			continue // no dependency of its own to check (the api service)
		}
		want := routes.HealthFunction(svc.Name)
		var spec *shop.FunctionSpec
		for i, fn := range svc.Functions {
			if fn.Health {
				if spec != nil {
					t.Errorf("%s: two health functions, %s and %s", svc.Name, spec.Name, fn.Name)
				}
				spec = &svc.Functions[i]
			}
		}
		if spec == nil || spec.Name != want {
			t.Errorf("%s: health function %v, want %s", svc.Name, spec, want)
			continue
		}
		if len(spec.Table) != 0 || spec.TokenKey || spec.AdminEmails || len(spec.Invokes) != 0 || spec.Consumes != nil || spec.StartsSaga {
			t.Errorf("%s: asks for more than the probe read: %+v", want, *spec)
		}
		r, ok := public[want]
		if !ok || r.Pattern() != "GET /health/"+svc.Name || r.Access != routes.Public {
			t.Errorf("%s: route %+v, want public GET /health/%s", want, r, svc.Name)
			continue
		}
		m, ok := methods[r.Pattern()]
		if !ok {
			t.Errorf("%s: no method in the template", r.Pattern())
			continue
		}
		if m["AuthorizationType"] != "NONE" || m["AuthorizerId"] != nil {
			t.Errorf("%s: authorization %v %v, want none", r.Pattern(), m["AuthorizationType"], m["AuthorizerId"])
		}
		var integrated []string
		for _, target := range getAttTargets(m["Integration"]) {
			if name, ok := names[target]; ok {
				integrated = append(integrated, name)
			}
		}
		if fmt.Sprint(integrated) != "["+want+"]" {
			t.Errorf("%s integrates %v, want %s", r.Pattern(), integrated, want)
		}
	}
}

// TestHealthFunctionsReadOnlyTheProbe checks the least privilege of the
// health functions: their logs and traces, and one GetItem on their own
// table, limited to the probe partition, which holds no item.
func TestHealthFunctionsReadOnlyTheProbe(t *testing.T) {
	s := load(t)
	health := healthFunctions(t, s)
	functions := s.resources("AWS::Lambda::Function")
	tables := map[string]string{} // service -> table logical id
	for svc, table := range s.shop.Tables {
		tables[svc] = *s.shop.Stack.GetLogicalId(table.Node().DefaultChild().(awscdk.CfnElement))
	}
	roleOf := map[string]string{} // role -> health function logical id
	for id := range health {
		p := props(functions[id])
		roleOf[getAttTargets(p["Role"])[0]] = id
		if p["MemorySize"] != 128.0 {
			t.Errorf("%s: %v MB, want 128", id, p["MemorySize"])
		}
		vars, _ := p["Environment"].(map[string]interface{})["Variables"].(map[string]interface{})
		var env []string
		for k := range vars {
			env = append(env, k)
		}
		sort.Strings(env)
		svc := serviceSpec(t, health[id])
		if diff := cmp.Diff([]string{"CORS_ALLOW_ORIGIN", "LOG_LEVEL", "METRICS_NAMESPACE", svc.TableEnv}, env, cmp.Transformer("sort", sorted)); diff != "" {
			t.Errorf("%s: environment (-want +got):\n%s", id, diff)
		}
	}

	wantActions := []string{"dynamodb:GetItem", "logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTelemetryRecords", "xray:PutTraceSegments"}
	got := map[string][]string{} // function -> actions
	probes := map[string]int{}
	for _, st := range statements(s) {
		for _, role := range st.roles {
			id, ok := roleOf[role]
			if !ok {
				continue
			}
			got[id] = append(got[id], st.actions()...)
			if !strings.HasPrefix(fmt.Sprint(st.actions()), "[dynamodb:") {
				continue
			}
			probes[id]++
			if diff := cmp.Diff([]string{"dynamodb:GetItem"}, st.actions()); diff != "" {
				t.Errorf("%s: DynamoDB actions (-want +got):\n%s", id, diff)
			}
			table := tables[health[id]]
			want := map[string]interface{}{"Fn::GetAtt": []interface{}{table, "Arn"}}
			if diff := cmp.Diff(want, collapse(st.raw["Resource"])); diff != "" {
				t.Errorf("%s: reads (-want its own table, no index +got):\n%s", id, diff)
			}
			cond := map[string]interface{}{"ForAllValues:StringEquals": map[string]interface{}{"dynamodb:LeadingKeys": healthddb.ProbePartition}}
			if diff := cmp.Diff(cond, collapse(st.raw["Condition"])); diff != "" {
				t.Errorf("%s: condition (-want +got):\n%s", id, diff)
			}
		}
	}
	for id := range health {
		// Lambda's active tracing adds the X-Ray actions a second time.
		if diff := cmp.Diff(wantActions, unique(got[id])); diff != "" {
			t.Errorf("%s: actions (-want +got):\n%s", id, diff)
		}
		if probes[id] != 1 {
			t.Errorf("%s: %d DynamoDB statements, want the probe alone", id, probes[id])
		}
	}
}

// collapse returns v with every one-element list replaced by its element,
// everywhere inside it: IAM reads both alike.
func collapse(v interface{}) interface{} {
	switch x := v.(type) {
	case []interface{}:
		if len(x) == 1 {
			return collapse(x[0])
		}
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[i] = collapse(e)
		}
		return out
	case map[string]interface{}:
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			out[k] = collapse(e)
		}
		return out
	}
	return v
}

// unique returns the distinct strings of in, sorted.
func unique(in []string) []string {
	out := sorted(in)
	return slices.Compact(out)
}

func sorted(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

func serviceSpec(t *testing.T, name string) shop.ServiceSpec {
	t.Helper()
	for _, svc := range shop.Services {
		if svc.Name == name {
			return svc
		}
	}
	t.Fatalf("no service %s", name)
	return shop.ServiceSpec{}
}

// TestHealthFunctionsHaveNoOperationAlarms: a 503 of a health check is the
// signal for whoever polls it; the operations keep their alarms.
func TestHealthFunctionsHaveNoOperationAlarms(t *testing.T) {
	s := load(t)
	health := healthFunctions(t, s)
	names := functionNames(t, s)
	alarmed := map[string]int{} // function name -> alarms
	for _, res := range s.resources("AWS::CloudWatch::Alarm") {
		seen := map[string]bool{}
		for _, target := range getAttTargets(props(res)) {
			if name, ok := names[target]; ok && !seen[name] {
				seen[name] = true
				alarmed[name]++
			}
		}
	}
	for id := range health {
		if n := alarmed[names[id]]; n != 0 {
			t.Errorf("%s has %d alarms, want none", names[id], n)
		}
	}
	for _, r := range routes.All {
		if _, isHealth := health[functionID(names, r.Function)]; !isHealth && alarmed[r.Function] < 2 {
			t.Errorf("%s has %d alarms, want its error-rate and p99 alarms", r.Function, alarmed[r.Function])
		}
	}
}

func functionID(names map[string]string, function string) string {
	for id, name := range names {
		if name == function {
			return id
		}
	}
	return ""
}

// TestTemplateStaysUnderTheResourceLimit counts the resources of the whole
// stack and checks that API Gateway gets one invoke permission per method:
// none for the console's test-invoke stage.
func TestTemplateStaysUnderTheResourceLimit(t *testing.T) {
	s := load(t)
	resources, _ := s.raw["Resources"].(map[string]interface{})
	t.Logf("the template has %d resources (CloudFormation's limit: %d)", len(resources), resourceLimit)
	if len(resources) > resourceLimit-resourceMargin {
		t.Errorf("%d resources: fewer than %d left before CloudFormation's limit of %d", len(resources), resourceMargin, resourceLimit)
	}
	methods := 0
	for _, res := range s.resources("AWS::ApiGateway::Method") {
		if props(res)["HttpMethod"] != "OPTIONS" {
			methods++
		}
	}
	fromAPI := 0
	for id, res := range s.resources("AWS::Lambda::Permission") {
		p := props(res)
		if p["Principal"] != "apigateway.amazonaws.com" {
			continue
		}
		source := fmt.Sprint(p["SourceArn"])
		if strings.Contains(source, "test-invoke-stage") {
			t.Errorf("%s lets the console's test-invoke stage call a function", id)
		}
		if !strings.Contains(source, "/authorizers/") {
			fromAPI++
		}
	}
	if fromAPI != methods {
		t.Errorf("%d invoke permissions for %d methods, want one each", fromAPI, methods)
	}
}
