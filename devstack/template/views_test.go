package template_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/template"
)

func TestFunctionView(t *testing.T) {
	t.Parallel()
	s := mustLoad(t, obj{"Resources": obj{
		"T": table(nil),
		"Fn": function(obj{"Timeout": "15", "MemorySize": 256, "Environment": obj{"Variables": obj{
			"TABLE": ref("T"), "FLAG": true, "N": 3,
		}}}),
	}})
	want := &template.Function{
		LogicalID: "Fn", Name: "demo-Fn", ARN: "arn:aws:lambda:us-east-1:000000000000:function:demo-Fn",
		Package: "./functions/demo", AppName: "demo",
		Environment: map[string]string{"TABLE": "demo-T", "FLAG": "true", "N": "3"},
		Timeout:     15 * time.Second, MemoryMB: 256, Handler: "bootstrap", Runtime: "provided.al2023",
	}
	if diff := cmp.Diff(want, s.Functions[0]); diff != "" {
		t.Errorf("function (-want +got):\n%s", diff)
	}
	for _, ref := range []string{"demo-Fn", want.ARN, "000000000000:function:demo-Fn"} {
		if f, ok := s.LookupFunction(ref); !ok || f.LogicalID != "Fn" {
			t.Errorf("LookupFunction(%q) = %v, %v", ref, f, ok)
		}
	}
	if _, ok := s.LookupFunction(want.ARN + ":live"); ok {
		t.Error("LookupFunction found a qualified ARN")
	}
}

func TestFunctionReservedConcurrency(t *testing.T) {
	t.Parallel()
	intPtr := func(n int) *int { return &n }
	tests := []struct {
		name  string
		props obj
		want  *int
	}{
		{name: "unset: the unreserved pool", props: nil, want: nil},
		{name: "zero: throttled", props: obj{"ReservedConcurrentExecutions": 0}, want: intPtr(0)},
		{name: "a number", props: obj{"ReservedConcurrentExecutions": 5}, want: intPtr(5)},
		{name: "a numeric string", props: obj{"ReservedConcurrentExecutions": "20"}, want: intPtr(20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := mustLoad(t, obj{"Resources": obj{"Fn": function(tt.props)}})
			if diff := cmp.Diff(tt.want, s.Functions[0].ReservedConcurrency); diff != "" {
				t.Errorf("ReservedConcurrency (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := load(t, obj{"Resources": obj{"Fn": function(obj{"ReservedConcurrentExecutions": -1})}}); err == nil ||
		!strings.Contains(err.Error(), "ReservedConcurrentExecutions -1 is negative") {
		t.Errorf("a negative ReservedConcurrentExecutions: %v, want it refused", err)
	}
}

func TestTableView(t *testing.T) {
	t.Parallel()
	s := mustLoad(t, obj{"Resources": obj{"T": obj{"Type": "AWS::DynamoDB::Table", "Properties": obj{
		"TableName": "orders",
		"KeySchema": arr{obj{"AttributeName": "pk", "KeyType": "HASH"}, obj{"AttributeName": "sk", "KeyType": "RANGE"}},
		"AttributeDefinitions": arr{obj{"AttributeName": "pk", "AttributeType": "S"}, obj{"AttributeName": "sk", "AttributeType": "S"},
			obj{"AttributeName": "gsi1pk", "AttributeType": "S"}},
		"BillingMode": "PAY_PER_REQUEST",
		"GlobalSecondaryIndexes": arr{obj{"IndexName": "gsi1", "KeySchema": arr{obj{"AttributeName": "gsi1pk", "KeyType": "HASH"}},
			"Projection": obj{"ProjectionType": "INCLUDE", "NonKeyAttributes": arr{"name"}}}},
		"StreamSpecification":     obj{"StreamViewType": "NEW_AND_OLD_IMAGES"},
		"TimeToLiveSpecification": obj{"AttributeName": "expiresAt", "Enabled": true},
		"SSESpecification":        obj{"SSEEnabled": true},
	}}}})
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/orders"
	want := &template.Table{
		LogicalID: "T", Name: "orders", ARN: arn, StreamARN: arn + "/stream/1970-01-01T00:00:00.000",
		KeySchema: []template.KeyElement{{AttributeName: "pk", KeyType: "HASH"}, {AttributeName: "sk", KeyType: "RANGE"}},
		AttributeDefinitions: []template.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"},
			{AttributeName: "sk", AttributeType: "S"}, {AttributeName: "gsi1pk", AttributeType: "S"}},
		BillingMode: "PAY_PER_REQUEST",
		GlobalSecondaryIndexes: []template.GlobalSecondaryIndex{{IndexName: "gsi1",
			KeySchema:  []template.KeyElement{{AttributeName: "gsi1pk", KeyType: "HASH"}},
			Projection: template.Projection{ProjectionType: "INCLUDE", NonKeyAttributes: []string{"name"}}}},
		StreamViewType: "NEW_AND_OLD_IMAGES", TTLAttribute: "expiresAt",
	}
	if diff := cmp.Diff(want, s.Tables[0]); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
	if _, err := load(t, obj{"Resources": obj{"T": table(obj{"KeySchema": arr{obj{"AttributeName": "id", "KeyType": "HASH"}}})}}); err == nil {
		t.Error("a key attribute missing from AttributeDefinitions was accepted")
	}
}

func TestQueueView(t *testing.T) {
	t.Parallel()
	s := mustLoad(t, obj{"Resources": obj{
		"DLQ": queue(obj{"MessageRetentionPeriod": 1209600}),
		"Q":   queue(obj{"VisibilityTimeout": 180, "RedrivePolicy": obj{"deadLetterTargetArn": getAtt("DLQ", "Arn"), "maxReceiveCount": 5}}),
		"S":   queue(obj{"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:demo-DLQ","maxReceiveCount":"2"}`}),
	}})
	q, _ := s.LookupQueue("demo-Q")
	want := &template.Queue{
		LogicalID: "Q", Name: "demo-Q", URL: "http://127.0.0.1:4566/000000000000/demo-Q",
		ARN: "arn:aws:sqs:us-east-1:000000000000:demo-Q", VisibilityTimeout: 180 * time.Second,
		MessageRetention: 4 * 24 * time.Hour,
		Redrive: &template.RedrivePolicy{DeadLetterTargetARN: "arn:aws:sqs:us-east-1:000000000000:demo-DLQ",
			DeadLetterLogicalID: "DLQ", MaxReceiveCount: 5},
	}
	if diff := cmp.Diff(want, q); diff != "" {
		t.Errorf("queue (-want +got):\n%s", diff)
	}
	dlq, _ := s.LookupQueue("http://127.0.0.1:4566/000000000000/demo-DLQ")
	if dlq == nil || dlq.Redrive != nil || dlq.VisibilityTimeout != 30*time.Second || dlq.MessageRetention != 14*24*time.Hour {
		t.Errorf("dead-letter queue %+v: want defaults and 14 days retention", dlq)
	}
	str, _ := s.LookupQueue("demo-S")
	if str.Redrive == nil || str.Redrive.MaxReceiveCount != 2 || str.Redrive.DeadLetterLogicalID != "DLQ" {
		t.Errorf("redrive policy given as a JSON string: %+v", str.Redrive)
	}
}

func TestEventBusAndRuleViews(t *testing.T) {
	t.Parallel()
	s := mustLoad(t, obj{"Resources": obj{
		"Bus": obj{"Type": "AWS::Events::EventBus", "Properties": obj{"Name": "shop"}},
		"Q":   queue(nil), "DLQ": queue(nil), "Fn": function(nil),
		"SM": obj{"Type": "AWS::StepFunctions::StateMachine", "Properties": obj{"DefinitionString": `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`}},
		"R": obj{"Type": "AWS::Events::Rule", "Properties": obj{
			"EventBusName": ref("Bus"), "State": "DISABLED",
			"EventPattern": obj{"source": arr{"shop.orders"}, "detail-type": arr{"OrderCreated"}},
			"Targets": arr{
				obj{"Id": "q", "Arn": getAtt("Q", "Arn"), "DeadLetterConfig": obj{"Arn": getAtt("DLQ", "Arn")}},
				obj{"Id": "f", "Arn": getAtt("Fn", "Arn")},
				obj{"Id": "s", "Arn": ref("SM"), "RoleArn": "arn:aws:iam::000000000000:role/x"},
			},
		}},
		"Default": obj{"Type": "AWS::Events::Rule", "Properties": obj{"EventPattern": `{"source":["x"]}`}},
	}})
	if diff := cmp.Diff([]*template.EventBus{{LogicalID: "Bus", Name: "shop", ARN: "arn:aws:events:us-east-1:000000000000:event-bus/shop"}}, s.EventBuses); diff != "" {
		t.Errorf("buses (-want +got):\n%s", diff)
	}
	want := &template.Rule{
		LogicalID: "R", Name: "demo-R", ARN: "arn:aws:events:us-east-1:000000000000:rule/shop/demo-R",
		EventBusName: "shop", EventBusARN: "arn:aws:events:us-east-1:000000000000:event-bus/shop",
		EventPattern: json.RawMessage(`{"detail-type":["OrderCreated"],"source":["shop.orders"]}`),
		Enabled:      false,
		Targets: []template.Target{
			{ID: "q", ARN: "arn:aws:sqs:us-east-1:000000000000:demo-Q", Kind: template.TargetSQS, LogicalID: "Q",
				DeadLetterARN: "arn:aws:sqs:us-east-1:000000000000:demo-DLQ", DeadLetterLogicalID: "DLQ"},
			{ID: "f", ARN: "arn:aws:lambda:us-east-1:000000000000:function:demo-Fn", Kind: template.TargetLambda, LogicalID: "Fn"},
			{ID: "s", ARN: "arn:aws:states:us-east-1:000000000000:stateMachine:demo-SM", Kind: template.TargetStateMachine, LogicalID: "SM"},
		},
	}
	if diff := cmp.Diff(want, s.Rules[1]); diff != "" {
		t.Errorf("rule (-want +got):\n%s", diff)
	}
	def := s.Rules[0]
	if def.EventBusName != "default" || def.ARN != "arn:aws:events:us-east-1:000000000000:rule/demo-Default" ||
		!def.Enabled || string(def.EventPattern) != `{"source":["x"]}` {
		t.Errorf("rule on the default bus: %+v", def)
	}
}

func TestEventSourceMappingViews(t *testing.T) {
	t.Parallel()
	s := mustLoad(t, obj{"Resources": obj{
		"Fn": function(nil), "Q": queue(nil), "Fail": queue(nil),
		"T": table(obj{"StreamSpecification": obj{"StreamViewType": "NEW_IMAGE"}}),
		"SqsMapping": obj{"Type": "AWS::Lambda::EventSourceMapping", "Properties": obj{
			"FunctionName": ref("Fn"), "EventSourceArn": getAtt("Q", "Arn"), "BatchSize": 5,
			"FunctionResponseTypes": arr{"ReportBatchItemFailures"}, "ScalingConfig": obj{"MaximumConcurrency": 5},
		}},
		"StreamMapping": obj{"Type": "AWS::Lambda::EventSourceMapping", "Properties": obj{
			"FunctionName": getAtt("Fn", "Arn"), "EventSourceArn": getAtt("T", "StreamArn"),
			"StartingPosition": "TRIM_HORIZON", "BisectBatchOnFunctionError": true, "MaximumRetryAttempts": 50,
			"FilterCriteria":    obj{"Filters": arr{obj{"Pattern": `{"eventName":["INSERT"]}`}}},
			"DestinationConfig": obj{"OnFailure": obj{"Destination": getAtt("Fail", "Arn")}},
			"Enabled":           false,
		}},
	}})
	fnARN := "arn:aws:lambda:us-east-1:000000000000:function:demo-Fn"
	sqs, stream := s.EventSourceMappings[0], s.EventSourceMappings[1]
	wantSQS := &template.EventSourceMapping{
		LogicalID: "SqsMapping", UUID: sqs.UUID, FunctionLogicalID: "Fn", FunctionName: "demo-Fn", FunctionARN: fnARN,
		SourceKind: template.SourceSQS, SourceARN: "arn:aws:sqs:us-east-1:000000000000:demo-Q", SourceLogicalID: "Q",
		Enabled: true, BatchSize: 5, FunctionResponseTypes: []string{"ReportBatchItemFailures"}, MaximumConcurrency: 5,
	}
	if diff := cmp.Diff(wantSQS, sqs); diff != "" {
		t.Errorf("SQS mapping (-want +got):\n%s", diff)
	}
	wantStream := &template.EventSourceMapping{
		LogicalID: "StreamMapping", UUID: stream.UUID, FunctionLogicalID: "Fn", FunctionName: "demo-Fn", FunctionARN: fnARN,
		SourceKind: template.SourceDynamoDBStream, SourceARN: s.Tables[0].StreamARN, SourceLogicalID: "T",
		Enabled: false, BatchSize: 100, Filters: []json.RawMessage{json.RawMessage(`{"eventName":["INSERT"]}`)},
		StartingPosition: "TRIM_HORIZON", BisectBatchOnFunctionError: true, MaximumRetryAttempts: 50,
		OnFailureARN: "arn:aws:sqs:us-east-1:000000000000:demo-Fail", OnFailureLogicalID: "Fail",
	}
	if diff := cmp.Diff(wantStream, stream); diff != "" {
		t.Errorf("stream mapping (-want +got):\n%s", diff)
	}
	if !sqs.ReportsBatchItemFailures() || stream.ReportsBatchItemFailures() {
		t.Error("ReportsBatchItemFailures does not follow FunctionResponseTypes")
	}
	if len(sqs.UUID) != 36 || sqs.UUID == stream.UUID {
		t.Errorf("mapping UUIDs %q and %q", sqs.UUID, stream.UUID)
	}
}

func TestStateMachineAndSecretViews(t *testing.T) {
	t.Parallel()
	s := mustLoad(t, obj{"Resources": obj{
		"Fn": function(nil),
		"SM": obj{"Type": "AWS::StepFunctions::StateMachine", "Properties": obj{
			"StateMachineName": "checkout",
			"DefinitionString": obj{"Fn::Join": arr{"", arr{
				`{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:`, ref("AWS::Partition"),
				`:states:::lambda:invoke","Parameters":{"FunctionName":"`, getAtt("Fn", "Arn"), `"},"Next":"B"},"B":{"Type":"Pass","Result":"${Greeting}","End":true}}}`,
			}}},
			"DefinitionSubstitutions": obj{"Greeting": "hello"},
		}},
		"Given":     obj{"Type": "AWS::SecretsManager::Secret", "Properties": obj{"Name": "given", "SecretString": "s3cret"}},
		"Generated": obj{"Type": "AWS::SecretsManager::Secret", "Properties": obj{"GenerateSecretString": obj{"ExcludePunctuation": true}}},
	}})
	sm := s.StateMachines[0]
	wantDef := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:demo-Fn"},"Next":"B"},"B":{"Type":"Pass","Result":"hello","End":true}}}`
	if sm.Definition != wantDef || sm.Name != "checkout" || sm.ARN != "arn:aws:states:us-east-1:000000000000:stateMachine:checkout" || sm.Type != "STANDARD" {
		t.Errorf("state machine %+v", sm)
	}
	gen, given := s.Secrets[0], s.Secrets[1]
	if given.Name != "given" || given.SecretString == nil || *given.SecretString != "s3cret" || given.Generate != nil {
		t.Errorf("given secret %+v", given)
	}
	wantGen := &template.GenerateSecretString{PasswordLength: 32, ExcludePunctuation: true, RequireEachIncludedType: true}
	if diff := cmp.Diff(wantGen, gen.Generate); diff != "" || gen.Name != "demo-Generated" || gen.SecretString != nil {
		t.Errorf("generated secret %+v (-want +got):\n%s", gen, diff)
	}
	for _, id := range []string{gen.ARN, gen.Name, "arn:aws:secretsmanager:us-east-1:000000000000:secret:demo-Generated"} {
		if got, ok := s.LookupSecret(id); !ok || got != gen {
			t.Errorf("LookupSecret(%q) = %v, %v", id, got, ok)
		}
	}
}

func TestRestAPIView(t *testing.T) {
	t.Parallel()
	uri := obj{"Fn::Join": arr{"", arr{"arn:", ref("AWS::Partition"), ":apigateway:", ref("AWS::Region"),
		":lambda:path/2015-03-31/functions/", getAtt("Fn", "Arn"), "/invocations"}}}
	authURI := obj{"Fn::Join": arr{"", arr{"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/", getAtt("Auth", "Arn"), "/invocations"}}}
	s := mustLoad(t, obj{"Resources": obj{
		"Fn": function(nil), "Auth": function(nil),
		"Api":   obj{"Type": "AWS::ApiGateway::RestApi", "Properties": obj{"Name": "shop"}},
		"Users": obj{"Type": "AWS::ApiGateway::Resource", "Properties": obj{"RestApiId": ref("Api"), "ParentId": getAtt("Api", "RootResourceId"), "PathPart": "users"}},
		"User":  obj{"Type": "AWS::ApiGateway::Resource", "Properties": obj{"RestApiId": ref("Api"), "ParentId": ref("Users"), "PathPart": "{id}"}},
		"Tok": obj{"Type": "AWS::ApiGateway::Authorizer", "Properties": obj{"RestApiId": ref("Api"), "Name": "tok", "Type": "TOKEN",
			"AuthorizerUri": authURI, "IdentitySource": "method.request.header.Authorization", "AuthorizerResultTtlInSeconds": 0}},
		"Val":   obj{"Type": "AWS::ApiGateway::RequestValidator", "Properties": obj{"RestApiId": ref("Api"), "ValidateRequestBody": true}},
		"Model": obj{"Type": "AWS::ApiGateway::Model", "Properties": obj{"RestApiId": ref("Api"), "ContentType": "application/json", "Schema": obj{"type": "object"}}},
		"Put": obj{"Type": "AWS::ApiGateway::Method", "Properties": obj{"RestApiId": ref("Api"), "ResourceId": ref("User"), "HttpMethod": "PUT",
			"AuthorizationType": "CUSTOM", "AuthorizerId": ref("Tok"), "RequestValidatorId": ref("Val"),
			"RequestModels": obj{"application/json": ref("Model")}, "OperationName": "users-update",
			"Integration": obj{"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "Uri": uri}}},
		"Options": obj{"Type": "AWS::ApiGateway::Method", "Properties": obj{"RestApiId": ref("Api"), "ResourceId": ref("User"), "HttpMethod": "OPTIONS",
			"Integration": obj{"Type": "MOCK", "RequestTemplates": obj{"application/json": "{ statusCode: 200 }"},
				"IntegrationResponses": arr{obj{"StatusCode": "204", "ResponseParameters": obj{"method.response.header.Access-Control-Allow-Origin": "'*'"}}}},
			"MethodResponses": arr{obj{"StatusCode": "204", "ResponseParameters": obj{"method.response.header.Access-Control-Allow-Origin": true}}}}},
		"Unauthorized": obj{"Type": "AWS::ApiGateway::GatewayResponse", "Properties": obj{"RestApiId": ref("Api"), "ResponseType": "UNAUTHORIZED",
			"StatusCode": "401", "ResponseTemplates": obj{"application/json": `{"error":"unauthorized"}`}}},
		"Stage": obj{"Type": "AWS::ApiGateway::Stage", "Properties": obj{"RestApiId": ref("Api"), "StageName": "dev", "TracingEnabled": true}},
	}})
	api := s.RestAPIs[0]
	var paths []string
	for _, r := range api.Resources {
		paths = append(paths, r.Path)
	}
	if diff := cmp.Diff([]string{"/", "/users", "/users/{id}"}, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	user, _ := api.Resource("/users/{id}")
	put, ok := user.Method("PUT")
	if !ok {
		t.Fatal("no PUT /users/{id}")
	}
	auth := api.Authorizers[0]
	wantAuth := &template.Authorizer{LogicalID: "Tok", ID: auth.ID, Name: "tok", Type: "TOKEN",
		IdentitySource: "method.request.header.Authorization", IdentityHeader: "Authorization", ResultTTL: 0,
		URI:               "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:demo-Auth/invocations",
		FunctionLogicalID: "Auth", FunctionName: "demo-Auth", FunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:demo-Auth"}
	if diff := cmp.Diff(wantAuth, auth); diff != "" {
		t.Errorf("authorizer (-want +got):\n%s", diff)
	}
	if put.Authorizer != auth || put.AuthorizationType != "CUSTOM" || put.ResourcePath != "/users/{id}" ||
		put.RequestValidator == nil || !put.RequestValidator.ValidateBody || put.RequestValidator.ValidateParameters ||
		put.RequestModels["application/json"] == nil || string(put.RequestModels["application/json"].Schema) != `{"type":"object"}` {
		t.Errorf("PUT method %+v", put)
	}
	wantIntegration := template.Integration{Type: "AWS_PROXY", HTTPMethod: "POST",
		URI:               "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:demo-Fn/invocations",
		FunctionLogicalID: "Fn", FunctionName: "demo-Fn", FunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:demo-Fn"}
	if diff := cmp.Diff(wantIntegration, put.Integration); diff != "" {
		t.Errorf("integration (-want +got):\n%s", diff)
	}
	opts, _ := user.Method("OPTIONS")
	wantMock := &template.Method{LogicalID: "Options", HTTPMethod: "OPTIONS", ResourcePath: "/users/{id}", AuthorizationType: "NONE",
		Integration: template.Integration{Type: "MOCK", RequestTemplates: map[string]string{"application/json": "{ statusCode: 200 }"},
			Responses: []template.IntegrationResponse{{StatusCode: "204",
				ResponseParameters: map[string]string{"method.response.header.Access-Control-Allow-Origin": "'*'"}}}},
		MethodResponses: []template.MethodResponse{{StatusCode: "204",
			ResponseParameters: map[string]bool{"method.response.header.Access-Control-Allow-Origin": true}}}}
	if diff := cmp.Diff(wantMock, opts); diff != "" {
		t.Errorf("CORS mock (-want +got):\n%s", diff)
	}
	if _, ok := user.Method("GET"); ok {
		t.Error("GET /users/{id} found without a GET or ANY method")
	}
	if g, ok := api.GatewayResponse("UNAUTHORIZED"); !ok || g.StatusCode != "401" || g.ResponseTemplates["application/json"] != `{"error":"unauthorized"}` {
		t.Errorf("gateway response %+v", g)
	}
	if diff := cmp.Diff([]*template.Stage{{LogicalID: "Stage", Name: "dev", InvokeURL: "http://127.0.0.1:3000/dev/"}}, api.Stages); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
}
