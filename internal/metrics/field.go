package metrics

import (
	"context"
	"fmt"
	"strings"
)

// Limits of the EMF specification and of this package.
const (
	// MaxDimensions is the most dimension keys one EMF dimension set may
	// hold; Service takes one, so a metric takes at most MaxDimensions-1
	// dimensions from its caller.
	MaxDimensions = 30
	// MaxMetrics is the most metric definitions one EMF directive may hold.
	// This package writes one per document.
	MaxMetrics = 100
	// MaxValues is the most values one EMF metric member may hold when it is
	// an array. This package writes a single number.
	MaxValues = 100
	// MaxDimensionValueLen is the longest dimension value, in bytes, this
	// package accepts. CloudWatch allows 1024; a dimension value is a label
	// such as "out_of_stock", and anything longer is most likely data.
	MaxDimensionValueLen = 64
)

const (
	maxMetricNameLen   = 255 // CloudWatch MetricDatum.MetricName
	maxDimensionName   = 250 // EMF DimensionReference
	maxPropertyNameLen = 255
	maxNamespaceLen    = 255 // CloudWatch namespace
	serviceDimension   = "Service"
)

// Field is a dimension or a property attached to one metric; build it with
// D or P.
type Field struct {
	name, value string
	dim         bool
}

// D returns the dimension name=value. A dimension is part of the metric's
// identity in CloudWatch: every distinct value is a separate custom metric,
// so it must come from a short fixed list (a reason, a payment method, an
// outcome). See the package documentation for what is refused.
func D(name, value string) Field { return Field{name: name, value: value, dim: true} }

// P returns the property name=value: a member of the document that
// CloudWatch does not turn into a dimension, for values that identify one
// event, such as P("orderId", id). A property with an empty value is not
// written.
func P(name, value string) Field { return Field{name: name, value: value} }

// reserved reports whether name is a member every document may carry
// besides dimensions given by the caller.
func reserved(name string) bool {
	switch name {
	case "_aws", serviceDimension, keyRequestID, keyLambdaRequestID, keyCorrelationID:
		return true
	}
	return false
}

// identifierProblem says what is wrong with name as a metric or dimension
// name, or returns "".
func identifierProblem(name string, maxLen int) string {
	if name == "" {
		return "empty name"
	}
	if len(name) > maxLen {
		return fmt.Sprintf("name longer than %d bytes", maxLen)
	}
	if !isLetter(name[0]) {
		return "name must start with an ASCII letter"
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !isLetter(c) && !isDigit(c) && c != '_' && c != '.' && c != '-' {
			return "name may hold only ASCII letters, digits, '_', '.' and '-'"
		}
	}
	return ""
}

// namespaceProblem says what is wrong with a CloudWatch namespace, or
// returns "".
func namespaceProblem(ns string) string {
	if ns == "" {
		return "empty namespace"
	}
	if len(ns) > maxNamespaceLen {
		return fmt.Sprintf("namespace longer than %d bytes", maxNamespaceLen)
	}
	if strings.HasPrefix(ns, "AWS/") {
		return "namespace AWS/ is reserved for AWS services"
	}
	for i := 0; i < len(ns); i++ {
		c := ns[i]
		if !isLetter(c) && !isDigit(c) && !strings.ContainsRune("._#:/-", rune(c)) {
			return "namespace may hold only ASCII letters, digits and . _ # : / -"
		}
	}
	return ""
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// sortFields appends to dims the fields that may be dimensions of metric
// and to props the properties, reporting every field refused: a refused
// dimension becomes a property when its name allows, else it is dropped.
func (r *Recorder) sortFields(ctx context.Context, metric string, fields, dims, props []Field) ([]Field, []Field) {
	for _, f := range fields {
		if f.dim {
			reason := dimensionProblem(f, metric, dims, props)
			if reason == "" {
				dims = append(dims, f)
				continue
			}
			if f.value != "" && propertyNameOK(f.name) && !nameTaken(f.name, metric, dims, props) {
				props = append(props, f)
				r.report(ctx, fmt.Errorf("metric %q: dimension %q=%.64q: %s; written as a property: %w",
					metric, f.name, f.value, reason, ErrFieldRefused))
				continue
			}
			r.report(ctx, fmt.Errorf("metric %q: dimension %.64q: %s; dropped: %w", metric, f.name, reason, ErrFieldRefused))
			continue
		}
		if !propertyNameOK(f.name) {
			r.report(ctx, fmt.Errorf("metric %q: property %.64q: empty or longer than %d bytes; dropped: %w",
				metric, f.name, maxPropertyNameLen, ErrFieldRefused))
			continue
		}
		if nameTaken(f.name, metric, dims, props) {
			r.report(ctx, fmt.Errorf("metric %q: property %q: name already used in the document; dropped: %w",
				metric, f.name, ErrFieldRefused))
			continue
		}
		props = append(props, f)
	}
	return dims, props
}

// dimensionProblem says why f cannot be one more dimension of metric, or
// returns "".
func dimensionProblem(f Field, metric string, dims, props []Field) string {
	if p := identifierProblem(f.name, maxDimensionName); p != "" {
		return p
	}
	if idLike(f.name) {
		return "name looks like an identifier, which must not be a dimension"
	}
	if nameTaken(f.name, metric, dims, props) {
		return "name already used in the document"
	}
	if p := dimensionValueProblem(f.value); p != "" {
		return p
	}
	if len(dims)+1 >= MaxDimensions {
		return fmt.Sprintf("more than %d dimensions in a set", MaxDimensions)
	}
	return ""
}

func propertyNameOK(name string) bool { return name != "" && len(name) <= maxPropertyNameLen }

// nameTaken reports whether name is already a member of the document.
func nameTaken(name, metric string, dims, props []Field) bool {
	if reserved(name) || name == metric {
		return true
	}
	for _, f := range dims {
		if f.name == name {
			return true
		}
	}
	for _, f := range props {
		if f.name == name {
			return true
		}
	}
	return false
}
