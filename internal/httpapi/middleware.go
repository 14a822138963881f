package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/google/uuid"

	"github.com/goshop-dev/goshop/internal/logging"
)

// CorrelationHeader carries the correlation id in requests and responses.
const CorrelationHeader = "X-Correlation-Id"

var validCorrelationID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

type loggerKey struct{}

// LoggerFrom returns the request's logger, or the default logger outside a
// request.
func LoggerFrom(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// WithLogger returns a context carrying l for LoggerFrom.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// RequestIDFunc returns the request id for r; ok is false when the platform
// gave none and one should be generated.
type RequestIDFunc func(r *http.Request) (id string, ok bool)

// Middleware wraps next with what every route needs: a request id (from
// requestID, else generated), a correlation id taken from X-Correlation-Id or
// generated and echoed back, a logger carrying both, panic recovery, and one
// access log line per request.
func Middleware(logger *slog.Logger, requestID RequestIDFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ids := logging.IDsFrom(r.Context())
		ids.CorrelationID = r.Header.Get(CorrelationHeader)
		if requestID != nil {
			ids.RequestID, _ = requestID(r)
		}
		if ids.RequestID == "" {
			ids.RequestID = uuid.NewString()
		}
		if !validCorrelationID.MatchString(ids.CorrelationID) {
			ids.CorrelationID = uuid.NewString()
		}
		ctx := logging.WithIDs(r.Context(), ids)
		ctx = WithLogger(ctx, logger)
		r = r.WithContext(ctx)
		w.Header().Set(CorrelationHeader, ids.CorrelationID)

		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				logger.ErrorContext(ctx, "panic", slog.String("panic", fmt.Sprint(p)))
				if !rec.wrote {
					Fail(rec, r, fmt.Errorf("panic: %v", p))
				}
			}
			logger.InfoContext(ctx, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", rec.status),
				slog.Int64("durationMs", time.Since(start).Milliseconds()))
		}()
		next.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}
