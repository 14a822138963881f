package httpapi

import "net/http"

// CORS adds the response headers a browser needs to read answers from
// another origin: allowOrigin ("*" or one origin) and the correlation id as
// an exposed header. Preflight requests never reach the functions: API
// Gateway answers them. An empty allowOrigin adds nothing.
func CORS(allowOrigin string, next http.Handler) http.Handler {
	if allowOrigin == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", allowOrigin)
		w.Header().Set("Access-Control-Expose-Headers", CorrelationHeader)
		if allowOrigin != "*" {
			w.Header().Add("Vary", "Origin")
		}
		next.ServeHTTP(w, r)
	})
}
