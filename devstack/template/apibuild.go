package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

func (b *builder) restAPI(res *resource, props map[string]any) error {
	var p struct{ Name string }
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	root := &Resource{ID: id.attrs["RootResourceId"], Path: "/"}
	b.s.RestAPIs = append(b.s.RestAPIs, &RestAPI{
		LogicalID: res.LogicalID, ID: id.ref, Name: p.Name, RootResourceID: root.ID, Resources: []*Resource{root},
	})
	return nil
}

func (b *builder) apiResource(res *resource, props map[string]any) error {
	var p struct{ RestApiId, ParentId, PathPart string }
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if p.PathPart == "" || strings.Contains(p.PathPart, "/") {
		return fmt.Errorf("property PathPart %q must be one non-empty path segment", p.PathPart)
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	b.api.resources = append(b.api.resources, apiChild[*Resource]{res, p.RestApiId,
		&Resource{LogicalID: res.LogicalID, ID: id.ref, ParentID: p.ParentId, PathPart: p.PathPart}})
	return nil
}

var httpMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}

func (b *builder) apiMethod(res *resource, props map[string]any) error {
	var p struct {
		RestApiId, ResourceId, HttpMethod, AuthorizationType, AuthorizerId, RequestValidatorId string
		ApiKeyRequired                                                                         flexBool
		RequestModels                                                                          map[string]string
		Integration                                                                            *struct {
			Type                  string
			Uri                   string
			IntegrationHttpMethod string
			RequestTemplates      map[string]string
			IntegrationResponses  []IntegrationResponse
		}
		MethodResponses []struct {
			StatusCode         string
			ResponseParameters map[string]flexBool
			ResponseModels     map[string]string
		}
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if !slices.Contains(httpMethods, p.HttpMethod) {
		return fmt.Errorf("property HttpMethod %q is not one of %v", p.HttpMethod, httpMethods)
	}
	if p.ApiKeyRequired.value {
		return &UnsupportedError{Property: "ApiKeyRequired", Reason: "API keys"}
	}
	m := &Method{LogicalID: res.LogicalID, HTTPMethod: p.HttpMethod, AuthorizationType: p.AuthorizationType}
	switch m.AuthorizationType {
	case "", "NONE":
		m.AuthorizationType = "NONE"
		if p.AuthorizerId != "" {
			return fmt.Errorf("property AuthorizerId needs AuthorizationType CUSTOM")
		}
	case "CUSTOM":
		if p.AuthorizerId == "" {
			return fmt.Errorf("property AuthorizerId is required with AuthorizationType CUSTOM")
		}
	default:
		return &UnsupportedError{Property: "AuthorizationType", Reason: "authorization type " + m.AuthorizationType + " (only NONE and CUSTOM)"}
	}
	if p.Integration == nil {
		return fmt.Errorf("property Integration is required")
	}
	in := p.Integration
	m.Integration = Integration{Type: in.Type, HTTPMethod: in.IntegrationHttpMethod, URI: in.Uri,
		RequestTemplates: in.RequestTemplates, Responses: in.IntegrationResponses}
	switch in.Type {
	case IntegrationLambdaProxy:
		if in.IntegrationHttpMethod != "POST" {
			return fmt.Errorf("property Integration.IntegrationHttpMethod must be POST for a Lambda proxy integration")
		}
		fn, err := b.functionOfURI(in.Uri)
		if err != nil {
			return &UnsupportedError{Property: "Integration.Uri", Reason: err.Error()}
		}
		m.Integration.FunctionLogicalID, m.Integration.FunctionName, m.Integration.FunctionARN = fn.LogicalID, fn.Name, fn.ARN
	case IntegrationMock:
	default:
		return &UnsupportedError{Property: "Integration.Type", Reason: "integration type " + in.Type + " (only AWS_PROXY and MOCK)"}
	}
	for _, r := range p.MethodResponses {
		mr := MethodResponse{StatusCode: r.StatusCode, ResponseModels: r.ResponseModels}
		if r.ResponseParameters != nil {
			mr.ResponseParameters = make(map[string]bool, len(r.ResponseParameters))
			for k, v := range r.ResponseParameters {
				mr.ResponseParameters[k] = v.value
			}
		}
		m.MethodResponses = append(m.MethodResponses, mr)
	}
	b.api.methods = append(b.api.methods, apiMethodPart{
		apiChild: apiChild[*Method]{res, p.RestApiId, m}, resourceID: p.ResourceId,
		authorizerID: p.AuthorizerId, validatorID: p.RequestValidatorId, models: p.RequestModels,
	})
	return nil
}

// functionOfURI returns the function a Lambda integration URI calls:
// arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations.
func (b *builder) functionOfURI(uri string) (*Function, error) {
	_, rest, ok := strings.Cut(uri, ":lambda:path/2015-03-31/functions/")
	arn, ok2 := strings.CutSuffix(rest, "/invocations")
	if !strings.HasPrefix(uri, "arn:") || !ok || !ok2 {
		return nil, fmt.Errorf("URI %q is not a Lambda invocation URI", uri)
	}
	fn, ok := b.s.LookupFunction(arn)
	if !ok || fn.ARN != arn {
		return nil, fmt.Errorf("URI %q: function %q is not a function of the template", uri, arn)
	}
	return fn, nil
}

func (b *builder) apiAuthorizer(res *resource, props map[string]any) error {
	var p struct {
		RestApiId, Name, Type, AuthorizerUri, IdentitySource string
		AuthorizerResultTtlInSeconds                         flexInt
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if p.Type != "TOKEN" {
		return &UnsupportedError{Property: "Type", Reason: "authorizer type " + p.Type + " (only TOKEN)"}
	}
	header, ok := strings.CutPrefix(p.IdentitySource, "method.request.header.")
	if !ok || header == "" {
		return &UnsupportedError{Property: "IdentitySource", Reason: fmt.Sprintf("identity source %q (only method.request.header.<name>)", p.IdentitySource)}
	}
	ttl := p.AuthorizerResultTtlInSeconds.or(300)
	if ttl < 0 || ttl > 3600 {
		return fmt.Errorf("property AuthorizerResultTtlInSeconds %d is outside 0..3600", ttl)
	}
	fn, err := b.functionOfURI(p.AuthorizerUri)
	if err != nil {
		return &UnsupportedError{Property: "AuthorizerUri", Reason: err.Error()}
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	b.api.authorizers = append(b.api.authorizers, apiChild[*Authorizer]{res, p.RestApiId, &Authorizer{
		LogicalID: res.LogicalID, ID: id.ref, Name: p.Name, Type: p.Type, IdentitySource: p.IdentitySource,
		IdentityHeader: header, ResultTTL: time.Duration(ttl) * time.Second, URI: p.AuthorizerUri,
		FunctionLogicalID: fn.LogicalID, FunctionName: fn.Name, FunctionARN: fn.ARN,
	}})
	return nil
}

func (b *builder) apiModel(res *resource, props map[string]any) error {
	var p struct {
		RestApiId, Name, ContentType string
		Schema                       *jsonDoc
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	m := &Model{LogicalID: res.LogicalID, Name: id.ref, ContentType: p.ContentType}
	if p.Schema != nil {
		m.Schema = json.RawMessage(*p.Schema)
	}
	b.api.models = append(b.api.models, apiChild[*Model]{res, p.RestApiId, m})
	return nil
}

func (b *builder) apiValidator(res *resource, props map[string]any) error {
	var p struct {
		RestApiId, Name                                string
		ValidateRequestBody, ValidateRequestParameters flexBool
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	id, err := b.identityOf(res)
	if err != nil {
		return err
	}
	b.api.validators = append(b.api.validators, apiChild[*RequestValidator]{res, p.RestApiId, &RequestValidator{
		LogicalID: res.LogicalID, ID: id.ref, Name: p.Name,
		ValidateBody: p.ValidateRequestBody.value, ValidateParameters: p.ValidateRequestParameters.value,
	}})
	return nil
}

func (b *builder) apiGatewayResponse(res *resource, props map[string]any) error {
	var p struct {
		RestApiId, ResponseType, StatusCode   string
		ResponseParameters, ResponseTemplates map[string]string
	}
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	if p.ResponseType == "" {
		return fmt.Errorf("property ResponseType is required")
	}
	b.api.responses = append(b.api.responses, apiChild[*GatewayResponse]{res, p.RestApiId, &GatewayResponse{
		LogicalID: res.LogicalID, ResponseType: p.ResponseType, StatusCode: p.StatusCode,
		ResponseParameters: p.ResponseParameters, ResponseTemplates: p.ResponseTemplates,
	}})
	return nil
}

func (b *builder) apiStage(res *resource, props map[string]any) error {
	var p struct{ RestApiId, StageName, DeploymentId string }
	if err := decodeProps(props, &p); err != nil {
		return err
	}
	st := &Stage{LogicalID: res.LogicalID, Name: p.StageName}
	if b.r.opts.APIEndpoint != "" {
		st.InvokeURL = b.r.opts.APIEndpoint + "/" + p.StageName + "/"
	}
	b.api.stages = append(b.api.stages, apiChild[*Stage]{res, p.RestApiId, st})
	return nil
}

// assembleAPIs puts every API Gateway part into its RestAPI and links
// methods to their resources, authorizers, validators and models.
func (b *builder) assembleAPIs() error {
	apis := map[string]*RestAPI{}
	for _, a := range b.s.RestAPIs {
		apis[a.ID] = a
	}
	var errs []error
	fail := func(res *resource, prop, reason string) {
		errs = append(errs, resourceError(res, &UnsupportedError{Property: prop, Reason: reason}))
	}
	apiOf := func(res *resource, apiID string) *RestAPI {
		a, ok := apis[apiID]
		if !ok {
			fail(res, "RestApiId", fmt.Sprintf("%q is not a REST API of the template", apiID))
		}
		return a
	}
	resources := map[string]*Resource{}
	parentAPI := map[string]*RestAPI{}
	for _, a := range b.s.RestAPIs {
		resources[a.RootResourceID], parentAPI[a.RootResourceID] = a.Resources[0], a
	}
	for _, c := range b.api.resources {
		if a := apiOf(c.res, c.apiID); a != nil {
			a.Resources = append(a.Resources, c.view)
			resources[c.view.ID], parentAPI[c.view.ID] = c.view, a
		}
	}
	for _, c := range b.api.resources {
		if err := resourcePath(c.view, resources, parentAPI); err != nil {
			errs = append(errs, resourceError(c.res, err))
		}
	}
	authorizers := map[string]*Authorizer{}
	for _, c := range b.api.authorizers {
		if a := apiOf(c.res, c.apiID); a != nil {
			a.Authorizers = append(a.Authorizers, c.view)
			authorizers[c.apiID+"/"+c.view.ID] = c.view
		}
	}
	validators := map[string]*RequestValidator{}
	for _, c := range b.api.validators {
		if a := apiOf(c.res, c.apiID); a != nil {
			a.RequestValidators = append(a.RequestValidators, c.view)
			validators[c.apiID+"/"+c.view.ID] = c.view
		}
	}
	models := map[string]*Model{}
	for _, c := range b.api.models {
		if a := apiOf(c.res, c.apiID); a != nil {
			a.Models = append(a.Models, c.view)
			models[c.apiID+"/"+c.view.Name] = c.view
		}
	}
	for _, c := range b.api.responses {
		if a := apiOf(c.res, c.apiID); a != nil {
			if _, dup := a.GatewayResponse(c.view.ResponseType); dup {
				fail(c.res, "ResponseType", "a second gateway response of type "+c.view.ResponseType)
				continue
			}
			a.GatewayResponses = append(a.GatewayResponses, c.view)
		}
	}
	for _, c := range b.api.stages {
		if a := apiOf(c.res, c.apiID); a != nil {
			a.Stages = append(a.Stages, c.view)
		}
	}
	for _, c := range b.api.methods {
		a := apiOf(c.res, c.apiID)
		if a == nil {
			continue
		}
		m := c.view
		r, ok := resources[c.resourceID]
		if !ok || parentAPI[c.resourceID] != a {
			fail(c.res, "ResourceId", fmt.Sprintf("%q is not a resource of REST API %s", c.resourceID, a.LogicalID))
			continue
		}
		if slices.ContainsFunc(r.Methods, func(x *Method) bool { return x.HTTPMethod == m.HTTPMethod }) {
			fail(c.res, "HttpMethod", fmt.Sprintf("a second %s method on %s", m.HTTPMethod, r.Path))
			continue
		}
		m.ResourcePath = r.Path
		if c.authorizerID != "" {
			if m.Authorizer, ok = authorizers[c.apiID+"/"+c.authorizerID]; !ok {
				fail(c.res, "AuthorizerId", fmt.Sprintf("%q is not an authorizer of REST API %s", c.authorizerID, a.LogicalID))
				continue
			}
		}
		if c.validatorID != "" {
			if m.RequestValidator, ok = validators[c.apiID+"/"+c.validatorID]; !ok {
				fail(c.res, "RequestValidatorId", fmt.Sprintf("%q is not a request validator of REST API %s", c.validatorID, a.LogicalID))
				continue
			}
		}
		if len(c.models) > 0 {
			m.RequestModels = make(map[string]*Model, len(c.models))
			for contentType, name := range c.models {
				model, ok := models[c.apiID+"/"+name]
				if !ok {
					fail(c.res, "RequestModels", fmt.Sprintf("model %q is not a model of REST API %s", name, a.LogicalID))
					continue
				}
				m.RequestModels[contentType] = model
			}
		}
		r.Methods = append(r.Methods, m)
	}
	for _, a := range b.s.RestAPIs {
		sort.SliceStable(a.Resources, func(i, j int) bool { return a.Resources[i].Path < a.Resources[j].Path })
		for _, r := range a.Resources {
			sort.Slice(r.Methods, func(i, j int) bool { return r.Methods[i].HTTPMethod < r.Methods[j].HTTPMethod })
		}
	}
	return errors.Join(errs...)
}

// resourcePath sets r.Path from its ancestors, refusing cycles, unknown
// parents and parents of another API.
func resourcePath(r *Resource, resources map[string]*Resource, apiOf map[string]*RestAPI) error {
	var parts []string
	seen := map[string]bool{}
	cur := r
	for cur.ParentID != "" {
		if seen[cur.ID] {
			return fmt.Errorf("property ParentId: the resource is its own ancestor")
		}
		seen[cur.ID] = true
		parts = append(parts, cur.PathPart)
		parent, ok := resources[cur.ParentID]
		if !ok || apiOf[cur.ParentID] != apiOf[r.ID] {
			return &UnsupportedError{Property: "ParentId", Reason: fmt.Sprintf("%q is not a resource of the same REST API", cur.ParentID)}
		}
		cur = parent
	}
	if cur == r {
		return fmt.Errorf("property ParentId is required")
	}
	slices.Reverse(parts)
	r.Path = "/" + strings.Join(parts, "/")
	return nil
}
