// Package envconfig reads a function's configuration from its environment
// once at start-up and reports every missing variable together.
package envconfig

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Reader collects values and the problems met while reading them.
type Reader struct {
	lookup func(string) (string, bool)
	errs   []error
}

// New returns a Reader over the process environment.
func New() *Reader { return &Reader{lookup: os.LookupEnv} }

// FromMap returns a Reader over m; tests use it.
func FromMap(m map[string]string) *Reader {
	return &Reader{lookup: func(k string) (string, bool) { v, ok := m[k]; return v, ok }}
}

// String returns the required variable name, recording an error when it is
// unset or empty.
func (r *Reader) String(name string) string {
	v, ok := r.lookup(name)
	if !ok || strings.TrimSpace(v) == "" {
		r.errs = append(r.errs, fmt.Errorf("%s is not set", name))
		return ""
	}
	return v
}

// Optional returns the variable name, or def when it is unset or empty.
func (r *Reader) Optional(name, def string) string {
	if v, ok := r.lookup(name); ok && strings.TrimSpace(v) != "" {
		return v
	}
	return def
}

// List returns the comma-separated values of name, trimmed, without empties.
// An unset variable gives an empty list.
func (r *Reader) List(name string) []string {
	var out []string
	for _, part := range strings.Split(r.Optional(name, ""), ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Duration returns the variable name parsed by time.ParseDuration, or def.
func (r *Reader) Duration(name string, def time.Duration) time.Duration {
	v := r.Optional(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.errs = append(r.errs, fmt.Errorf("%s: %q is not a positive duration", name, v))
		return def
	}
	return d
}

// Int returns the variable name parsed as an integer, or def.
func (r *Reader) Int(name string, def int) int {
	v := r.Optional(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		r.errs = append(r.errs, fmt.Errorf("%s: %q is not an integer", name, v))
		return def
	}
	return n
}

// Err returns every problem recorded so far, joined, or nil.
func (r *Reader) Err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("configuration: %w", errors.Join(r.errs...))
}
