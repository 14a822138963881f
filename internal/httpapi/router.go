package httpapi

import (
	"net/http"
	"net/http/httptest"
)

// Router is an http.ServeMux whose own 404 and 405 answers use the error
// envelope, like every other error of the API.
type Router struct {
	mux *http.ServeMux
}

// NewRouter returns an empty Router.
func NewRouter() *Router { return &Router{mux: http.NewServeMux()} }

// Handle registers h for a ServeMux pattern such as "GET /users/{id}".
func (rt *Router) Handle(pattern string, h http.Handler) { rt.mux.Handle(pattern, h) }

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, pattern := rt.mux.Handler(r)
	if pattern != "" {
		rt.mux.ServeHTTP(w, r)
		return
	}
	// Let the mux decide between 404 and 405 (and its Allow header), then
	// answer in our own shape.
	probe := httptest.NewRecorder()
	h.ServeHTTP(probe, r)
	if allow := probe.Header().Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	switch probe.Code {
	case http.StatusMethodNotAllowed:
		Fail(w, r, NewError(http.StatusMethodNotAllowed, "method_not_allowed", "method "+r.Method+" is not allowed on "+r.URL.Path))
	case http.StatusNotFound:
		Fail(w, r, NotFound("route_not_found", "no route for "+r.Method+" "+r.URL.Path))
	default:
		// The mux redirects to a cleaned path; pass that answer on.
		for k, v := range probe.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(probe.Code)
		_, _ = w.Write(probe.Body.Bytes())
	}
}
