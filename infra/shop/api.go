package shop

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/goshop-dev/goshop/api"
	"github.com/goshop-dev/goshop/internal/routes"
)

// AuthorizerFunction verifies bearer tokens for every authenticated route.
const AuthorizerFunction = "users-authorizer"

// corsHeaders are the request headers a browser client sends.
var corsHeaders = []string{"Content-Type", "Authorization", "Idempotency-Key", "X-Correlation-Id"}

// API is the REST API and the method created for each route.
type API struct {
	Rest    awsapigateway.RestApi
	Methods map[string]awsapigateway.Method // by function name
}

// newAPI creates the REST API: one Lambda proxy integration per route of
// internal/routes, the token authorizer on every authenticated route, JSON
// access logs, tracing, stage throttling with a usage plan, CORS, and
// gateway responses in the API's error envelope.
func newAPI(stack awscdk.Stack, cfg Config, functions map[string]*Function) *API {
	accessLogs := awslogs.NewLogGroup(stack, jsii.String("ApiAccessLogs"), &awslogs.LogGroupProps{
		Retention:     cfg.LogRetention,
		RemovalPolicy: cfg.RemovalPolicy,
	})
	rest := awsapigateway.NewRestApi(stack, jsii.String("RestApi"), &awsapigateway.RestApiProps{
		RestApiName:                 jsii.String("goshop-" + cfg.Stage),
		Description:                 jsii.String("goshop e-commerce API (" + cfg.Stage + ")"),
		CloudWatchRole:              jsii.Bool(true),
		CloudWatchRoleRemovalPolicy: awscdk.RemovalPolicy_RETAIN,
		DeployOptions: &awsapigateway.StageOptions{
			StageName:            jsii.String(cfg.Stage),
			TracingEnabled:       jsii.Bool(true),
			MetricsEnabled:       jsii.Bool(true),
			LoggingLevel:         awsapigateway.MethodLoggingLevel_ERROR,
			ThrottlingRateLimit:  jsii.Number(cfg.ThrottleRate),
			ThrottlingBurstLimit: jsii.Number(cfg.ThrottleBurst),
			AccessLogDestination: awsapigateway.NewLogGroupLogDestination(accessLogs),
			AccessLogFormat:      awsapigateway.AccessLogFormat_JsonWithStandardFields(jsonAccessLogFields()),
		},
		DefaultCorsPreflightOptions: &awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings(cfg.CORSOrigin),
			AllowMethods: awsapigateway.Cors_ALL_METHODS(),
			AllowHeaders: jsii.Strings(corsHeaders...),
			MaxAge:       awscdk.Duration_Hours(jsii.Number(1)),
		},
		EndpointTypes: &[]awsapigateway.EndpointType{awsapigateway.EndpointType_REGIONAL},
	})

	authorizer := awsapigateway.NewTokenAuthorizer(stack, jsii.String("TokenAuthorizer"), &awsapigateway.TokenAuthorizerProps{
		Handler:         functions[AuthorizerFunction].Lambda,
		IdentitySource:  jsii.String("method.request.header.Authorization"),
		ResultsCacheTtl: awscdk.Duration_Minutes(jsii.Number(5)),
	})
	validator := rest.AddRequestValidator(jsii.String("ValidateBodyAndParameters"), &awsapigateway.RequestValidatorOptions{
		ValidateRequestBody:       jsii.Bool(true),
		ValidateRequestParameters: jsii.Bool(true),
	})

	out := &API{Rest: rest, Methods: map[string]awsapigateway.Method{}}
	for _, r := range routes.All {
		fn, ok := functions[r.Function]
		if !ok {
			panic(fmt.Sprintf("route %s: no function %s in Services", r.Pattern(), r.Function))
		}
		opts := &awsapigateway.MethodOptions{
			OperationName:    jsii.String(r.Function),
			RequestValidator: validator,
		}
		if r.Access == routes.Authenticated {
			opts.AuthorizationType = awsapigateway.AuthorizationType_CUSTOM
			opts.Authorizer = authorizer
		}
		if schema, ok := api.RequestModel(r.Function); ok {
			// The model is the request schema of the OpenAPI document, so
			// API Gateway refuses what the function would refuse before
			// the function runs.
			model := awsapigateway.NewCfnModel(stack, jsii.String(exportName(r.Function)+"Model"), &awsapigateway.CfnModelProps{
				RestApiId:   rest.RestApiId(),
				ContentType: jsii.String("application/json"),
				Description: jsii.String("Request body of " + r.Pattern()),
				Schema:      schema,
			})
			opts.RequestModels = &map[string]awsapigateway.IModel{
				"application/json": awsapigateway.Model_FromModelName(stack, jsii.String(exportName(r.Function)+"ModelRef"), model.Ref()),
			}
		}
		integration := awsapigateway.NewLambdaIntegration(fn.Lambda, &awsapigateway.LambdaIntegrationOptions{
			Proxy:           jsii.Bool(true),
			AllowTestInvoke: jsii.Bool(false),
		})
		method := rest.Root().ResourceForPath(jsii.String(r.Path)).AddMethod(jsii.String(r.Method), integration, opts)
		out.Methods[r.Function] = method
		suppress(method, "AwsSolutions-COG4",
			"Callers authenticate with the users service's own JWTs, verified by the Lambda TOKEN authorizer; "+
				"Cognito is not used so the same app runs on LocalStack's free plan and on devstack.")
		switch {
		case r.Access == routes.Public && fn.Spec.Health:
			suppress(method, "AwsSolutions-APIG4",
				r.Pattern()+" is public by design: a canary, a failover check or a deployment gate polls it without "+
					"a token; it reads nothing but the probe item, shows no data and is throttled by the stage.")
		case r.Access == routes.Public:
			suppress(method, "AwsSolutions-APIG4",
				r.Pattern()+" is public by design: it is how a visitor registers, logs in or browses the catalog.")
		}
	}
	suppress(rest, "AwsSolutions-IAM4",
		"API Gateway's account-level logging role uses AmazonAPIGatewayPushToCloudWatchLogs, the managed policy "+
			"AWS documents for writing access and execution logs.",
		"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")

	addGatewayResponses(rest, cfg)
	rest.AddUsagePlan(jsii.String("UsagePlan"), &awsapigateway.UsagePlanProps{
		Name:        jsii.String("goshop-" + cfg.Stage),
		Description: jsii.String("Default throttling for every client of the stage"),
		Throttle:    &awsapigateway.ThrottleSettings{RateLimit: jsii.Number(cfg.ThrottleRate), BurstLimit: jsii.Number(cfg.ThrottleBurst)},
		ApiStages:   &[]*awsapigateway.UsagePlanPerApiStage{{Api: rest, Stage: rest.DeploymentStage()}},
	})
	if cfg.WAF {
		newWebACL(stack, rest)
	}
	return out
}

func jsonAccessLogFields() *awsapigateway.JsonWithStandardFieldProps {
	t := jsii.Bool(true)
	return &awsapigateway.JsonWithStandardFieldProps{
		Caller: t, HttpMethod: t, Ip: t, Protocol: t, RequestTime: t,
		ResourcePath: t, ResponseLength: t, Status: t, User: t,
	}
}

// addGatewayResponses makes API Gateway's own refusals (authorizer 401 and
// 403, throttling, oversized bodies, unknown routes) use the same error
// envelope as the functions, with CORS headers so browsers can read them.
func addGatewayResponses(rest awsapigateway.RestApi, cfg Config) {
	responses := []struct {
		id, code string
		typ      awsapigateway.ResponseType
	}{
		{"Unauthorized", "unauthorized", awsapigateway.ResponseType_UNAUTHORIZED()},
		{"AccessDenied", "forbidden", awsapigateway.ResponseType_ACCESS_DENIED()},
		{"MissingToken", "route_not_found", awsapigateway.ResponseType_MISSING_AUTHENTICATION_TOKEN()},
		{"BadBody", "invalid_body", awsapigateway.ResponseType_BAD_REQUEST_BODY()},
		{"TooLarge", "body_too_large", awsapigateway.ResponseType_REQUEST_TOO_LARGE()},
		{"Throttled", "throttled", awsapigateway.ResponseType_THROTTLED()},
		{"WafFiltered", "forbidden", awsapigateway.ResponseType_WAF_FILTERED()},
		{"Default4xx", "bad_request", awsapigateway.ResponseType_DEFAULT_4XX()},
		{"Default5xx", "internal", awsapigateway.ResponseType_DEFAULT_5XX()},
	}
	for _, r := range responses {
		body := `{"error":{"code":"` + r.code + `","message":$context.error.messageString,"requestId":"$context.requestId"}}`
		opts := &awsapigateway.GatewayResponseOptions{
			Type: r.typ,
			ResponseHeaders: &map[string]*string{
				"Access-Control-Allow-Origin": jsii.String("'" + cfg.CORSOrigin + "'"),
			},
			Templates: &map[string]*string{"application/json": jsii.String(body)},
		}
		if r.id == "MissingToken" {
			// API Gateway answers an unknown path with 403 "Missing
			// Authentication Token"; clients should see a 404.
			opts.StatusCode = jsii.String("404")
		}
		rest.AddGatewayResponse(jsii.String(r.id), opts)
	}
}
