// Package apigw serves one API Gateway REST API (v1) from the template's
// RestAPI view, as an http.Handler: devstack's stand-in for execute-api.
//
// What it does, as API Gateway documents it for REST APIs:
//
//   - Routing: each stage is served under /<stage>/; the path below it is
//     matched against the template's resources, a literal part before a
//     {param} part before a greedy {param+} part, and the method against
//     the resource's methods, ANY matching every method. An unknown path
//     or a method the resource does not define is
//     MISSING_AUTHENTICATION_TOKEN (403 {"message":"Missing Authentication
//     Token"} unless the API customizes it); an unknown stage is 403
//     {"message":"Forbidden"}.
//   - Gateway responses: every response API Gateway itself sends uses the
//     API's gateway response of its type, else DEFAULT_4XX/DEFAULT_5XX,
//     else the built-in {"message": ...}: status code, headers (static
//     'values' and method.request.header|querystring|path references) and
//     the body template with $context variables ($context.requestId,
//     $context.error.messageString, $context.error.message,
//     $context.error.responseType, ...) substituted. Templates that need
//     Velocity directives, $input or $util are refused at New.
//   - TOKEN authorizers: the identity header missing or empty is 401
//     UNAUTHORIZED without calling the authorizer; the authorizer gets
//     {"type":"TOKEN","authorizationToken","methodArn"}; its error
//     "Unauthorized" is 401; any other failure (error, throttle, timeout,
//     an answer without principalId or policyDocument, or with a context
//     value that is not a string, number or boolean) is 500
//     AUTHORIZER_CONFIGURATION_ERROR with {"message":null}; a policy that
//     explicitly denies the method ARN, or does not allow it, is 403
//     ACCESS_DENIED. Answers are cached per authorizer and token for the
//     authorizer's TTL (0 disables the cache), and a cached policy is
//     evaluated against each request's method ARN with IAM's * and ?
//     wildcards. The function's requestContext.authorizer holds the
//     context values (as strings, as REST APIs pass them), principalId and
//     integrationLatency.
//   - Request validation, after authorization: when the method's validator
//     validates bodies, the body is validated against the method's model
//     for the request's Content-Type (application/json when absent;
//     $default when no model matches; no validation when neither exists)
//     as JSON Schema draft 4; a failure is 400 BAD_REQUEST_BODY
//     ("Invalid request body") and no function is called. Parameter
//     validation has nothing to check: the template package refuses
//     method RequestParameters.
//   - Lambda proxy integration (AWS_PROXY): the function gets the v1
//     event (events.APIGatewayProxyRequest) with headers (last value) and
//     multiValueHeaders, the forwarding headers API Gateway adds,
//     queryStringParameters and multiValueQueryStringParameters (null when
//     none), pathParameters, stageVariables (null), body (null when empty;
//     base64 with isBase64Encoded when the Content-Type is one of
//     Config.BinaryMediaTypes) and requestContext. Its answer must be
//     {statusCode, headers, multiValueHeaders, body, isBase64Encoded};
//     a base64 body is decoded when the request's first Accept type is a
//     binary media type. A function error or a malformed answer is 502
//     {"message":"Internal server error"}; the Lambda service refusing the
//     invocation (throttled at its concurrency, not found) is 500 with the
//     same body (INTEGRATION_FAILURE), as API Gateway answers a Lambda 429;
//     no answer within Config.IntegrationTimeout (29 s) is 504
//     INTEGRATION_TIMEOUT ("Endpoint request timed out"). A body over
//     10 MB is 413 REQUEST_TOO_LARGE.
//   - MOCK integrations (the CORS preflight OPTIONS methods): the request
//     template's statusCode selects the integration response (by
//     selection pattern, else the default one), whose static headers and
//     template make the response.
//
// Not provided: API keys and usage plans, throttling of the API itself,
// REQUEST authorizers, Cognito and IAM authorization, non-proxy Lambda
// and HTTP integrations, stage variables, and mapping templates beyond
// $context substitution; the template package refuses what would need
// them.
//
// It is written here because no maintained Go library serves a REST API
// from a CloudFormation template: AWS SAM CLI's local API (Python) runs
// functions in Docker containers, LocalStack's API Gateway (Python) needs
// its own runtime, and aws-lambda-go-api-proxy goes the other way (a Lambda
// event into net/http).
package apigw
