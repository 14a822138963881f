package template

import (
	"encoding/json"
	"time"
)

// RestAPI is an AWS::ApiGateway::RestApi with its resources, methods,
// authorizers, models, validators, gateway responses and stages.
type RestAPI struct {
	LogicalID      string
	ID             string
	Name           string
	RootResourceID string
	// Resources are sorted by path; the first is the root, "/".
	Resources         []*Resource
	Authorizers       []*Authorizer
	Models            []*Model
	RequestValidators []*RequestValidator
	GatewayResponses  []*GatewayResponse
	Stages            []*Stage
}

// Resource returns the resource with this path, e.g. "/users/{id}".
func (a *RestAPI) Resource(path string) (*Resource, bool) {
	for _, r := range a.Resources {
		if r.Path == path {
			return r, true
		}
	}
	return nil, false
}

// GatewayResponse returns the gateway response of this type, e.g.
// "UNAUTHORIZED" or "DEFAULT_4XX".
func (a *RestAPI) GatewayResponse(responseType string) (*GatewayResponse, bool) {
	for _, g := range a.GatewayResponses {
		if g.ResponseType == responseType {
			return g, true
		}
	}
	return nil, false
}

// Resource is a path of the API.
type Resource struct {
	// LogicalID is empty for the root resource.
	LogicalID string
	ID        string
	// ParentID is empty for the root resource.
	ParentID string
	// PathPart is e.g. "{id}"; empty for the root resource.
	PathPart string
	// Path is the full path, e.g. "/users/{id}".
	Path string
	// Methods are sorted by HTTP method.
	Methods []*Method
}

// Method returns the resource's method for an HTTP method, or its ANY
// method.
func (r *Resource) Method(httpMethod string) (*Method, bool) {
	var anyMethod *Method
	for _, m := range r.Methods {
		if m.HTTPMethod == httpMethod {
			return m, true
		}
		if m.HTTPMethod == "ANY" {
			anyMethod = m
		}
	}
	return anyMethod, anyMethod != nil
}

// Method is an AWS::ApiGateway::Method.
type Method struct {
	LogicalID  string
	HTTPMethod string
	// ResourcePath is the path of the method's resource.
	ResourcePath string
	// AuthorizationType is NONE or CUSTOM (a Lambda authorizer).
	AuthorizationType string
	// Authorizer is set when AuthorizationType is CUSTOM.
	Authorizer *Authorizer
	// RequestValidator is nil when requests are not validated.
	RequestValidator *RequestValidator
	// RequestModels maps a content type to the model a body must match.
	RequestModels   map[string]*Model
	Integration     Integration
	MethodResponses []MethodResponse
}

// Integration types.
const (
	IntegrationLambdaProxy = "AWS_PROXY"
	IntegrationMock        = "MOCK"
)

// Integration is what a method calls: a Lambda function with the proxy
// integration, or a mock (CORS preflight methods).
type Integration struct {
	// Type is AWS_PROXY or MOCK.
	Type       string
	HTTPMethod string
	URI        string
	// FunctionLogicalID, FunctionName and FunctionARN name the function of
	// an AWS_PROXY integration.
	FunctionLogicalID string
	FunctionName      string
	FunctionARN       string
	RequestTemplates  map[string]string
	Responses         []IntegrationResponse
}

// IntegrationResponse maps a mock integration's result to a response.
type IntegrationResponse struct {
	StatusCode         string
	SelectionPattern   string
	ResponseParameters map[string]string
	ResponseTemplates  map[string]string
}

// MethodResponse declares a response of a method.
type MethodResponse struct {
	StatusCode         string
	ResponseParameters map[string]bool
	ResponseModels     map[string]string
}

// Authorizer is a Lambda TOKEN authorizer.
type Authorizer struct {
	LogicalID string
	ID        string
	Name      string
	// Type is TOKEN.
	Type string
	// IdentitySource is e.g. "method.request.header.Authorization";
	// IdentityHeader is the header it names.
	IdentitySource string
	IdentityHeader string
	// ResultTTL is how long a policy is cached per token; 0 disables the
	// cache. Default 300 seconds.
	ResultTTL         time.Duration
	URI               string
	FunctionLogicalID string
	FunctionName      string
	FunctionARN       string
}

// RequestValidator says what a method validates.
type RequestValidator struct {
	LogicalID          string
	ID                 string
	Name               string
	ValidateBody       bool
	ValidateParameters bool
}

// Model is a JSON schema a request body must match.
type Model struct {
	LogicalID   string
	Name        string
	ContentType string
	Schema      json.RawMessage
}

// GatewayResponse customizes a response API Gateway itself sends.
type GatewayResponse struct {
	LogicalID string
	// ResponseType is e.g. UNAUTHORIZED, BAD_REQUEST_BODY, DEFAULT_4XX.
	ResponseType string
	// StatusCode overrides the type's status code; empty keeps it.
	StatusCode         string
	ResponseParameters map[string]string
	ResponseTemplates  map[string]string
}

// Stage is a deployed stage of the API.
type Stage struct {
	LogicalID string
	Name      string
	// InvokeURL is "<APIEndpoint>/<stage>/"; empty without
	// Options.APIEndpoint.
	InvokeURL string
}

// apiParts are the API Gateway resources, built before they are assembled
// into their RestAPIs.
type apiParts struct {
	resources   []apiChild[*Resource]
	methods     []apiMethodPart
	authorizers []apiChild[*Authorizer]
	models      []apiChild[*Model]
	validators  []apiChild[*RequestValidator]
	responses   []apiChild[*GatewayResponse]
	stages      []apiChild[*Stage]
}

type apiChild[T any] struct {
	res   *resource
	apiID string
	view  T
}

type apiMethodPart struct {
	apiChild[*Method]
	resourceID   string
	authorizerID string
	validatorID  string
	models       map[string]string
}
