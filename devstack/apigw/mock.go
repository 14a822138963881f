package apigw

import (
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"regexp"
	"strconv"

	"github.com/goshop-dev/goshop/devstack/template"
)

// mockIntegration is a MOCK integration (the CORS preflight methods):
// the request template's statusCode selects an integration response,
// whose static headers and template make the method response.
type mockIntegration struct {
	requestTemplates map[string]string
	responses        []mockResponse
}

type mockResponse struct {
	status    int
	pattern   *regexp.Regexp // nil for the default response
	headers   map[string]headerSource
	templates map[string]string
}

var mockStatus = regexp.MustCompile(`"?statusCode"?\s*:\s*"?(\d{3})`)

func compileMock(m *template.Method) (*mockIntegration, error) {
	mock := &mockIntegration{requestTemplates: m.Integration.RequestTemplates}
	for _, ct := range sortedKeys(m.Integration.RequestTemplates) {
		if !mockStatus.MatchString(m.Integration.RequestTemplates[ct]) {
			return nil, fmt.Errorf("mock request template %q sets no statusCode", m.Integration.RequestTemplates[ct])
		}
		if err := checkTemplate("mock request template", m.Integration.RequestTemplates[ct]); err != nil {
			return nil, err
		}
	}
	for _, ir := range m.Integration.Responses {
		status, err := strconv.Atoi(ir.StatusCode)
		if err != nil || status < 100 || status > 599 {
			return nil, fmt.Errorf("integration response status %q is not an HTTP status", ir.StatusCode)
		}
		mr := mockResponse{status: status, templates: ir.ResponseTemplates}
		if ir.SelectionPattern != "" {
			if mr.pattern, err = regexp.Compile("^(?:" + ir.SelectionPattern + ")$"); err != nil {
				return nil, fmt.Errorf("integration response %s: selection pattern: %w", ir.StatusCode, err)
			}
		}
		if mr.headers, err = responseHeaders("integration response "+ir.StatusCode, "method.response.header.", ir.ResponseParameters); err != nil {
			return nil, err
		}
		for _, ct := range sortedKeys(ir.ResponseTemplates) {
			if err := checkTemplate("integration response "+ir.StatusCode, ir.ResponseTemplates[ct]); err != nil {
				return nil, err
			}
		}
		mock.responses = append(mock.responses, mr)
	}
	return mock, nil
}

// serveMock answers a MOCK method: the status the request template sets
// (200 without one) selects the integration response whose selection
// pattern matches it, else the default one (no pattern).
func (g *Gateway) serveMock(w http.ResponseWriter, rc *requestCtx, mock *mockIntegration) {
	integrationStatus := "200"
	if tmpl, ok := requestTemplate(mock.requestTemplates, rc.req.Header.Get("Content-Type")); ok {
		if sub := mockStatus.FindStringSubmatch(tmpl); sub != nil {
			integrationStatus = sub[1]
		}
	}
	var chosen *mockResponse
	for i := range mock.responses {
		if p := mock.responses[i].pattern; p != nil && p.MatchString(integrationStatus) {
			chosen = &mock.responses[i]
			break
		}
	}
	if chosen == nil {
		for i := range mock.responses {
			if mock.responses[i].pattern == nil {
				chosen = &mock.responses[i]
				break
			}
		}
	}
	if chosen == nil {
		g.cfg.Logger.Error("apigw mock integration has no integration response", slog.String("requestId", rc.requestID),
			slog.String("method", rc.method.LogicalID), slog.String("status", integrationStatus))
		g.writeGatewayError(w, rc, errAPIConfig)
		return
	}
	h := w.Header()
	for name, src := range chosen.headers {
		h.Set(name, src.value(rc.req, rc.pathParams))
	}
	body := ""
	contentType := "application/json"
	if ct, t, ok := selectTemplate(chosen.templates, rc.req.Header.Get("Accept")); ok {
		contentType, body = ct, render(t, rc.vars())
	}
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-RequestId", rc.requestID)
	w.WriteHeader(chosen.status)
	if body != "" {
		_, _ = w.Write([]byte(body))
	}
}

// requestTemplate picks the request template for a Content-Type,
// defaulting to application/json as API Gateway does.
func requestTemplate(templates map[string]string, contentType string) (string, bool) {
	mt := "application/json"
	if contentType != "" {
		if parsed, _, err := mime.ParseMediaType(contentType); err == nil {
			mt = parsed
		}
	}
	if t, ok := templates[mt]; ok {
		return t, true
	}
	t, ok := templates["application/json"]
	return t, ok
}
