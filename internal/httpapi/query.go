package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
)

// Limit reads the "limit" query parameter: def when absent, an *Error when it
// is not an integer in [1, max].
func Limit(r *http.Request, def, max int) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, BadRequest("invalid_limit", fmt.Sprintf("limit must be an integer from 1 to %d", max))
	}
	return n, nil
}
