package template

import (
	"errors"
	"fmt"
)

// UnsupportedError reports a part of the template devstack cannot honour: a
// resource type, a property, a property value or an intrinsic function.
type UnsupportedError struct {
	// LogicalID names the resource, output, parameter or rule; empty for a
	// template-level feature.
	LogicalID string
	// Type is the resource type, when the error is about a resource.
	Type string
	// Property is the property path, e.g. "VpcConfig" or
	// "Integration.Type"; empty when the whole resource is refused.
	Property string
	// Reason says what is not supported.
	Reason string
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	msg := "template:"
	switch {
	case e.LogicalID != "" && e.Type != "":
		msg += fmt.Sprintf(" resource %s (%s)", e.LogicalID, e.Type)
	case e.LogicalID != "":
		msg += " " + e.LogicalID
	}
	if e.Property != "" {
		msg += fmt.Sprintf(" property %s", e.Property)
	}
	return msg + ": " + e.Reason + " (not supported by devstack)"
}

// resourceError names the resource in an error about it.
func resourceError(r *resource, err error) error {
	var u *UnsupportedError
	if errors.As(err, &u) && (u.LogicalID == "" || (u.LogicalID == r.LogicalID && u.Type == "")) {
		named := *u
		named.LogicalID, named.Type = r.LogicalID, r.Type
		if u == err {
			return &named
		}
		return fmt.Errorf("template: resource %s (%s): %w", r.LogicalID, r.Type, &named)
	}
	if errors.As(err, &u) {
		return err
	}
	return fmt.Errorf("template: resource %s (%s): %w", r.LogicalID, r.Type, err)
}
