package sfnemu

import (
	"strings"
	"unicode"
)

// machineName checks a state machine ARN,
// arn:<partition>:states:<region>:<account>:stateMachine:<name>, and
// returns its name.
func machineName(arn string) (string, bool) {
	p := strings.Split(arn, ":")
	if len(p) != 7 || p[0] != "arn" || p[2] != "states" || p[5] != "stateMachine" || p[6] == "" {
		return "", false
	}
	return p[6], true
}

// executionARN returns the ARN of the execution named name of the state
// machine machineARN.
func executionARN(machineARN, name string) string {
	p := strings.Split(machineARN, ":")
	p[5] = "execution"
	return strings.Join(p, ":") + ":" + name
}

// checkExecutionARN checks arn:<partition>:states:<region>:<account>:execution:<machine>:<name>.
func checkExecutionARN(arn string) *APIError {
	p := strings.Split(arn, ":")
	switch {
	case len(p) < 6 || p[0] != "arn" || p[2] != "states":
		return errInvalidArn(arn, "Invalid ARN prefix")
	case p[5] != "execution" || len(p) != 8 || p[6] == "" || p[7] == "":
		return errInvalidArn(arn, "Resource type not valid in this context")
	}
	return nil
}

// checkMachineARN checks a state machine ARN as given to an API action.
func checkMachineARN(arn string) *APIError {
	p := strings.Split(arn, ":")
	if len(p) < 6 || p[0] != "arn" || p[2] != "states" {
		return errInvalidArn(arn, "Invalid ARN prefix")
	}
	if _, ok := machineName(arn); !ok {
		return errInvalidArn(arn, "Resource type not valid in this context")
	}
	return nil
}

// validName applies the StartExecution rules for name: 1 to 80
// characters, none of them whitespace, brackets, wildcards, the listed
// special characters or control characters.
func validName(name string) bool {
	n := 0
	for _, r := range name {
		n++
		switch {
		case unicode.IsSpace(r),
			strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r),
			r <= 0x1f, r >= 0x7f && r <= 0x9f:
			return false
		}
	}
	return n >= 1 && n <= 80
}
