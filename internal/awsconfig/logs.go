package awsconfig

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-xray-sdk-go/xray"
	"github.com/aws/aws-xray-sdk-go/xraylog"
	"github.com/aws/smithy-go/logging"
)

// The AWS SDK and the X-Ray SDK each print their own warnings in their
// own text format. These adapters send them through slog instead, so every
// line a function writes has the project's one JSON shape (the log scan of
// the integration suite and Logs Insights queries both rely on it).

// sdkLogger is the AWS SDK's logger, writing through slog.
type sdkLogger struct{ logger *slog.Logger }

func (l sdkLogger) Logf(c logging.Classification, format string, v ...interface{}) {
	level := slog.LevelInfo
	if c == logging.Warn {
		level = slog.LevelWarn
	}
	l.logger.Log(context.Background(), level, "aws sdk", slog.String("detail", fmt.Sprintf(format, v...)))
}

// xrayLogger is the X-Ray SDK's logger, writing through slog; its debug
// and info messages are dropped.
type xrayLogger struct{ logger *slog.Logger }

func (l xrayLogger) Log(level xraylog.LogLevel, msg fmt.Stringer) {
	switch level {
	case xraylog.LogLevelWarn:
		l.logger.Warn("x-ray sdk", slog.String("detail", msg.String()))
	case xraylog.LogLevelError:
		l.logger.Error("x-ray sdk", slog.String("detail", msg.String()))
	}
}

// routeSDKLogs makes both SDKs log through logger.
func routeSDKLogs(logger *slog.Logger) logging.Logger {
	xray.SetLogger(xrayLogger{logger})
	return sdkLogger{logger}
}
