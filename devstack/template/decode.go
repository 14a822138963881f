package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// decodeProps decodes resolved properties into dst, refusing unknown nested
// fields.
func decodeProps(props map[string]any, dst any) error {
	data, err := json.Marshal(props)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return &UnsupportedError{Reason: "properties: " + err.Error()}
	}
	return nil
}

// flexInt is an integer property, given as a number or a numeric string, as
// CloudFormation accepts.
type flexInt struct {
	set   bool
	value int64
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not an integer", b)
	}
	f.set, f.value = true, n
	return nil
}

func (f flexInt) or(def int64) int64 {
	if f.set {
		return f.value
	}
	return def
}

// ptr returns the value, or nil when the property is unset.
func (f flexInt) ptr() *int {
	if !f.set {
		return nil
	}
	n := int(f.value)
	return &n
}

// flexBool is a boolean property, given as a boolean or "true"/"false".
type flexBool struct {
	set   bool
	value bool
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	var s string
	switch {
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	default:
		s = string(b)
	}
	v, err := strconv.ParseBool(s)
	if err != nil || (s != "true" && s != "false") {
		return fmt.Errorf("%s is not a boolean", b)
	}
	f.set, f.value = true, v
	return nil
}

func (f flexBool) or(def bool) bool {
	if f.set {
		return f.value
	}
	return def
}

// flexString is a string property; numbers and booleans are turned into
// strings, as CloudFormation does for environment variables.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	s, err := scalarString(v)
	if err != nil {
		return err
	}
	*f = flexString(s)
	return nil
}

// jsonDoc is a property holding a JSON document, given either as an object
// or as a string containing JSON (CloudFormation's Json type).
type jsonDoc json.RawMessage

func (d *jsonDoc) UnmarshalJSON(b []byte) error {
	raw := b
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		raw = []byte(s)
	}
	if !json.Valid(raw) {
		return errors.New("value is not valid JSON")
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return err
	}
	*d = jsonDoc(buf.Bytes())
	return nil
}

// decodeJSON decodes a JSON document, refusing unknown fields.
func decodeJSON(doc []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}
