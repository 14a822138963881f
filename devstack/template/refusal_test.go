package template_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/devstack/template"
)

func TestRefusals(t *testing.T) {
	t.Parallel()
	api := obj{"Type": "AWS::ApiGateway::RestApi", "Properties": obj{"Name": "api"}}
	method := func(props obj) obj {
		p := obj{"RestApiId": ref("Api"), "ResourceId": getAtt("Api", "RootResourceId"), "HttpMethod": "GET",
			"AuthorizationType": "NONE", "Integration": obj{"Type": "MOCK"}}
		for k, v := range props {
			p[k] = v
		}
		return obj{"Type": "AWS::ApiGateway::Method", "Properties": p}
	}
	tests := []struct {
		name      string
		resources obj
		// want is the UnsupportedError expected; Reason is matched as a
		// substring.
		want template.UnsupportedError
	}{
		{"unknown resource type",
			obj{"Bucket": obj{"Type": "AWS::S3::Bucket"}},
			template.UnsupportedError{LogicalID: "Bucket", Type: "AWS::S3::Bucket", Reason: "resource type"}},
		{"lambda in a VPC",
			obj{"Fn": function(obj{"VpcConfig": obj{"SubnetIds": arr{"s"}}})},
			template.UnsupportedError{LogicalID: "Fn", Type: "AWS::Lambda::Function", Property: "VpcConfig", Reason: "property"}},
		{"lambda layers",
			obj{"Fn": function(obj{"Layers": arr{"arn"}})},
			template.UnsupportedError{LogicalID: "Fn", Type: "AWS::Lambda::Function", Property: "Layers", Reason: "property"}},
		{"lambda on a Node runtime",
			obj{"Fn": function(obj{"Runtime": "nodejs20.x"})},
			template.UnsupportedError{LogicalID: "Fn", Type: "AWS::Lambda::Function", Property: "Runtime", Reason: "nodejs20.x"}},
		{"lambda without its Go package",
			obj{"Fn": obj{"Type": "AWS::Lambda::Function", "Properties": obj{"Runtime": "provided.al2023", "Handler": "bootstrap"}}},
			template.UnsupportedError{LogicalID: "Fn", Type: "AWS::Lambda::Function", Property: "Metadata.goshop:package", Reason: "Go package"}},
		{"FIFO queue",
			obj{"Q": queue(obj{"FifoQueue": true})},
			template.UnsupportedError{LogicalID: "Q", Type: "AWS::SQS::Queue", Property: "FifoQueue", Reason: "FIFO"}},
		{"queue delay",
			obj{"Q": queue(obj{"DelaySeconds": 5})},
			template.UnsupportedError{LogicalID: "Q", Type: "AWS::SQS::Queue", Property: "DelaySeconds", Reason: "property"}},
		{"redrive to a queue outside the template",
			obj{"Q": queue(obj{"RedrivePolicy": obj{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:other", "maxReceiveCount": 3}})},
			template.UnsupportedError{LogicalID: "Q", Type: "AWS::SQS::Queue", Property: "RedrivePolicy.deadLetterTargetArn", Reason: "not another queue"}},
		{"table with a local secondary index",
			obj{"T": table(obj{"LocalSecondaryIndexes": arr{}})},
			template.UnsupportedError{LogicalID: "T", Type: "AWS::DynamoDB::Table", Property: "LocalSecondaryIndexes", Reason: "property"}},
		{"table with a Kinesis stream",
			obj{"T": table(obj{"KinesisStreamSpecification": obj{"StreamArn": "x"}})},
			template.UnsupportedError{LogicalID: "T", Type: "AWS::DynamoDB::Table", Property: "KinesisStreamSpecification", Reason: "property"}},
		{"unknown nested field",
			obj{"T": table(obj{"GlobalSecondaryIndexes": arr{obj{"IndexName": "g", "KeySchema": arr{obj{"AttributeName": "pk", "KeyType": "HASH"}},
				"Projection": obj{"ProjectionType": "ALL"}, "OnDemandThroughput": obj{}}}})},
			template.UnsupportedError{LogicalID: "T", Type: "AWS::DynamoDB::Table", Reason: "OnDemandThroughput"}},
		{"scheduled rule",
			obj{"R": obj{"Type": "AWS::Events::Rule", "Properties": obj{"ScheduleExpression": "rate(1 minute)"}}},
			template.UnsupportedError{LogicalID: "R", Type: "AWS::Events::Rule", Property: "ScheduleExpression", Reason: "property"}},
		{"rule target with an input transformer",
			obj{"Q": queue(nil), "R": obj{"Type": "AWS::Events::Rule", "Properties": obj{"EventPattern": obj{"source": arr{"a"}},
				"Targets": arr{obj{"Id": "t", "Arn": getAtt("Q", "Arn"), "InputTransformer": obj{}}}}}},
			template.UnsupportedError{LogicalID: "R", Type: "AWS::Events::Rule", Reason: "InputTransformer"}},
		{"rule target outside the template",
			obj{"R": obj{"Type": "AWS::Events::Rule", "Properties": obj{"EventPattern": obj{"source": arr{"a"}},
				"Targets": arr{obj{"Id": "t", "Arn": "arn:aws:sns:us-east-1:1:topic"}}}}},
			template.UnsupportedError{LogicalID: "R", Type: "AWS::Events::Rule", Property: "Targets[t].Arn", Reason: "only queues"}},
		{"express state machine",
			obj{"SM": obj{"Type": "AWS::StepFunctions::StateMachine", "Properties": obj{"StateMachineType": "EXPRESS", "DefinitionString": "{}"}}},
			template.UnsupportedError{LogicalID: "SM", Type: "AWS::StepFunctions::StateMachine", Property: "StateMachineType", Reason: "EXPRESS"}},
		{"stream option on an SQS mapping",
			obj{"Fn": function(nil), "Q": queue(nil), "M": obj{"Type": "AWS::Lambda::EventSourceMapping", "Properties": obj{
				"FunctionName": ref("Fn"), "EventSourceArn": getAtt("Q", "Arn"), "StartingPosition": "LATEST"}}},
			template.UnsupportedError{LogicalID: "M", Type: "AWS::Lambda::EventSourceMapping", Property: "StartingPosition", Reason: "stream-only"}},
		{"batching window",
			obj{"Fn": function(nil), "Q": queue(nil), "M": obj{"Type": "AWS::Lambda::EventSourceMapping", "Properties": obj{
				"FunctionName": ref("Fn"), "EventSourceArn": getAtt("Q", "Arn"), "MaximumBatchingWindowInSeconds": 5}}},
			template.UnsupportedError{LogicalID: "M", Type: "AWS::Lambda::EventSourceMapping", Property: "MaximumBatchingWindowInSeconds", Reason: "property"}},
		{"mapping of a source outside the template",
			obj{"Fn": function(nil), "M": obj{"Type": "AWS::Lambda::EventSourceMapping", "Properties": obj{
				"FunctionName": ref("Fn"), "EventSourceArn": "arn:aws:kinesis:us-east-1:1:stream/s", "StartingPosition": "LATEST"}}},
			template.UnsupportedError{LogicalID: "M", Type: "AWS::Lambda::EventSourceMapping", Property: "EventSourceArn", Reason: "neither a queue"}},
		{"IAM authorization",
			obj{"Api": api, "M": method(obj{"AuthorizationType": "AWS_IAM"})},
			template.UnsupportedError{LogicalID: "M", Type: "AWS::ApiGateway::Method", Property: "AuthorizationType", Reason: "AWS_IAM"}},
		{"API key required",
			obj{"Api": api, "M": method(obj{"ApiKeyRequired": true})},
			template.UnsupportedError{LogicalID: "M", Type: "AWS::ApiGateway::Method", Property: "ApiKeyRequired", Reason: "API keys"}},
		{"HTTP proxy integration",
			obj{"Api": api, "M": method(obj{"Integration": obj{"Type": "HTTP_PROXY", "Uri": "http://example.com"}})},
			template.UnsupportedError{LogicalID: "M", Type: "AWS::ApiGateway::Method", Property: "Integration.Type", Reason: "HTTP_PROXY"}},
		{"request parameters",
			obj{"Api": api, "M": method(obj{"RequestParameters": obj{"method.request.querystring.q": true}})},
			template.UnsupportedError{LogicalID: "M", Type: "AWS::ApiGateway::Method", Property: "RequestParameters", Reason: "property"}},
		{"OpenAPI body",
			obj{"Api": obj{"Type": "AWS::ApiGateway::RestApi", "Properties": obj{"Body": obj{}}}},
			template.UnsupportedError{LogicalID: "Api", Type: "AWS::ApiGateway::RestApi", Property: "Body", Reason: "property"}},
		{"REQUEST authorizer",
			obj{"Api": api, "Fn": function(nil), "A": obj{"Type": "AWS::ApiGateway::Authorizer", "Properties": obj{
				"RestApiId": ref("Api"), "Type": "REQUEST", "IdentitySource": "method.request.header.X"}}},
			template.UnsupportedError{LogicalID: "A", Type: "AWS::ApiGateway::Authorizer", Property: "Type", Reason: "REQUEST"}},
		{"stage variables",
			obj{"Api": api, "S": obj{"Type": "AWS::ApiGateway::Stage", "Properties": obj{"RestApiId": ref("Api"), "StageName": "dev", "Variables": obj{}}}},
			template.UnsupportedError{LogicalID: "S", Type: "AWS::ApiGateway::Stage", Property: "Variables", Reason: "property"}},
		{"unknown resource attribute",
			obj{"Q": obj{"Type": "AWS::SQS::Queue", "CreationPolicy": obj{}}},
			template.UnsupportedError{LogicalID: "Q", Type: "AWS::SQS::Queue", Reason: "resource attribute CreationPolicy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := load(t, obj{"Resources": tt.resources})
			var u *template.UnsupportedError
			if !errors.As(err, &u) {
				t.Fatalf("got %v, want an *UnsupportedError", err)
			}
			if u.LogicalID != tt.want.LogicalID || u.Type != tt.want.Type || u.Property != tt.want.Property ||
				!strings.Contains(u.Reason, tt.want.Reason) {
				t.Errorf("got %+v, want %+v", *u, tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want.LogicalID) || !strings.Contains(msg, tt.want.Property) {
				t.Errorf("message %q does not name the resource and the property", msg)
			}
		})
	}
}

func TestAllRefusalsAreReportedAtOnce(t *testing.T) {
	t.Parallel()
	_, err := load(t, obj{"Resources": obj{
		"Bucket": obj{"Type": "AWS::S3::Bucket"},
		"Fn":     function(obj{"VpcConfig": obj{}}),
		"Q":      queue(nil),
	}})
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"Bucket (AWS::S3::Bucket)", "Fn (AWS::Lambda::Function) property VpcConfig"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestDuplicatePhysicalNamesAreRefused(t *testing.T) {
	t.Parallel()
	_, err := load(t, obj{"Resources": obj{
		"A": queue(obj{"QueueName": "jobs"}),
		"B": queue(obj{"QueueName": "jobs"}),
		"T": table(obj{"TableName": "jobs"}),
	}})
	if err == nil || !strings.Contains(err.Error(), `resources A and B are both the queue "jobs"`) || strings.Contains(err.Error(), "table") {
		t.Errorf("got %v, want the two queues named, not the table", err)
	}
}

func TestTemplateLevelRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tmpl    obj
		wantErr string
	}{
		{"transform", obj{"Transform": "AWS::Serverless-2016-10-31", "Resources": obj{"Q": queue(nil)}}, "Transform"},
		{"unknown section", obj{"Hooks": obj{}, "Resources": obj{"Q": queue(nil)}}, `section "Hooks"`},
		{"no resources", obj{"Resources": obj{}}, "no Resources"},
		{"SSM parameter without a local value", obj{
			"Parameters": obj{"P": obj{"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/my/param"}},
			"Resources":  obj{"Fn": function(obj{"Environment": obj{"Variables": obj{"P": ref("P")}}})},
		}, "SSM parameter /my/param has no local value"},
		{"parameter without default", obj{
			"Parameters": obj{"P": obj{"Type": "String"}},
			"Resources":  obj{"Q": queue(nil)},
		}, "parameter P has no Default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := load(t, tt.tmpl); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestInertAndIgnoredAreListed(t *testing.T) {
	t.Parallel()
	s := mustLoad(t, obj{"Resources": obj{
		"Role": obj{"Type": "AWS::IAM::Role", "Properties": obj{"AssumeRolePolicyDocument": obj{}}},
		"Fn":   function(obj{"Role": getAtt("Role", "Arn"), "TracingConfig": obj{"Mode": "Active"}}),
	}})
	if len(s.Inert) != 1 || s.Inert[0].LogicalID != "Role" || !strings.Contains(s.Inert[0].Reason, "IAM") {
		t.Errorf("inert = %+v, want the role with its reason", s.Inert)
	}
	var props []string
	for _, p := range s.Ignored {
		if p.LogicalID != "Fn" || p.Reason == "" {
			t.Errorf("ignored %+v: want Fn's properties, each with a reason", p)
		}
		props = append(props, p.Property)
	}
	if strings.Join(props, ",") != "Role,TracingConfig" {
		t.Errorf("ignored properties %v, want Role and TracingConfig", props)
	}
}
