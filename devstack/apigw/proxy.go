package apigw

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/goshop-dev/goshop/devstack/lambdart"
)

// wireEvent is the event as API Gateway sends it: body is null, not "",
// when the request has none.
type wireEvent struct {
	events.APIGatewayProxyRequest
	Body            *string `json:"body"`
	IsBase64Encoded bool    `json:"isBase64Encoded"`
}

// event builds the Lambda proxy event (payload format 1.0) of a routed
// request.
func (g *Gateway) event(rc *requestCtx, authorizer map[string]any) events.APIGatewayProxyRequest {
	r := rc.req
	ev := events.APIGatewayProxyRequest{
		Resource:       rc.resource.Path,
		Path:           rc.path,
		HTTPMethod:     r.Method,
		PathParameters: rc.pathParams,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:         g.cfg.AccountID,
			ResourceID:        rc.resource.ID,
			Stage:             rc.stage,
			DomainName:        r.Host,
			DomainPrefix:      strings.Split(r.Host, ".")[0],
			RequestID:         rc.requestID,
			ExtendedRequestID: rc.extendedID,
			Protocol:          r.Proto,
			Identity: events.APIGatewayRequestIdentity{
				SourceIP:  sourceIP(r),
				UserAgent: r.UserAgent(),
			},
			ResourcePath:     rc.resource.Path,
			Path:             "/" + rc.stage + rc.path,
			Authorizer:       authorizer,
			HTTPMethod:       r.Method,
			RequestTime:      rc.start.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			RequestTimeEpoch: rc.start.UnixMilli(),
			APIID:            g.api.ID,
		},
	}
	// Headers: API Gateway adds the forwarding headers; a repeated header's
	// last value is the one in headers, all of them in multiValueHeaders.
	multi := map[string][]string{}
	for name, values := range r.Header {
		multi[name] = append([]string(nil), values...)
	}
	if r.Host != "" {
		multi["Host"] = []string{r.Host}
	}
	multi["X-Forwarded-For"] = append(multi["X-Forwarded-For"], sourceIP(r))
	proto, port := "http", "80"
	if r.TLS != nil {
		proto, port = "https", "443"
	}
	if i := strings.LastIndex(r.Host, ":"); i >= 0 && !strings.HasSuffix(r.Host, "]") {
		port = r.Host[i+1:]
	}
	multi["X-Forwarded-Proto"] = []string{proto}
	multi["X-Forwarded-Port"] = []string{port}
	multi["X-Amzn-Trace-Id"] = []string{"Root=" + traceRoot(rc)}
	ev.MultiValueHeaders = multi
	ev.Headers = lastValues(multi)
	if q := r.URL.Query(); len(q) > 0 {
		ev.MultiValueQueryStringParameters = q
		ev.QueryStringParameters = lastValues(q)
	}
	if len(rc.body) > 0 {
		if g.isBinary(r.Header.Get("Content-Type")) {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(rc.body), true
		} else {
			ev.Body = string(rc.body)
		}
	}
	return ev
}

// traceRoot is an X-Ray trace id of the request's time.
func traceRoot(rc *requestCtx) string {
	id := strings.ReplaceAll(rc.requestID, "-", "")
	return fmt.Sprintf("1-%08x-%s", rc.start.Unix(), id[:24])
}

func lastValues(m map[string][]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if len(v) > 0 {
			out[k] = v[len(v)-1]
		}
	}
	return out
}

// isBinary tells whether a media type is one of the binary media types
// (with * wildcards, e.g. "image/*" or "*/*").
func (g *Gateway) isBinary(contentType string) bool {
	if contentType == "" || len(g.cfg.BinaryMediaTypes) == 0 {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	for _, b := range g.cfg.BinaryMediaTypes {
		if wildcardMatch(strings.ToLower(b), mt) {
			return true
		}
	}
	return false
}

func marshalEvent(ev events.APIGatewayProxyRequest) ([]byte, error) {
	w := wireEvent{APIGatewayProxyRequest: ev, IsBase64Encoded: ev.IsBase64Encoded}
	if ev.Body != "" {
		w.Body = &ev.Body
	}
	return json.Marshal(w)
}

// serveProxy runs the Lambda proxy integration.
func (g *Gateway) serveProxy(w http.ResponseWriter, rc *requestCtx, authorizer map[string]any) {
	fn := rc.method.Integration.FunctionName
	payload, err := marshalEvent(g.event(rc, authorizer))
	if err != nil {
		g.writeGatewayError(w, rc, errAPIConfig)
		return
	}
	res, timedOut, err := g.invoke(rc.req.Context(), fn, payload)
	logFail := func(reason string, attrs ...any) {
		g.cfg.Logger.Error("apigw integration failed", append([]any{slog.String("requestId", rc.requestID),
			slog.String("function", fn), slog.String("reason", reason)}, attrs...)...)
	}
	switch {
	case err != nil && timedOut:
		logFail("timed out", slog.Duration("timeout", g.cfg.IntegrationTimeout))
		g.writeGatewayError(w, rc, errTimeout)
		return
	case err != nil:
		if rc.req.Context().Err() != nil {
			return // the client is gone
		}
		logFail("the Lambda service refused the invocation", slog.String("error", err.Error()),
			slog.Bool("throttled", errors.Is(err, lambdart.ErrTooManyRequests)))
		g.writeGatewayError(w, rc, errLambdaRejected)
		return
	case res.FunctionError != "":
		logFail("function error", slog.String("errorType", res.ErrorType), slog.String("errorMessage", res.ErrorMessage))
		g.writeGatewayError(w, rc, errFunction)
		return
	}
	out, err := parseProxyResponse(res.Payload)
	if err != nil {
		logFail("malformed Lambda proxy response", slog.String("error", err.Error()))
		g.writeGatewayError(w, rc, errFunction)
		return
	}
	body := []byte(out.body)
	if out.base64 && g.isBinary(firstAccept(rc.req.Header.Get("Accept"))) {
		if body, err = base64.StdEncoding.DecodeString(out.body); err != nil {
			logFail("isBase64Encoded body does not decode", slog.String("error", err.Error()))
			g.writeGatewayError(w, rc, errAPIConfig)
			return
		}
	}
	h := w.Header()
	for name, values := range out.headers {
		h[http.CanonicalHeaderKey(name)] = values
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	h.Set("x-amzn-RequestId", rc.requestID)
	h.Del("Content-Length")
	w.WriteHeader(out.status)
	_, _ = w.Write(body)
}

func firstAccept(accept string) string {
	first, _, _ := strings.Cut(accept, ",")
	return strings.TrimSpace(first)
}

// proxyResponse is a function's answer to a proxy event.
type proxyResponse struct {
	status  int
	headers map[string][]string
	body    string
	base64  bool
}

// parseProxyResponse reads the function's answer as API Gateway does: a
// JSON object with only statusCode (a number, or a string of one),
// headers, multiValueHeaders, body (a string) and isBase64Encoded; anything
// else is malformed (502). A header in both maps takes multiValueHeaders'
// values.
func parseProxyResponse(payload []byte) (*proxyResponse, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, errors.New("not a JSON object")
	}
	out := &proxyResponse{headers: map[string][]string{}}
	for k := range raw {
		switch k {
		case "statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded":
		default:
			return nil, fmt.Errorf("unexpected field %q", k)
		}
	}
	switch s := raw["statusCode"].(type) {
	case json.Number:
		n, err := strconv.Atoi(s.String())
		if err != nil {
			return nil, fmt.Errorf("statusCode %v is not an integer", s)
		}
		out.status = n
	case string:
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("statusCode %q is not an integer", s)
		}
		out.status = n
	default:
		return nil, errors.New("no statusCode")
	}
	if out.status < 100 || out.status > 599 {
		return nil, fmt.Errorf("statusCode %d is not an HTTP status", out.status)
	}
	switch b := raw["body"].(type) {
	case nil:
	case string:
		out.body = b
	default:
		return nil, errors.New("body is not a string")
	}
	switch b := raw["isBase64Encoded"].(type) {
	case nil:
	case bool:
		out.base64 = b
	default:
		return nil, errors.New("isBase64Encoded is not a boolean")
	}
	multi, err := headerMap(raw["multiValueHeaders"], true)
	if err != nil {
		return nil, fmt.Errorf("multiValueHeaders: %w", err)
	}
	single, err := headerMap(raw["headers"], false)
	if err != nil {
		return nil, fmt.Errorf("headers: %w", err)
	}
	for name, values := range single {
		out.headers[http.CanonicalHeaderKey(name)] = values
	}
	for name, values := range multi {
		out.headers[http.CanonicalHeaderKey(name)] = values
	}
	return out, nil
}

func headerMap(v any, multi bool) (map[string][]string, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not an object")
	}
	out := map[string][]string{}
	for name, x := range m {
		if !multi {
			s, ok := scalarString(x)
			if !ok {
				return nil, fmt.Errorf("%q is not a string", name)
			}
			out[name] = []string{s}
			continue
		}
		list, ok := x.([]any)
		if !ok {
			return nil, fmt.Errorf("%q is not a list", name)
		}
		for _, item := range list {
			s, ok := scalarString(item)
			if !ok {
				return nil, fmt.Errorf("%q has a value that is not a string", name)
			}
			out[name] = append(out[name], s)
		}
	}
	return out, nil
}

// scalarString accepts the scalar header values API Gateway turns into
// text (strings, numbers, booleans).
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}
