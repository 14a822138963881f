// Package invocation runs the functions other services invoke directly
// (the checkout saga's tasks through Step Functions, the catalog lookup
// through the Lambda API) with what the API's middleware gives the HTTP
// functions: the caller's correlation id in the context, so every log line
// of the invocation carries it; an X-Ray subsegment annotated with the
// order, user and correlation ids; and one log line per invocation with
// its outcome and duration, the place its error is logged.
package invocation

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/tracing"
)

// ids are the fields of an input that name what the invocation is about,
// by the JSON names the saga and the lookup contract use.
type ids struct {
	OrderID       string `json:"orderId"`
	UserID        string `json:"userId"`
	CorrelationID string `json:"correlationId"`
}

// idsOf reads the ids of in from its JSON form; an input without them
// gives empty ids.
func idsOf(in any) ids {
	var out ids
	if b, err := json.Marshal(in); err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}

// Handle wraps the handler h of the function name.
func Handle[In, Out any](name string, logger *slog.Logger, h func(context.Context, In) (Out, error)) func(context.Context, In) (Out, error) {
	return func(ctx context.Context, in In) (Out, error) {
		id := idsOf(in)
		if id.CorrelationID != "" {
			ctx = logging.WithCorrelationID(ctx, id.CorrelationID)
		}
		ctx, end := tracing.Start(ctx, name)
		tracing.Annotate(ctx, tracing.OrderID, id.OrderID)
		tracing.Annotate(ctx, tracing.UserID, id.UserID)
		tracing.Annotate(ctx, tracing.CorrelationID, id.CorrelationID)
		start := time.Now()
		out, err := h(ctx, in)
		end(err)
		attrs := []any{slog.String("function", name), slog.Int64("durationMs", time.Since(start).Milliseconds())}
		if id.OrderID != "" {
			attrs = append(attrs, slog.String("orderId", id.OrderID))
		}
		if err != nil {
			logger.WarnContext(ctx, "invocation failed", append(attrs, slog.String("error", err.Error()))...)
			return out, err
		}
		logger.InfoContext(ctx, "invocation handled", attrs...)
		return out, nil
	}
}
