package apigw

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/goshop-dev/goshop/devstack/template"
)

// cacheKey identifies a cached authorizer result: API Gateway caches per
// authorizer and identity source value (the token).
type cacheKey struct {
	authorizerID string
	token        string
}

// cachedPolicy is an authorizer's answer, evaluated afresh against each
// request's method ARN.
type cachedPolicy struct {
	out     *authorizerOutput
	expires time.Time
}

// maxCacheEntries bounds the cache; expired entries are dropped when it is full.
const maxCacheEntries = 10000

// authorizerOutput is a TOKEN authorizer's answer.
type authorizerOutput struct {
	principalID string
	statements  []statement
	context     map[string]any
}

// methodARN is the ARN API Gateway passes to authorizers:
// arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>.
func (g *Gateway) methodARN(rc *requestCtx) string {
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/%s", g.cfg.Region, g.cfg.AccountID, g.api.ID,
		rc.stage, rc.req.Method, strings.TrimPrefix(rc.path, "/"))
}

// authorize runs the method's TOKEN authorizer, or uses its cached policy,
// and returns the requestContext.authorizer of the event.
func (g *Gateway) authorize(ctx context.Context, rc *requestCtx) (map[string]any, *gatewayError) {
	a := rc.method.Authorizer
	token := rc.req.Header.Get(a.IdentityHeader)
	if token == "" {
		return nil, &errUnauthorized
	}
	arn := g.methodARN(rc)
	key := cacheKey{authorizerID: a.ID, token: token}
	out, latency := g.cached(key), time.Duration(0)
	if out == nil {
		start := g.cfg.Now()
		var gerr *gatewayError
		if out, gerr = g.callAuthorizer(ctx, rc, a, token, arn); gerr != nil {
			return nil, gerr
		}
		latency = g.cfg.Now().Sub(start)
		g.store(key, out, a.ResultTTL)
	}
	switch evaluate(out.statements, arn) {
	case effectExplicitDeny:
		return nil, &errExplicitDeny
	case effectImplicitDeny:
		return nil, &errImplicitDeny
	}
	// The REST API's Lambda proxy event carries the context values as
	// strings, with principalId and the authorizer's latency.
	result := map[string]any{"principalId": out.principalID, "integrationLatency": latency.Milliseconds()}
	for k, v := range out.context {
		result[k] = contextString(v)
	}
	return result, nil
}

func (g *Gateway) callAuthorizer(ctx context.Context, rc *requestCtx, a *template.Authorizer, token, arn string) (*authorizerOutput, *gatewayError) {
	payload, err := json.Marshal(events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: token, MethodArn: arn})
	if err != nil {
		return nil, &errAuthorizerConfig
	}
	res, timedOut, err := g.invoke(ctx, a.FunctionName, payload)
	fail := func(reason string, attrs ...any) (*authorizerOutput, *gatewayError) {
		g.cfg.Logger.Error("apigw authorizer failed", append([]any{slog.String("requestId", rc.requestID),
			slog.String("authorizer", a.LogicalID), slog.String("reason", reason)}, attrs...)...)
		return nil, &errAuthorizerConfig
	}
	switch {
	case err != nil && timedOut:
		return fail("timed out")
	case err != nil:
		return fail("invoke", slog.String("error", err.Error()))
	case res.FunctionError != "" && res.ErrorMessage == "Unauthorized":
		return nil, &errUnauthorized
	case res.FunctionError != "":
		return fail("function error", slog.String("errorType", res.ErrorType), slog.String("errorMessage", res.ErrorMessage))
	}
	out, err := parseAuthorizerOutput(res.Payload)
	if err != nil {
		return fail(err.Error())
	}
	return out, nil
}

func (g *Gateway) cached(key cacheKey) *authorizerOutput {
	g.cacheMu.Lock()
	defer g.cacheMu.Unlock()
	c, ok := g.cache[key]
	if !ok {
		return nil
	}
	if !g.cfg.Now().Before(c.expires) {
		delete(g.cache, key)
		return nil
	}
	return c.out
}

func (g *Gateway) store(key cacheKey, out *authorizerOutput, ttl time.Duration) {
	if ttl <= 0 {
		return
	}
	now := g.cfg.Now()
	g.cacheMu.Lock()
	defer g.cacheMu.Unlock()
	if len(g.cache) >= maxCacheEntries {
		for k, c := range g.cache {
			if !now.Before(c.expires) {
				delete(g.cache, k)
			}
		}
		if len(g.cache) >= maxCacheEntries {
			return
		}
	}
	g.cache[key] = &cachedPolicy{out: out, expires: now.Add(ttl)}
}

// parseAuthorizerOutput reads {"principalId","policyDocument","context"}.
// API Gateway refuses (500, AUTHORIZER_CONFIGURATION_ERROR) an answer
// without a principal or policy, or whose context values are not strings,
// numbers or booleans.
func parseAuthorizerOutput(payload []byte) (*authorizerOutput, error) {
	var raw struct {
		PrincipalID    *string         `json:"principalId"`
		PolicyDocument json.RawMessage `json:"policyDocument"`
		Context        map[string]any  `json:"context"`
	}
	dec := json.NewDecoder(strings.NewReader(string(payload)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("authorizer answer is not an object: %v", err)
	}
	if raw.PrincipalID == nil {
		return nil, errors.New("authorizer answer has no principalId")
	}
	if len(raw.PolicyDocument) == 0 || string(raw.PolicyDocument) == "null" {
		return nil, errors.New("authorizer answer has no policyDocument")
	}
	statements, err := parsePolicy(raw.PolicyDocument)
	if err != nil {
		return nil, err
	}
	for k, v := range raw.Context {
		switch v.(type) {
		case string, json.Number, bool:
		default:
			return nil, fmt.Errorf("authorizer context value %q is not a string, number or boolean", k)
		}
	}
	return &authorizerOutput{principalID: *raw.PrincipalID, statements: statements, context: raw.Context}, nil
}

func contextString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
