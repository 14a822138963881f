package lambdart_test

import (
	"strings"
	"testing"

	"github.com/goshop-dev/goshop/devstack/lambdart"
)

func TestRuntimeAPIProtocol(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	s, pids := newService(t, lambdart.Config{Logs: logs}, lambdart.Function{Name: "raw", Binary: binaries["rawruntime"]})

	tests := []struct {
		name        string
		payload     string
		wantPayload string
		wantType    string
		wantMessage string
	}{
		{name: "response is returned as posted", payload: `{"Mode":"echo","n":[1,2]}`, wantPayload: `{"Mode":"echo","n":[1,2]}`},
		{name: "error type from the header", payload: `{"Mode":"header-error"}`,
			wantPayload: `{"errorMessage":"plain text failure","errorType":"Custom.Failure"}`,
			wantType:    "Custom.Failure", wantMessage: "plain text failure"},
		// 400 for an unknown request id, 403 for an init error after init;
		// the first answer counts.
		{name: "refused requests", payload: `{"Mode":"refused"}`, wantPayload: `{"lateInitError":403,"wrongId":400}`},
	}
	for _, tt := range tests {
		res := invoke(t, s, pids, "raw", tt.payload)
		if string(res.Payload) != tt.wantPayload || res.ErrorType != tt.wantType || res.ErrorMessage != tt.wantMessage {
			t.Errorf("%s: payload %s, error %q %q; want %s, %q %q",
				tt.name, res.Payload, res.ErrorType, res.ErrorMessage, tt.wantPayload, tt.wantType, tt.wantMessage)
		}
		if (tt.wantType != "") != (res.FunctionError == "Unhandled") {
			t.Errorf("%s: FunctionError %q", tt.name, res.FunctionError)
		}
	}
	// The refused mode then answers its request a second time and prints
	// the statuses; that line is forwarded before the next invocation ends.
	res := invoke(t, s, pids, "raw", `{"Mode":"echo"}`)
	if res.ColdStart {
		t.Errorf("the raw runtime was not reused")
	}
	if want := "[raw] codes map[again:400 answer:202 lateInitError:403 wrongId:400]\n"; !strings.Contains(logs.String(), want) {
		t.Errorf("logs lack %q:\n%s", want, logs.String())
	}
}
