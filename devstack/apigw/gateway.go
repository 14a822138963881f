package apigw

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/goshop-dev/goshop/devstack/lambdart"
	"github.com/goshop-dev/goshop/devstack/template"
)

// Limits API Gateway documents for REST APIs.
const (
	// MaxPayloadBytes is the largest request body (10 MB).
	MaxPayloadBytes = 10 * 1024 * 1024
	// DefaultIntegrationTimeout is REST APIs' default integration timeout.
	DefaultIntegrationTimeout = 29 * time.Second
)

// Config configures a Gateway.
type Config struct {
	// API is the REST API to serve. Required; it must have a stage.
	API *template.RestAPI
	// Invoker runs the integration and authorizer functions (a
	// *lambdart.Service). Required.
	Invoker lambdart.Invoker
	// AccountID and Region go into method ARNs and the event's
	// requestContext (template.DefaultAccountID, template.DefaultRegion).
	AccountID string
	Region    string
	// BinaryMediaTypes are the API's binaryMediaTypes (e.g. "image/png",
	// "*/*"). The template package refuses the property today, so this is
	// empty unless the caller sets it.
	BinaryMediaTypes []string
	// IntegrationTimeout bounds an integration or authorizer call
	// (DefaultIntegrationTimeout); past it the client gets 504.
	IntegrationTimeout time.Duration
	// Now is the clock (time.Now); the authorizer cache's TTL uses it.
	Now func() time.Time
	// Logger receives a line per request and the reason of every 5xx
	// devstack sends; nil discards.
	Logger *slog.Logger
}

// Gateway serves one REST API under /<stage>/ for each of its stages. It
// is an http.Handler, safe for concurrent use, and holds no goroutines or
// processes: it needs no Close.
type Gateway struct {
	cfg       Config
	api       *template.RestAPI
	stages    map[string]bool
	router    *router
	responses map[string]*gatewayResponse
	schemas   map[*template.Model]*schema
	mocks     map[*template.Method]*mockIntegration

	cacheMu sync.Mutex
	cache   map[cacheKey]*cachedPolicy
}

// New checks that every part of the API is one the gateway can honour and
// returns its handler. A method, model, gateway response or template it
// cannot honour is refused with an error naming it.
func New(cfg Config) (*Gateway, error) {
	if cfg.API == nil {
		return nil, errors.New("apigw: Config.API is required")
	}
	if cfg.Invoker == nil {
		return nil, errors.New("apigw: Config.Invoker is required")
	}
	if cfg.AccountID == "" {
		cfg.AccountID = template.DefaultAccountID
	}
	if cfg.Region == "" {
		cfg.Region = template.DefaultRegion
	}
	if cfg.IntegrationTimeout <= 0 {
		cfg.IntegrationTimeout = DefaultIntegrationTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	api := cfg.API
	g := &Gateway{cfg: cfg, api: api, stages: map[string]bool{}, router: newRouter(api.Resources),
		mocks: map[*template.Method]*mockIntegration{}, cache: map[cacheKey]*cachedPolicy{}}
	if len(api.Stages) == 0 {
		return nil, fmt.Errorf("apigw: REST API %s has no stage to serve", api.LogicalID)
	}
	for _, s := range api.Stages {
		g.stages[s.Name] = true
	}
	var err error
	if g.responses, err = compileGatewayResponses(api); err != nil {
		return nil, fmt.Errorf("apigw: REST API %s: %w", api.LogicalID, err)
	}
	if g.schemas, err = compileModels(api); err != nil {
		return nil, fmt.Errorf("apigw: REST API %s: %w", api.LogicalID, err)
	}
	for _, res := range api.Resources {
		for _, m := range res.Methods {
			if err := g.checkMethod(m); err != nil {
				return nil, fmt.Errorf("apigw: REST API %s: method %s %s (%s): %w", api.LogicalID, m.HTTPMethod, res.Path, m.LogicalID, err)
			}
		}
	}
	return g, nil
}

func (g *Gateway) checkMethod(m *template.Method) error {
	switch m.AuthorizationType {
	case "NONE":
	case "CUSTOM":
		if m.Authorizer == nil || m.Authorizer.Type != "TOKEN" || m.Authorizer.IdentityHeader == "" {
			return errors.New("CUSTOM authorization needs a TOKEN authorizer with a header identity source")
		}
	default:
		return fmt.Errorf("authorization type %q (only NONE and CUSTOM)", m.AuthorizationType)
	}
	switch m.Integration.Type {
	case template.IntegrationLambdaProxy:
		if m.Integration.FunctionName == "" {
			return errors.New("the Lambda proxy integration names no function")
		}
	case template.IntegrationMock:
		mock, err := compileMock(m)
		if err != nil {
			return err
		}
		g.mocks[m] = mock
	default:
		return fmt.Errorf("integration type %q (only AWS_PROXY and MOCK)", m.Integration.Type)
	}
	return nil
}

// Stages returns the names of the stages served, each under "/<name>/".
func (g *Gateway) Stages() []string {
	return sortedKeys(g.stages)
}

// requestCtx is what API Gateway knows of a request while handling it.
type requestCtx struct {
	req        *http.Request
	requestID  string
	extendedID string
	start      time.Time
	stage      string
	path       string // without the stage, decoded
	resource   *template.Resource
	method     *template.Method
	pathParams map[string]string
	body       []byte
}

func (rc *requestCtx) vars() vars {
	v := vars{
		"context.requestId":         rc.requestID,
		"context.extendedRequestId": rc.extendedID,
		"context.stage":             rc.stage,
		"context.httpMethod":        rc.req.Method,
		"context.path":              "/" + rc.stage + rc.path,
		"context.requestTimeEpoch":  fmt.Sprint(rc.start.UnixMilli()),
		"context.identity.sourceIp": sourceIP(rc.req),
		"context.domainName":        rc.req.Host,
	}
	if rc.resource != nil {
		v["context.resourcePath"] = rc.resource.Path
		v["context.resourceId"] = rc.resource.ID
	}
	return v
}

// ServeHTTP serves a request to /<stage>/<path>.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := &requestCtx{req: r, requestID: uuid.NewString(), extendedID: extendedID(), start: g.cfg.Now()}
	escaped := r.URL.EscapedPath()
	stage, rest, _ := strings.Cut(strings.TrimPrefix(escaped, "/"), "/")
	if !g.stages[stage] {
		// No deployment answers here: API Gateway's plain 403, which no
		// gateway response of the API customizes.
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("x-amzn-RequestId", rc.requestID)
		w.Header().Set("x-amzn-ErrorType", "ForbiddenException")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"message":"Forbidden"}`)
		return
	}
	rc.stage = stage
	status := g.serve(&statusWriter{ResponseWriter: w}, rc, rest)
	g.cfg.Logger.Info("apigw request", slog.String("requestId", rc.requestID), slog.String("method", r.Method),
		slog.String("path", r.URL.Path), slog.Int("status", status), slog.Duration("duration", g.cfg.Now().Sub(rc.start)))
}

func (g *Gateway) serve(w *statusWriter, rc *requestCtx, escapedRest string) int {
	r := rc.req
	segs, ok := pathSegments(escapedRest)
	if !ok {
		g.writeGatewayError(w, rc, errMissingToken)
		return w.status
	}
	rc.path = "/" + strings.Join(segs, "/")
	res, params := g.router.match(segs)
	if res == nil {
		g.writeGatewayError(w, rc, errMissingToken)
		return w.status
	}
	rc.resource, rc.pathParams = res, params
	m, ok := res.Method(r.Method)
	if !ok {
		g.writeGatewayError(w, rc, errMissingToken)
		return w.status
	}
	rc.method = m
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayloadBytes+1))
	if err != nil {
		g.writeGatewayError(w, rc, errBadBody)
		return w.status
	}
	if len(body) > MaxPayloadBytes {
		g.writeGatewayError(w, rc, errTooLarge)
		return w.status
	}
	rc.body = body
	var authorizer map[string]any
	if m.AuthorizationType == "CUSTOM" {
		var gerr *gatewayError
		if authorizer, gerr = g.authorize(r.Context(), rc); gerr != nil {
			g.writeGatewayError(w, rc, *gerr)
			return w.status
		}
	}
	if !g.validBody(rc) {
		g.writeGatewayError(w, rc, errBadBody)
		return w.status
	}
	switch m.Integration.Type {
	case template.IntegrationMock:
		g.serveMock(w, rc, g.mocks[m])
	default:
		g.serveProxy(w, rc, authorizer)
	}
	return w.status
}

// invoke calls a function with the integration timeout. timedOut tells
// that API Gateway stopped waiting.
func (g *Gateway) invoke(ctx context.Context, name string, payload []byte) (res lambdart.Result, timedOut bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, g.cfg.IntegrationTimeout)
	defer cancel()
	res, err = g.cfg.Invoker.Invoke(ctx, name, payload)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return res, true, err
	}
	return res, false, err
}

// sourceIP is the client address of the connection.
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// extendedID imitates API Gateway's extendedRequestId, e.g. "Ab1CdEFGoAMF2xw=".
func extendedID() string {
	id := strings.ReplaceAll(uuid.NewString(), "-", "")
	return id[:15] + "="
}

// statusWriter remembers the status written, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}
