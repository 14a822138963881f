package apigw

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/goshop-dev/goshop/devstack/template"
)

// Gateway response types devstack sends, with API Gateway's default status
// codes and the x-amzn-ErrorType each carries.
const (
	MissingAuthenticationToken   = "MISSING_AUTHENTICATION_TOKEN"
	Unauthorized                 = "UNAUTHORIZED"
	AccessDenied                 = "ACCESS_DENIED"
	AuthorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
	BadRequestBody               = "BAD_REQUEST_BODY"
	RequestTooLarge              = "REQUEST_TOO_LARGE"
	IntegrationFailure           = "INTEGRATION_FAILURE"
	IntegrationTimeout           = "INTEGRATION_TIMEOUT"
	APIConfigurationError        = "API_CONFIGURATION_ERROR"
	Default4XX                   = "DEFAULT_4XX"
	Default5XX                   = "DEFAULT_5XX"
)

// gatewayError is a response API Gateway itself sends.
type gatewayError struct {
	// responseType is the gateway response type; Default5XX for errors
	// without a type of their own (a function error's 502).
	responseType string
	status       int
	// message is $context.error.message; null when nullMessage.
	message     string
	nullMessage bool
	errorType   string
}

var (
	errMissingToken = gatewayError{responseType: MissingAuthenticationToken, status: http.StatusForbidden,
		message: "Missing Authentication Token", errorType: "MissingAuthenticationTokenException"}
	errUnauthorized = gatewayError{responseType: Unauthorized, status: http.StatusUnauthorized,
		message: "Unauthorized", errorType: "UnauthorizedException"}
	errExplicitDeny = gatewayError{responseType: AccessDenied, status: http.StatusForbidden,
		message: "User is not authorized to access this resource with an explicit deny", errorType: "AccessDeniedException"}
	errImplicitDeny = gatewayError{responseType: AccessDenied, status: http.StatusForbidden,
		message: "User is not authorized to access this resource", errorType: "AccessDeniedException"}
	errAuthorizerConfig = gatewayError{responseType: AuthorizerConfigurationError, status: http.StatusInternalServerError,
		nullMessage: true, errorType: "AuthorizerConfigurationException"}
	errBadBody = gatewayError{responseType: BadRequestBody, status: http.StatusBadRequest,
		message: "Invalid request body", errorType: "BadRequestException"}
	errTooLarge = gatewayError{responseType: RequestTooLarge, status: http.StatusRequestEntityTooLarge,
		message: "Request Too Long", errorType: "RequestTooLargeException"}
	// errLambdaRejected: the Lambda service refused the invocation
	// (throttled, not found): API Gateway answers 500, not Lambda's 429.
	errLambdaRejected = gatewayError{responseType: IntegrationFailure, status: http.StatusInternalServerError,
		message: "Internal server error", errorType: "InternalServerErrorException"}
	// errFunction: the function failed or answered a malformed proxy
	// response: 502, with no gateway response type of its own.
	errFunction = gatewayError{responseType: Default5XX, status: http.StatusBadGateway,
		message: "Internal server error", errorType: "InternalServerErrorException"}
	errTimeout = gatewayError{responseType: IntegrationTimeout, status: http.StatusGatewayTimeout,
		message: "Endpoint request timed out", errorType: "InternalServerErrorException"}
	errAPIConfig = gatewayError{responseType: APIConfigurationError, status: http.StatusInternalServerError,
		message: "Internal server error", errorType: "InternalServerErrorException"}
)

// messageString is $context.error.messageString: the message as a quoted
// JSON string, or null.
func (e gatewayError) messageString() string {
	if e.nullMessage {
		return "null"
	}
	b, _ := json.Marshal(e.message)
	return string(b)
}

func (e gatewayError) messageValue() string {
	if e.nullMessage {
		return ""
	}
	return e.message
}

// defaultTemplate is the body API Gateway sends when no gateway response
// template applies.
const defaultTemplate = `{"message":$context.error.messageString}`

// vars are the values a template may use.
type vars map[string]string

// contextVar matches ${context.x.y} and $context.x.y; only these are
// substituted.
var contextVar = regexp.MustCompile(`\$\{(context(?:\.[A-Za-z0-9_]+)+)\}|\$(context(?:\.[A-Za-z0-9_]+)+)`)

// render substitutes $context variables. An unknown variable renders as
// the empty string, as API Gateway renders an undefined $context value.
func render(tmpl string, v vars) string {
	return contextVar.ReplaceAllStringFunc(tmpl, func(m string) string {
		sub := contextVar.FindStringSubmatch(m)
		return v[sub[1]+sub[2]]
	})
}

// checkTemplate refuses templates that need Velocity directives, which
// devstack does not evaluate.
func checkTemplate(where, tmpl string) error {
	if strings.Contains(tmpl, "#set") || strings.Contains(tmpl, "#if") || strings.Contains(tmpl, "#foreach") ||
		strings.Contains(tmpl, "$input.") || strings.Contains(tmpl, "$util.") {
		return fmt.Errorf("%s: template %q uses Velocity directives or $input/$util, which devstack does not evaluate", where, tmpl)
	}
	return nil
}

// headerSource is how a mapped response header gets its value.
type headerSource struct {
	static string
	// from is "header", "querystring" or "path" with name, for
	// method.request.<from>.<name>; empty for a static value.
	from, name string
}

// parseHeaderSource parses a response parameter's value: 'static' or
// method.request.{header,querystring,path}.name.
func parseHeaderSource(where, value string) (headerSource, error) {
	if len(value) >= 2 && strings.HasPrefix(value, "'") && strings.HasSuffix(value, "'") {
		return headerSource{static: value[1 : len(value)-1]}, nil
	}
	for _, from := range []string{"header", "querystring", "path"} {
		if name, ok := strings.CutPrefix(value, "method.request."+from+"."); ok && name != "" {
			return headerSource{from: from, name: name}, nil
		}
	}
	return headerSource{}, fmt.Errorf("%s: value %q (only 'static' values and method.request.header|querystring|path.<name>)", where, value)
}

func (s headerSource) value(req *http.Request, pathParams map[string]string) string {
	switch s.from {
	case "header":
		return req.Header.Get(s.name)
	case "querystring":
		return req.URL.Query().Get(s.name)
	case "path":
		return pathParams[s.name]
	}
	return s.static
}

// responseHeaders maps the header names of response parameters with the
// given prefix ("gatewayresponse.header." or "method.response.header.").
func responseHeaders(where, prefix string, params map[string]string) (map[string]headerSource, error) {
	out := map[string]headerSource{}
	for _, key := range sortedKeys(params) {
		name, ok := strings.CutPrefix(key, prefix)
		if !ok || name == "" {
			return nil, fmt.Errorf("%s: response parameter %q (only %s<name>)", where, key, prefix)
		}
		src, err := parseHeaderSource(where+" "+key, params[key])
		if err != nil {
			return nil, err
		}
		out[name] = src
	}
	return out, nil
}

// gatewayResponse is a template gateway response, checked at New.
type gatewayResponse struct {
	status    int // 0 keeps the type's
	headers   map[string]headerSource
	templates map[string]string
}

func compileGatewayResponses(api *template.RestAPI) (map[string]*gatewayResponse, error) {
	out := map[string]*gatewayResponse{}
	for _, g := range api.GatewayResponses {
		where := "gateway response " + g.LogicalID
		gr := &gatewayResponse{templates: g.ResponseTemplates}
		if g.StatusCode != "" {
			n, err := strconv.Atoi(g.StatusCode)
			if err != nil || n < 100 || n > 599 {
				return nil, fmt.Errorf("%s: status code %q is not an HTTP status", where, g.StatusCode)
			}
			gr.status = n
		}
		var err error
		if gr.headers, err = responseHeaders(where, "gatewayresponse.header.", g.ResponseParameters); err != nil {
			return nil, err
		}
		for _, ct := range sortedKeys(g.ResponseTemplates) {
			if err := checkTemplate(where, g.ResponseTemplates[ct]); err != nil {
				return nil, err
			}
		}
		out[g.ResponseType] = gr
	}
	return out, nil
}

// writeGatewayError sends a gateway response the way API Gateway does: the
// type's own customization if the API has one, else DEFAULT_4XX or
// DEFAULT_5XX (by the type's status class), else the built-in
// {"message": ...} body.
func (g *Gateway) writeGatewayError(w http.ResponseWriter, rc *requestCtx, e gatewayError) {
	status := e.status
	gr, ok := g.responses[e.responseType]
	if !ok {
		def := Default4XX
		if status >= 500 {
			def = Default5XX
		}
		gr = g.responses[def]
	}
	if gr != nil && gr.status != 0 {
		status = gr.status
	}
	v := rc.vars()
	v["context.error.message"] = e.messageValue()
	v["context.error.messageString"] = e.messageString()
	v["context.error.responseType"] = e.responseType
	h := w.Header()
	contentType, tmpl := "application/json", defaultTemplate
	if gr != nil {
		for name, src := range gr.headers {
			h.Set(name, src.value(rc.req, rc.pathParams))
		}
		if ct, t, ok := selectTemplate(gr.templates, rc.req.Header.Get("Accept")); ok {
			contentType, tmpl = ct, t
		}
	}
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-RequestId", rc.requestID)
	h.Set("x-amzn-ErrorType", e.errorType)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(render(tmpl, v)))
}

// selectTemplate picks the template for the first media type of the
// Accept header, else application/json, else the first by content type.
func selectTemplate(templates map[string]string, accept string) (contentType, tmpl string, ok bool) {
	if len(templates) == 0 {
		return "", "", false
	}
	if first, _, _ := strings.Cut(accept, ","); first != "" {
		if mt, _, err := mime.ParseMediaType(first); err == nil {
			if t, ok := templates[mt]; ok {
				return mt, t, true
			}
		}
	}
	if t, ok := templates["application/json"]; ok {
		return "application/json", t, true
	}
	keys := sortedKeys(templates)
	return keys[0], templates[keys[0]], true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
