package httpapi

import (
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
)

// Router is an http.ServeMux whose own 404 and 405 answers use the error
// envelope, like every other error of the API. It never redirects: a path
// the mux would clean is a 404.
type Router struct {
	mux *http.ServeMux
}

// NewRouter returns an empty Router.
func NewRouter() *Router { return &Router{mux: http.NewServeMux()} }

// Handle registers h for a ServeMux pattern such as "GET /users/{id}".
func (rt *Router) Handle(pattern string, h http.Handler) { rt.mux.Handle(pattern, h) }

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !clean(r.URL.Path) {
		// The mux would redirect to the cleaned path ("/orders/.." to "/"):
		// behind API Gateway that leaves the stage, and a path that needs
		// cleaning names no resource of the API.
		Fail(w, r, NotFound("route_not_found", "no route for "+r.Method+" "+r.URL.Path))
		return
	}
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
	default:
		Fail(w, r, NotFound("route_not_found", "no route for "+r.Method+" "+r.URL.Path))
	}
}

// clean reports whether p is in the form path.Clean gives (a trailing slash
// aside): no empty, "." or ".." segments.
func clean(p string) bool {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}
