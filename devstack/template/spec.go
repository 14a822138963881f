package template

import (
	"fmt"
)

// typeSpec is what devstack does with an honoured resource type: the
// properties it honours, those it accepts without local effect (with the
// reason), how Ref and Fn::GetAtt name it, and how its view is built. Any
// other property is refused.
type typeSpec struct {
	honours  []string
	ignores  map[string]string
	identity func(*resolver, *resource) (*identity, error)
	build    func(*builder, *resource, map[string]any) error
}

const (
	reasonNoIAM     = "no IAM locally: every call is allowed"
	reasonNoXRay    = "X-Ray tracing is not emulated"
	reasonLogs      = "logs go to devstack's output"
	reasonTags      = "tags have no local effect"
	reasonInfo      = "informational"
	reasonEncrypted = "encryption at rest has no local effect"
)

// honoured lists the resource types devstack runs.
var honoured = map[string]*typeSpec{
	"AWS::Lambda::Function": {
		honours: []string{"FunctionName", "Handler", "Runtime", "Timeout", "MemorySize", "Environment",
			"ReservedConcurrentExecutions"},
		ignores: map[string]string{
			"Code":          "the function is built from its goshop:package metadata, not from the asset",
			"Architectures": "the function is built for the host",
			"Role":          reasonNoIAM, "TracingConfig": reasonNoXRay, "LoggingConfig": reasonLogs,
			"Description": reasonInfo, "Tags": reasonTags,
		},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameOr(res, "FunctionName", 64)
			if err != nil {
				return nil, err
			}
			return &identity{ref: name, attrs: map[string]string{"Arn": r.arn("lambda", "function:"+name)}}, nil
		},
		build: (*builder).function,
	},
	"AWS::DynamoDB::Table": {
		honours: []string{"TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput",
			"GlobalSecondaryIndexes", "StreamSpecification", "TimeToLiveSpecification"},
		ignores: map[string]string{
			"PointInTimeRecoverySpecification": "backups are not emulated",
			"SSESpecification":                 reasonEncrypted,
			"DeletionProtectionEnabled":        "local tables live as long as devstack",
			"Tags":                             reasonTags,
		},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameOr(res, "TableName", 255)
			if err != nil {
				return nil, err
			}
			arn := r.arn("dynamodb", "table/"+name)
			attrs := map[string]string{"Arn": arn}
			if _, ok := res.Properties["StreamSpecification"]; ok {
				attrs["StreamArn"] = arn + "/stream/" + streamLabel
			}
			return &identity{ref: name, attrs: attrs}, nil
		},
		build: (*builder).table,
	},
	"AWS::SQS::Queue": {
		honours: []string{"QueueName", "VisibilityTimeout", "MessageRetentionPeriod", "RedrivePolicy", "FifoQueue"},
		ignores: map[string]string{
			"SqsManagedSseEnabled": reasonEncrypted, "KmsMasterKeyId": reasonEncrypted, "Tags": reasonTags,
		},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameOr(res, "QueueName", 80)
			if err != nil {
				return nil, err
			}
			url := r.opts.AWSEndpoint + "/" + r.opts.AccountID + "/" + name
			return &identity{ref: url, attrs: map[string]string{
				"Arn": r.arn("sqs", name), "QueueName": name, "QueueUrl": url,
			}}, nil
		},
		build: (*builder).queue,
	},
	"AWS::Events::EventBus": {
		honours: []string{"Name"},
		ignores: map[string]string{"Description": reasonInfo, "Tags": reasonTags},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameProp(res, "Name")
			if err != nil {
				return nil, err
			}
			if name == "" {
				return nil, fmt.Errorf("property Name is required")
			}
			return &identity{ref: name, attrs: map[string]string{"Arn": r.busARN(name), "Name": name}}, nil
		},
		build: (*builder).eventBus,
	},
	"AWS::Events::Rule": {
		honours: []string{"Name", "EventBusName", "EventPattern", "State", "Targets"},
		ignores: map[string]string{"Description": reasonInfo, "RoleArn": reasonNoIAM},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameOr(res, "Name", 64)
			if err != nil {
				return nil, err
			}
			bus, err := r.nameProp(res, "EventBusName")
			if err != nil {
				return nil, err
			}
			bus = busName(bus)
			// Ref is the rule name on the default bus and "bus|rule" on a
			// custom bus, the rule's id in CloudFormation.
			if bus == defaultBus {
				return &identity{ref: name, attrs: map[string]string{"Arn": r.arn("events", "rule/"+name)}}, nil
			}
			return &identity{ref: bus + "|" + name, attrs: map[string]string{"Arn": r.arn("events", "rule/"+bus+"/"+name)}}, nil
		},
		build: (*builder).rule,
	},
	"AWS::Lambda::EventSourceMapping": {
		honours: []string{"FunctionName", "EventSourceArn", "BatchSize", "FunctionResponseTypes", "FilterCriteria",
			"StartingPosition", "BisectBatchOnFunctionError", "MaximumRetryAttempts", "ScalingConfig",
			"DestinationConfig", "Enabled"},
		ignores: map[string]string{"Tags": reasonTags},
		identity: func(r *resolver, res *resource) (*identity, error) {
			id := stableUUID(r.opts.StackName + "/" + res.LogicalID)
			return &identity{ref: id, attrs: map[string]string{
				"Id": id, "EventSourceMappingArn": r.arn("lambda", "event-source-mapping:"+id),
			}}, nil
		},
		build: (*builder).eventSourceMapping,
	},
	"AWS::StepFunctions::StateMachine": {
		honours: []string{"StateMachineName", "StateMachineType", "DefinitionString", "Definition", "DefinitionSubstitutions"},
		ignores: map[string]string{
			"RoleArn": reasonNoIAM, "LoggingConfiguration": reasonLogs, "TracingConfiguration": reasonNoXRay,
			"Tags": reasonTags,
		},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameOr(res, "StateMachineName", 80)
			if err != nil {
				return nil, err
			}
			arn := r.arn("states", "stateMachine:"+name)
			return &identity{ref: arn, attrs: map[string]string{"Arn": arn, "Name": name}}, nil
		},
		build: (*builder).stateMachine,
	},
	"AWS::SecretsManager::Secret": {
		honours: []string{"Name", "SecretString", "GenerateSecretString"},
		ignores: map[string]string{"Description": reasonInfo, "KmsKeyId": reasonEncrypted, "Tags": reasonTags},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameOr(res, "Name", 512)
			if err != nil {
				return nil, err
			}
			arn := r.arn("secretsmanager", "secret:"+name+"-"+secretSuffix(name))
			return &identity{ref: arn, attrs: map[string]string{"Id": arn}, name: name}, nil
		},
		build: (*builder).secret,
	},
	"AWS::ApiGateway::RestApi": {
		honours: []string{"Name"},
		ignores: map[string]string{
			"Description":           reasonInfo,
			"EndpointConfiguration": "the API is served on devstack's local endpoint",
			"Tags":                  reasonTags,
		},
		identity: func(r *resolver, res *resource) (*identity, error) {
			id := shortID(r.opts.StackName+"/"+res.LogicalID, 10)
			return &identity{ref: id, attrs: map[string]string{
				"RestApiId": id, "RootResourceId": shortID(id+"/", 10),
			}}, nil
		},
		build: (*builder).restAPI,
	},
	"AWS::ApiGateway::Resource": {
		honours:  []string{"RestApiId", "ParentId", "PathPart"},
		identity: apiChildIdentity("ResourceId"),
		build:    (*builder).apiResource,
	},
	"AWS::ApiGateway::Method": {
		honours: []string{"RestApiId", "ResourceId", "HttpMethod", "AuthorizationType", "AuthorizerId", "ApiKeyRequired",
			"Integration", "MethodResponses", "RequestModels", "RequestValidatorId"},
		ignores:  map[string]string{"OperationName": reasonInfo},
		identity: apiChildIdentity(""),
		build:    (*builder).apiMethod,
	},
	"AWS::ApiGateway::Authorizer": {
		honours:  []string{"RestApiId", "Name", "Type", "AuthorizerUri", "IdentitySource", "AuthorizerResultTtlInSeconds"},
		identity: apiChildIdentity("AuthorizerId"),
		build:    (*builder).apiAuthorizer,
	},
	"AWS::ApiGateway::Model": {
		honours: []string{"RestApiId", "Name", "ContentType", "Schema"},
		ignores: map[string]string{"Description": reasonInfo},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameProp(res, "Name")
			if err != nil {
				return nil, err
			}
			if name == "" {
				name = res.LogicalID
			}
			return &identity{ref: name}, nil
		},
		build: (*builder).apiModel,
	},
	"AWS::ApiGateway::RequestValidator": {
		honours:  []string{"RestApiId", "Name", "ValidateRequestBody", "ValidateRequestParameters"},
		identity: apiChildIdentity("RequestValidatorId"),
		build:    (*builder).apiValidator,
	},
	"AWS::ApiGateway::GatewayResponse": {
		honours:  []string{"RestApiId", "ResponseType", "StatusCode", "ResponseParameters", "ResponseTemplates"},
		identity: apiChildIdentity(""),
		build:    (*builder).apiGatewayResponse,
	},
	"AWS::ApiGateway::Stage": {
		honours: []string{"RestApiId", "StageName", "DeploymentId"},
		ignores: map[string]string{
			"MethodSettings":   "throttling, metrics and execution logs are not emulated",
			"AccessLogSetting": "access logs are not written",
			"TracingEnabled":   reasonNoXRay, "Description": reasonInfo, "Tags": reasonTags,
		},
		identity: func(r *resolver, res *resource) (*identity, error) {
			name, err := r.nameProp(res, "StageName")
			if err != nil {
				return nil, err
			}
			if name == "" {
				return nil, fmt.Errorf("property StageName is required")
			}
			return &identity{ref: name}, nil
		},
		build: (*builder).apiStage,
	},
}

func apiChildIdentity(attr string) func(*resolver, *resource) (*identity, error) {
	return func(r *resolver, res *resource) (*identity, error) {
		id := shortID(r.opts.StackName+"/"+res.LogicalID, 6)
		attrs := map[string]string{}
		if attr != "" {
			attrs[attr] = id
		}
		return &identity{ref: id, attrs: attrs}, nil
	}
}
