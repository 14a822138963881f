package template_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/template"
)

func TestIntrinsics(t *testing.T) {
	t.Parallel()
	resources := obj{
		"Fn":    function(nil),
		"Named": function(obj{"FunctionName": obj{"Fn::Sub": "${AWS::StackName}-named"}}),
		"Q":     queue(nil),
	}
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"ref resource", ref("Fn"), "demo-Fn"},
		{"ref named resource", ref("Named"), "demo-named"},
		{"getatt list form", getAtt("Q", "Arn"), "arn:aws:sqs:us-east-1:000000000000:demo-Q"},
		{"getatt string form", obj{"Fn::GetAtt": "Fn.Arn"}, "arn:aws:lambda:us-east-1:000000000000:function:demo-Fn"},
		{"pseudo account", ref("AWS::AccountId"), "000000000000"},
		{"pseudo region", ref("AWS::Region"), "us-east-1"},
		{"pseudo partition", ref("AWS::Partition"), "aws"},
		{"pseudo stack name", ref("AWS::StackName"), "demo"},
		{"pseudo url suffix", ref("AWS::URLSuffix"), "amazonaws.com"},
		{"join", obj{"Fn::Join": arr{":", arr{"a", ref("AWS::Region"), getAtt("Q", "QueueName")}}}, "a:us-east-1:demo-Q"},
		{"join empty list", obj{"Fn::Join": arr{",", arr{}}}, ""},
		{"sub pseudo ref and getatt", obj{"Fn::Sub": "${AWS::Region}/${Fn}/${Q.Arn}"}, "us-east-1/demo-Fn/arn:aws:sqs:us-east-1:000000000000:demo-Q"},
		{"sub literal", obj{"Fn::Sub": "${!Literal} and ${ AWS::AccountId }"}, "${Literal} and 000000000000"},
		{"sub variables", obj{"Fn::Sub": arr{"${Name}-${AWS::Region}", obj{"Name": ref("Fn")}}}, "demo-Fn-us-east-1"},
		{"sub variable shadows a resource", obj{"Fn::Sub": arr{"${Fn}", obj{"Fn": "given"}}}, "given"},
		{"select", obj{"Fn::Select": arr{1, arr{"a", "b", "c"}}}, "b"},
		{"select string index", obj{"Fn::Select": arr{"2", arr{"a", "b", "c"}}}, "c"},
		{"select split", obj{"Fn::Select": arr{3, obj{"Fn::Split": arr{":", getAtt("Fn", "Arn")}}}}, "us-east-1"},
		{"split then join", obj{"Fn::Join": arr{"+", obj{"Fn::Split": arr{",", "x,y"}}}}, "x+y"},
		{"number in join", obj{"Fn::Join": arr{"", arr{"n", 42}}}, "n42"},
	}
	values := obj{}
	for i, tt := range tests {
		values[key(i)] = tt.value
	}
	got := outputs(t, resources, values)
	for i, tt := range tests {
		if got[key(i)] != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got[key(i)], tt.want)
		}
	}
}

func key(i int) string { return "O" + string(rune('A'+i/26)) + string(rune('A'+i%26)) }

func TestRefAndGetAttReturnWhatCloudFormationDocuments(t *testing.T) {
	t.Parallel()
	const acct, region = "000000000000", "us-east-1"
	resources := obj{
		"Fn":     function(nil),
		"Tbl":    table(obj{"StreamSpecification": obj{"StreamViewType": "NEW_IMAGE"}}),
		"Q":      queue(obj{"QueueName": "orders"}),
		"Bus":    obj{"Type": "AWS::Events::EventBus", "Properties": obj{"Name": "shop"}},
		"Rule":   obj{"Type": "AWS::Events::Rule", "Properties": obj{"EventBusName": ref("Bus"), "EventPattern": obj{"source": arr{"x"}}}},
		"SM":     obj{"Type": "AWS::StepFunctions::StateMachine", "Properties": obj{"DefinitionString": `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`}},
		"Secret": obj{"Type": "AWS::SecretsManager::Secret", "Properties": obj{"Name": "key"}},
		"Api":    obj{"Type": "AWS::ApiGateway::RestApi", "Properties": obj{"Name": "api"}},
		"Stage":  obj{"Type": "AWS::ApiGateway::Stage", "Properties": obj{"RestApiId": ref("Api"), "StageName": "dev"}},
		"Role":   obj{"Type": "AWS::IAM::Role", "Properties": obj{"RoleName": "r"}},
		"Topic":  obj{"Type": "AWS::SNS::Topic", "Properties": obj{}},
	}
	values := obj{
		"FnRef": ref("Fn"), "FnArn": getAtt("Fn", "Arn"),
		"TblRef": ref("Tbl"), "TblArn": getAtt("Tbl", "Arn"), "TblStream": getAtt("Tbl", "StreamArn"),
		"QRef": ref("Q"), "QArn": getAtt("Q", "Arn"), "QName": getAtt("Q", "QueueName"), "QUrl": getAtt("Q", "QueueUrl"),
		"BusRef": ref("Bus"), "BusArn": getAtt("Bus", "Arn"), "BusName": getAtt("Bus", "Name"),
		"RuleArn": getAtt("Rule", "Arn"),
		"SMRef":   ref("SM"), "SMArn": getAtt("SM", "Arn"), "SMName": getAtt("SM", "Name"),
		"SecretRef": ref("Secret"), "SecretId": getAtt("Secret", "Id"),
		"ApiRef": ref("Api"), "ApiRoot": getAtt("Api", "RootResourceId"),
		"StageRef": ref("Stage"),
		"RoleArn":  getAtt("Role", "Arn"),
		"TopicRef": ref("Topic"),
	}
	got := outputs(t, resources, values)
	s := mustLoad(t, obj{"Resources": resources})
	secret := s.Secrets[0]
	api := s.RestAPIs[0]
	want := map[string]string{
		"FnRef": "demo-Fn", "FnArn": "arn:aws:lambda:" + region + ":" + acct + ":function:demo-Fn",
		"TblRef": "demo-Tbl", "TblArn": "arn:aws:dynamodb:" + region + ":" + acct + ":table/demo-Tbl",
		"TblStream": "arn:aws:dynamodb:" + region + ":" + acct + ":table/demo-Tbl/stream/1970-01-01T00:00:00.000",
		"QRef":      "http://127.0.0.1:4566/" + acct + "/orders", "QArn": "arn:aws:sqs:" + region + ":" + acct + ":orders",
		"QName": "orders", "QUrl": "http://127.0.0.1:4566/" + acct + "/orders",
		"BusRef": "shop", "BusArn": "arn:aws:events:" + region + ":" + acct + ":event-bus/shop", "BusName": "shop",
		"RuleArn": "arn:aws:events:" + region + ":" + acct + ":rule/shop/demo-Rule",
		"SMRef":   "arn:aws:states:" + region + ":" + acct + ":stateMachine:demo-SM",
		"SMArn":   "arn:aws:states:" + region + ":" + acct + ":stateMachine:demo-SM", "SMName": "demo-SM",
		"SecretRef": secret.ARN, "SecretId": secret.ARN,
		"ApiRef": api.ID, "ApiRoot": api.RootResourceID,
		"StageRef": "dev",
		"RoleArn":  "arn:aws:iam::" + acct + ":role/r",
		"TopicRef": "arn:aws:sns:" + region + ":" + acct + ":demo-Topic",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(secret.ARN, "arn:aws:secretsmanager:"+region+":"+acct+":secret:key-") || len(secret.ARN) != len("arn:aws:secretsmanager:"+region+":"+acct+":secret:key-")+6 {
		t.Errorf("secret ARN %q is not <name>-<6 characters>", secret.ARN)
	}
	if len(api.ID) != 10 || api.ID == api.RootResourceID {
		t.Errorf("REST API id %q, root %q: want a 10-character id and a distinct root id", api.ID, api.RootResourceID)
	}
}

func TestNamesAreStableAcrossLoads(t *testing.T) {
	t.Parallel()
	resources := obj{"Api": obj{"Type": "AWS::ApiGateway::RestApi", "Properties": obj{"Name": "api"}},
		"Secret": obj{"Type": "AWS::SecretsManager::Secret"}}
	a := mustLoad(t, obj{"Resources": resources})
	b := mustLoad(t, obj{"Resources": resources})
	if a.RestAPIs[0].ID != b.RestAPIs[0].ID || a.Secrets[0].ARN != b.Secrets[0].ARN {
		t.Errorf("ids differ between loads: %s/%s, %s/%s", a.RestAPIs[0].ID, b.RestAPIs[0].ID, a.Secrets[0].ARN, b.Secrets[0].ARN)
	}
}

func TestLongDerivedNamesAreShortenedUniquely(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("A", 70)
	s := mustLoad(t, obj{"Resources": obj{long + "1": function(nil), long + "2": function(nil)}})
	a, b := s.Functions[0].Name, s.Functions[1].Name
	if len(a) > 64 || len(b) > 64 || a == b {
		t.Errorf("names %q and %q: want distinct names of at most 64 characters", a, b)
	}
}

func TestParametersConditionsAndNoValue(t *testing.T) {
	t.Parallel()
	tmpl := obj{
		"Parameters": obj{
			"Env":   obj{"Type": "String", "Default": "dev", "AllowedValues": arr{"dev", "prod"}},
			"Zones": obj{"Type": "CommaDelimitedList", "Default": "a, b"},
			"BootstrapVersion": obj{"Type": "AWS::SSM::Parameter::Value<String>",
				"Default": "/cdk-bootstrap/hnb659fds/version"},
		},
		"Conditions": obj{
			"IsProd":    obj{"Fn::Equals": arr{ref("Env"), "prod"}},
			"IsDev":     obj{"Fn::Not": arr{obj{"Condition": "IsProd"}}},
			"DevOrProd": obj{"Fn::Or": arr{obj{"Condition": "IsProd"}, obj{"Condition": "IsDev"}}},
			"Both":      obj{"Fn::And": arr{obj{"Condition": "IsProd"}, obj{"Condition": "IsDev"}}},
		},
		"Rules": obj{"CheckBootstrapVersion": obj{"Assertions": arr{obj{
			"Assert":            obj{"Fn::Not": arr{obj{"Fn::Contains": arr{arr{"1", "2"}, ref("BootstrapVersion")}}}},
			"AssertDescription": "bootstrap too old",
		}}}},
		"Resources": obj{
			"Fn": function(obj{
				"Timeout": obj{"Fn::If": arr{"IsProd", 30, 10}},
				"Environment": obj{"Variables": obj{
					"ENV":    ref("Env"),
					"ZONE":   obj{"Fn::Select": arr{1, ref("Zones")}},
					"ONLY":   obj{"Fn::If": arr{"IsProd", "prod", ref("AWS::NoValue")}},
					"EITHER": obj{"Fn::If": arr{"DevOrProd", "yes", "no"}},
					"BOTH":   obj{"Fn::If": arr{"Both", "yes", "no"}},
				}},
				"MemorySize": ref("AWS::NoValue"),
			}),
			"ProdQueue": obj{"Type": "AWS::SQS::Queue", "Condition": "IsProd"},
		},
		"Outputs": obj{
			"ProdOnly": obj{"Condition": "IsProd", "Value": ref("ProdQueue")},
		},
	}
	s := mustLoad(t, tmpl)
	fn := s.Functions[0]
	want := map[string]string{"ENV": "dev", "ZONE": "b", "EITHER": "yes", "BOTH": "no"}
	if diff := cmp.Diff(want, fn.Environment); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
	if fn.Timeout.Seconds() != 10 || fn.MemoryMB != 128 {
		t.Errorf("timeout %v, memory %d: want 10s and the default 128", fn.Timeout, fn.MemoryMB)
	}
	if len(s.Queues) != 0 || len(s.Outputs) != 0 {
		t.Errorf("queues %v, outputs %v: want the IsProd resources and outputs left out", s.Queues, s.Outputs)
	}
	if s.Parameters["BootstrapVersion"] != template.CDKBootstrapVersion || s.Parameters["Env"] != "dev" {
		t.Errorf("parameters %v", s.Parameters)
	}

	data := mustJSON(t, tmpl)
	prod, err := template.Load(data, template.Options{StackName: "demo", AWSEndpoint: "http://localhost:4566",
		Parameters: map[string]string{"Env": "prod"}})
	if err != nil {
		t.Fatal(err)
	}
	if prod.Functions[0].Environment["ONLY"] != "prod" || prod.Functions[0].Timeout.Seconds() != 30 || len(prod.Queues) != 1 {
		t.Errorf("with Env=prod: env %v, timeout %v, %d queues", prod.Functions[0].Environment, prod.Functions[0].Timeout, len(prod.Queues))
	}
	if prod.Outputs["ProdOnly"] != prod.Queues[0].URL {
		t.Errorf("output ProdOnly = %q, want the queue URL", prod.Outputs["ProdOnly"])
	}
	if _, err := template.Load(data, template.Options{StackName: "demo", AWSEndpoint: "http://localhost:4566",
		Parameters: map[string]string{"Env": "test"}}); err == nil || !strings.Contains(err.Error(), "AllowedValues") {
		t.Errorf("Env=test: got %v, want an AllowedValues error", err)
	}
}

func TestRefToAResourceLeftOutByItsConditionFails(t *testing.T) {
	t.Parallel()
	_, err := load(t, obj{
		"Conditions": obj{"Never": obj{"Fn::Equals": arr{"a", "b"}}},
		"Resources": obj{
			"Q":  obj{"Type": "AWS::SQS::Queue", "Condition": "Never"},
			"Fn": function(obj{"Environment": obj{"Variables": obj{"Q": ref("Q")}}}),
		},
	})
	if err == nil || !strings.Contains(err.Error(), "condition Never is false") {
		t.Errorf("got %v, want an error saying Q is not created", err)
	}
}

func TestRulesAssertions(t *testing.T) {
	t.Parallel()
	_, err := load(t, obj{
		"Parameters": obj{"V": obj{"Type": "String", "Default": "1"}},
		"Rules": obj{"Check": obj{"Assertions": arr{obj{
			"Assert":            obj{"Fn::Not": arr{obj{"Fn::Contains": arr{arr{"1", "2"}, ref("V")}}}},
			"AssertDescription": "version 3 required",
		}}}},
		"Resources": obj{"Q": queue(nil)},
	})
	if err == nil || !strings.Contains(err.Error(), "version 3 required") {
		t.Errorf("got %v, want the rule's assertion description", err)
	}
}

func TestIntrinsicErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		value   any
		wantErr string
	}{
		{"unknown logical id", ref("Nope"), `"Nope" is neither a resource`},
		{"unknown attribute", getAtt("Q", "Nope"), "has no attribute Nope"},
		{"select out of range", obj{"Fn::Select": arr{5, arr{"a"}}}, "out of range"},
		{"join of an object", obj{"Fn::Join": arr{"", arr{obj{"a": "b"}}}}, "expected a string"},
		{"if of an undefined condition", obj{"Fn::If": arr{"Nope", "a", "b"}}, "condition Nope is not defined"},
		{"stream arn of a table without a stream", getAtt("T", "StreamArn"), "has no attribute StreamArn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := load(t, obj{
				"Resources": obj{"Q": queue(nil), "T": table(nil)},
				"Outputs":   obj{"O": obj{"Value": tt.value}},
			})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestUnsupportedIntrinsicsAreRefused(t *testing.T) {
	t.Parallel()
	for _, fn := range []string{"Fn::ImportValue", "Fn::GetAZs", "Fn::FindInMap", "Fn::Base64", "Fn::Cidr", "Fn::Equals"} {
		t.Run(fn, func(t *testing.T) {
			t.Parallel()
			_, err := load(t, obj{"Resources": obj{
				"Fn": function(obj{"Environment": obj{"Variables": obj{"X": obj{fn: "x"}}}}),
			}})
			var u *template.UnsupportedError
			if !errors.As(err, &u) || !strings.Contains(u.Reason, fn) || u.LogicalID != "Fn" ||
				u.Type != "AWS::Lambda::Function" || u.Property != "Environment.Variables.X" {
				t.Errorf("got %v, want an UnsupportedError naming Fn and %s", err, fn)
			}
		})
	}
	_, err := load(t, obj{"Resources": obj{"Fn": function(obj{"FunctionName": ref("AWS::NotAPseudo")})}})
	if err == nil || !strings.Contains(err.Error(), "pseudo parameter AWS::NotAPseudo") {
		t.Errorf("unknown pseudo parameter: got %v", err)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	data := mustJSON(t, obj{"Resources": obj{"Q": queue(nil), "Fn": function(nil)}})
	tests := []struct {
		name    string
		opts    template.Options
		wantErr string
	}{
		{"no stack name", template.Options{AWSEndpoint: "http://x:1"}, "StackName is required"},
		{"no aws endpoint", template.Options{StackName: "s"}, "AWSEndpoint is required"},
		{"bad aws endpoint", template.Options{StackName: "s", AWSEndpoint: "localhost:4566"}, "not an http(s) URL"},
	}
	for _, tt := range tests {
		if _, err := template.Load(data, tt.opts); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.wantErr)
		}
	}
	s, err := template.Load(data, template.Options{StackName: "s", AccountID: "123456789012", Region: "eu-west-1",
		AWSEndpoint: "https://aws.local:9000/"})
	if err != nil {
		t.Fatal(err)
	}
	if q := s.Queues[0]; q.URL != "https://aws.local:9000/123456789012/s-Q" || q.ARN != "arn:aws:sqs:eu-west-1:123456789012:s-Q" {
		t.Errorf("queue URL %q, ARN %q", q.URL, q.ARN)
	}
	if s.AccountID != "123456789012" || s.Region != "eu-west-1" || s.Partition != "aws" {
		t.Errorf("stack %s %s %s", s.AccountID, s.Region, s.Partition)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := jsonMarshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestAPIURLOutputsReachDevstack(t *testing.T) {
	t.Parallel()
	apiURL := func(id any, rest string) obj {
		return obj{"Fn::Join": arr{"", arr{"https://", id, ".execute-api.", ref("AWS::Region"), ".", ref("AWS::URLSuffix"), rest}}}
	}
	doc := obj{
		"Resources": obj{
			"Api":   obj{"Type": "AWS::ApiGateway::RestApi", "Properties": obj{"Name": "shop"}},
			"Stage": obj{"Type": "AWS::ApiGateway::Stage", "Properties": obj{"RestApiId": ref("Api"), "StageName": "dev"}},
		},
		"Outputs": obj{
			"ApiUrl":      obj{"Value": apiURL(ref("Api"), "/dev/")},
			"OrdersUrl":   obj{"Value": apiURL(ref("Api"), "/dev/orders?x=1")},
			"BareHost":    obj{"Value": apiURL(ref("Api"), "")},
			"OtherAPI":    obj{"Value": apiURL("abc123", "/dev/")},
			"LookAlike":   obj{"Value": apiURL(ref("Api"), ".example.com/dev/")},
			"NotAnAPIUrl": obj{"Value": "https://example.com/dev/"},
		},
	}
	s := mustLoad(t, doc)
	id := s.RestAPIs[0].ID
	want := map[string]string{
		"ApiUrl":      "http://127.0.0.1:3000/dev/",
		"OrdersUrl":   "http://127.0.0.1:3000/dev/orders?x=1",
		"BareHost":    "http://127.0.0.1:3000",
		"OtherAPI":    "https://abc123.execute-api.us-east-1.amazonaws.com/dev/",
		"LookAlike":   "https://" + id + ".execute-api.us-east-1.amazonaws.com.example.com/dev/",
		"NotAnAPIUrl": "https://example.com/dev/",
	}
	if diff := cmp.Diff(want, s.Outputs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}

	data := mustJSON(t, doc)
	noAPI, err := template.Load(data, template.Options{StackName: "demo", AWSEndpoint: "http://127.0.0.1:4566"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := noAPI.Outputs["ApiUrl"], "https://"+id+".execute-api.us-east-1.amazonaws.com/dev/"; got != want {
		t.Errorf("without an APIEndpoint ApiUrl = %q, want the execute-api URL %q", got, want)
	}
}
