package httpapi_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/internal/httpapi"
	"github.com/goshop-dev/goshop/internal/logging"
)

type errorBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"requestId"`
	} `json:"error"`
}

func decodeError(t *testing.T, rec *httptest.ResponseRecorder) errorBody {
	t.Helper()
	var b errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	return b
}

func TestDecode(t *testing.T) {
	t.Parallel()
	type payload struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	tests := []struct {
		name        string
		body        string
		contentType string
		wantStatus  int
		wantCode    string
	}{
		{"valid", `{"name":"a","count":2}`, "application/json", 0, ""},
		{"valid with charset", `{"name":"a"}`, "application/json; charset=utf-8", 0, ""},
		{"no content type", `{"name":"a"}`, "", 0, ""},
		{"empty", ``, "application/json", 400, "empty_body"},
		{"whitespace", "  \n", "application/json", 400, "empty_body"},
		{"malformed", `{"name":`, "application/json", 400, "malformed_json"},
		{"not an object", `[1,2]`, "application/json", 400, "malformed_json"},
		{"wrong type", `{"count":"two"}`, "application/json", 400, "invalid_field"},
		{"unknown field", `{"name":"a","admin":true}`, "application/json", 400, "unknown_field"},
		{"trailing data", `{"name":"a"}{"name":"b"}`, "application/json", 400, "malformed_json"},
		{"text content type", `{"name":"a"}`, "text/plain", 415, "unsupported_media_type"},
		{"too large", `{"name":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`, "application/json", 413, "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			var p payload
			err := httpapi.Decode(r, &p)
			if tt.wantStatus == 0 {
				if err != nil || p.Name != "a" {
					t.Fatalf("Decode = %+v, %v", p, err)
				}
				return
			}
			var apiErr *httpapi.Error
			if !errors.As(err, &apiErr) || apiErr.Status != tt.wantStatus || apiErr.Code != tt.wantCode {
				t.Fatalf("Decode error = %v, want %d %s", err, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestFailHidesInternalErrors(t *testing.T) {
	t.Parallel()
	h := httpapi.Middleware(logging.Discard(), nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpapi.Fail(w, r, errors.New("dynamodb: secret table detail"))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	b := decodeError(t, rec)
	if rec.Code != 500 || b.Error.Code != "internal" || b.Error.RequestID == "" || strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("got %d %s", rec.Code, rec.Body.String())
	}
}

func TestFailSendsAPIErrorsThroughWrapping(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	httpapi.Fail(rec, httptest.NewRequest("GET", "/", nil), errors.Join(errors.New("ctx"), httpapi.Conflict("email_taken", "email is taken")))
	if b := decodeError(t, rec); rec.Code != 409 || b.Error.Code != "email_taken" || b.Error.Message != "email is taken" {
		t.Fatalf("got %d %s", rec.Code, rec.Body.String())
	}
}

func TestMiddlewareCorrelationID(t *testing.T) {
	t.Parallel()
	var seen logging.IDs
	h := httpapi.Middleware(logging.Discard(), func(*http.Request) (string, bool) { return "req-9", true },
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = logging.IDsFrom(r.Context()) }))
	tests := []struct {
		name   string
		header string
		keep   bool
	}{
		{"kept", "abc-123", true},
		{"generated when absent", "", false},
		{"replaced when unsafe", "bad value\nwith newline", false},
		{"replaced when too long", strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tt.header != "" {
				r.Header.Set(httpapi.CorrelationHeader, tt.header)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			echoed := rec.Header().Get(httpapi.CorrelationHeader)
			if echoed == "" || echoed != seen.CorrelationID || seen.RequestID != "req-9" {
				t.Fatalf("echoed %q, seen %+v", echoed, seen)
			}
			if (echoed == tt.header) != tt.keep {
				t.Fatalf("correlation id %q for header %q, keep=%v", echoed, tt.header, tt.keep)
			}
		})
	}
}

func TestMiddlewareRecoversPanics(t *testing.T) {
	t.Parallel()
	h := httpapi.Middleware(logging.Discard(), nil, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if b := decodeError(t, rec); rec.Code != 500 || b.Error.Code != "internal" {
		t.Fatalf("got %d %s", rec.Code, rec.Body.String())
	}
}

func TestRouterAnswersUnknownRoutesInEnvelope(t *testing.T) {
	t.Parallel()
	rt := httpapi.NewRouter()
	rt.Handle("GET /things/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpapi.Respond(w, 200, map[string]string{"id": r.PathValue("id")})
	}))
	tests := []struct {
		method, path string
		wantStatus   int
		wantCode     string
	}{
		{"GET", "/things/1", 200, ""},
		{"DELETE", "/things/1", 405, "method_not_allowed"},
		{"GET", "/nothing", 404, "route_not_found"},
		// Paths the mux would redirect to a cleaned form name nothing.
		{"GET", "/things/..", 404, "route_not_found"},
		{"GET", "/things/../things/1", 404, "route_not_found"},
		{"GET", "/things//1", 404, "route_not_found"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		rt.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.wantStatus {
			t.Fatalf("%s %s: %d, want %d", tt.method, tt.path, rec.Code, tt.wantStatus)
		}
		if tt.wantCode != "" {
			if b := decodeError(t, rec); b.Error.Code != tt.wantCode {
				t.Fatalf("%s %s: code %q, want %q", tt.method, tt.path, b.Error.Code, tt.wantCode)
			}
		}
	}
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, httptest.NewRequest("PUT", "/things/1", nil))
	if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") {
		t.Fatalf("405 Allow header %q, want GET listed", allow)
	}
}

func TestLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query   string
		want    int
		wantErr bool
	}{
		{"", 20, false}, {"limit=5", 5, false}, {"limit=100", 100, false},
		{"limit=0", 0, true}, {"limit=101", 0, true}, {"limit=x", 0, true}, {"limit=-1", 0, true},
	}
	for _, tt := range tests {
		got, err := httpapi.Limit(httptest.NewRequest("GET", "/?"+tt.query, nil), 20, 100)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Limit(%q) = %d, %v", tt.query, got, err)
		}
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	tests := []struct {
		origin, wantAllow, wantVary string
	}{
		{"", "", ""},
		{"*", "*", ""},
		{"https://shop.example.com", "https://shop.example.com", "Origin"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		httpapi.CORS(tt.origin, ok).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != tt.wantAllow {
			t.Errorf("origin %q: allow %q, want %q", tt.origin, got, tt.wantAllow)
		}
		if got := rec.Header().Get("Vary"); got != tt.wantVary {
			t.Errorf("origin %q: vary %q, want %q", tt.origin, got, tt.wantVary)
		}
		if tt.origin != "" && rec.Header().Get("Access-Control-Expose-Headers") != httpapi.CorrelationHeader {
			t.Errorf("origin %q: correlation header not exposed", tt.origin)
		}
	}
}
