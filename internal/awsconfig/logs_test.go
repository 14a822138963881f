package awsconfig

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-xray-sdk-go/xraylog"
	"github.com/aws/smithy-go/logging"

	goshoplog "github.com/goshop-dev/goshop/internal/logging"
)

type text string

func (t text) String() string { return string(t) }

// TestSDKLogsAreJSONLines checks that the SDKs' own warnings come out in
// the project's JSON shape, and that the X-Ray SDK's chatter is dropped.
func TestSDKLogsAreJSONLines(t *testing.T) {
	var buf bytes.Buffer
	logger := goshoplog.New(&buf, "aws-sdk", slog.LevelInfo)
	sdkLogger{logger}.Logf(logging.Warn, "response did not match expected checksum, %d", 42)
	x := xrayLogger{logger}
	x.Log(xraylog.LogLevelError, text("failed to send segment"))
	x.Log(xraylog.LogLevelDebug, text("beginning subsegment"))
	x.Log(xraylog.LogLevelInfo, text("emitter ready"))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), buf.String())
	}
	want := []struct{ level, msg, detail string }{
		{"WARN", "aws sdk", "response did not match expected checksum, 42"},
		{"ERROR", "x-ray sdk", "failed to send segment"},
	}
	for i, l := range lines {
		var got struct{ Level, Msg, Detail, Service string }
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d is not JSON: %s", i, l)
		}
		if got.Level != want[i].level || got.Msg != want[i].msg || got.Detail != want[i].detail || got.Service != "aws-sdk" {
			t.Errorf("line %d = %+v, want %+v", i, got, want[i])
		}
	}
}
