package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// MaxBodyBytes bounds every request body the services read.
const MaxBodyBytes = 64 << 10

// Decode reads one JSON object from r's body into dst. It refuses bodies over
// MaxBodyBytes, unknown fields, trailing data and non-JSON content types,
// returning an *Error that names the problem.
func Decode(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return NewError(http.StatusUnsupportedMediaType, "unsupported_media_type", "request body must be application/json")
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return BadRequest("unreadable_body", "request body could not be read")
	}
	if len(body) > MaxBodyBytes {
		return NewError(http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("request body exceeds %d bytes", MaxBodyBytes))
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return BadRequest("empty_body", "request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return BadRequest("malformed_json", "request body must hold a single JSON object")
	}
	return nil
}

func decodeError(err error) *Error {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return BadRequest("malformed_json", "request body is not valid JSON")
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return BadRequest("malformed_json", "request body must be a JSON object")
		}
		return BadRequest("invalid_field", fmt.Sprintf("field %q must be of type %s", typeErr.Field, typeErr.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return BadRequest("unknown_field", "unknown field "+field)
	default:
		return BadRequest("malformed_json", "request body is not valid JSON")
	}
}

// Respond writes v as JSON with status. A nil v writes no body.
func Respond(w http.ResponseWriter, status int, v any) {
	if v == nil {
		w.WriteHeader(status)
		return
	}
	body, err := json.Marshal(v)
	if err != nil {
		// Only a programming error gets here: the types sent are plain structs.
		http.Error(w, `{"error":{"code":"internal","message":"response encoding failed"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
