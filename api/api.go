// Package api holds the OpenAPI 3 document of the goshop API. The document
// is written by hand in openapi.json and kept true by this package's tests:
// it has one operation per route of internal/routes, named by the route's
// function, its request schemas accept what the handlers accept and its
// response schemas describe what they send.
//
// The package serves the document (GET /openapi.json) and hands the CDK app
// each operation's request body schema as an API Gateway model.
package api

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strings"
)

//go:embed openapi.json
var document []byte

// Document returns the OpenAPI 3.0 document as JSON. The slice is the
// caller's to keep or change.
func Document() []byte { return bytes.Clone(document) }

// Handlers returns the handler of the document's route keyed by its
// function name in internal/routes, for the local server.
func Handlers() map[string]http.Handler {
	return map[string]http.Handler{"api-openapi": Handler()}
}

// cacheControl lets clients and shared caches keep the document for a few
// minutes: it changes only with a deployment.
const cacheControl = "public, max-age=300"

// Handler serves GET /openapi.json: the document as application/json, with
// an ETag and Cache-Control, and 304 Not Modified for a matching
// If-None-Match.
func Handler() http.Handler {
	doc := Document()
	sum := sha256.Sum256(doc)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", cacheControl)
		h.Set("ETag", etag)
		if matches(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(doc)
		}
	})
}

// matches reports whether an If-None-Match header names etag, weakly
// compared as RFC 9110 asks for GET.
func matches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}
