// Package logging builds the JSON logger every function uses and carries the
// request and correlation ids in the context, so each log line names the
// request it belongs to without the caller repeating them.
package logging

import (
	"context"
	"io"
	"log/slog"
	"os"
)

type idsKey struct{}

// IDs identifies one request: RequestID is the API Gateway (or local)
// request id, LambdaRequestID the invocation's id in the Lambda runtime, and
// CorrelationID follows the request across services and events.
type IDs struct {
	RequestID       string
	LambdaRequestID string
	CorrelationID   string
}

// WithIDs returns a context carrying ids.
func WithIDs(ctx context.Context, ids IDs) context.Context {
	return context.WithValue(ctx, idsKey{}, ids)
}

// WithCorrelationID returns a context carrying the ids of ctx with the
// correlation id replaced by id: how a function invoked with a caller's
// correlation id (a saga task, a lookup) adopts it.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	ids := IDsFrom(ctx)
	ids.CorrelationID = id
	return WithIDs(ctx, ids)
}

// IDsFrom returns the ids stored in ctx, or zero values.
func IDsFrom(ctx context.Context) IDs {
	ids, _ := ctx.Value(idsKey{}).(IDs)
	return ids
}

// New returns a JSON logger writing to w at level, tagging every record with
// the service name and with the ids found in the record's context.
func New(w io.Writer, service string, level slog.Leveler) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	return slog.New(contextHandler{h}).With("service", service)
}

// ForService returns the JSON logger of service on standard output, at the
// level named by LOG_LEVEL (debug, info, warn or error; default info).
func ForService(service string) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))); err != nil {
		level = slog.LevelInfo
	}
	return New(os.Stdout, service, level)
}

// Discard returns a logger that drops everything; tests use it.
func Discard() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}

type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	ids := IDsFrom(ctx)
	if ids.RequestID != "" {
		r.AddAttrs(slog.String("requestId", ids.RequestID))
	}
	if ids.LambdaRequestID != "" {
		r.AddAttrs(slog.String("lambdaRequestId", ids.LambdaRequestID))
	}
	if ids.CorrelationID != "" {
		r.AddAttrs(slog.String("correlationId", ids.CorrelationID))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
