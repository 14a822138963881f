package metrics

import (
	"fmt"
	"strings"
)

// The high-cardinality guard: dimension names and values that identify
// one event rather than a class of events. See the package documentation.

// idLike reports whether a dimension name names an identifier or another
// value with one value per event.
func idLike(name string) bool {
	if strings.EqualFold(name, "id") || strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID") ||
		strings.HasSuffix(name, "Ids") || strings.HasSuffix(name, "IDs") ||
		hasSuffixFold(name, "_id") || hasSuffixFold(name, "-id") || hasSuffixFold(name, ".id") {
		return true
	}
	for _, n := range [...]string{"email", "sku", "ip", "url", "path", "token", "timestamp", "message"} {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// dimensionValueProblem says why value cannot be a dimension value, or
// returns "".
func dimensionValueProblem(value string) string {
	if len(value) > MaxDimensionValueLen {
		return fmt.Sprintf("value longer than %d bytes", MaxDimensionValueLen)
	}
	blank := true
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c < 0x20 || c > 0x7e {
			return "value holds a control or non-ASCII character"
		}
		if c != ' ' {
			blank = false
		}
	}
	if blank {
		return "value is empty or blank"
	}
	if hasUUID(value) {
		return "value looks like an identifier (UUID)"
	}
	if digits, hex := longestRuns(value); digits >= 8 || hex >= 16 {
		return "value looks like an identifier or a timestamp (long run of digits)"
	}
	return ""
}

// hasUUID reports whether s holds a UUID in its 8-4-4-4-12 hexadecimal form.
func hasUUID(s string) bool {
	const n = 36
	for i := 0; i+n <= len(s); i++ {
		ok := true
		for j := 0; j < n && ok; j++ {
			c := s[i+j]
			switch j {
			case 8, 13, 18, 23:
				ok = c == '-'
			default:
				ok = isHex(c)
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// longestRuns returns the longest run of decimal digits in s and the
// longest run of hexadecimal digits holding at least one decimal digit.
func longestRuns(s string) (digits, hex int) {
	var d, h int
	hexHasDigit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) {
			d++
			digits = max(digits, d)
		} else {
			d = 0
		}
		if isHex(c) {
			h++
			hexHasDigit = hexHasDigit || isDigit(c)
			if hexHasDigit {
				hex = max(hex, h)
			}
		} else {
			h, hexHasDigit = 0, false
		}
	}
	return digits, hex
}
