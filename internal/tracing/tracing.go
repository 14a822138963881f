// Package tracing adds goshop's own subsegments and annotations to the
// X-Ray trace of an invocation, so that one checkout can be found by its
// order id, user id or correlation id (X-Ray indexes annotations for
// filter expressions such as annotation.orderId = "...") and followed
// across API Gateway, the functions, DynamoDB, EventBridge, SQS and the
// state machine.
//
// Lambda's own segment for an invocation is a facade the SDK may not
// change, so annotations go on a subsegment: Start begins one per unit of
// work (a request, a saga task, an event) and Annotate labels the one in
// the context. Where there is no trace (a test, a local run without the
// trace header), both do nothing and log nothing.
package tracing

import (
	"context"

	"github.com/aws/aws-xray-sdk-go/xray"
)

// The annotation keys goshop uses.
const (
	OrderID       = "orderId"
	UserID        = "userId"
	CorrelationID = "correlationId"
	EventType     = "eventType"
)

// traced reports whether ctx belongs to a trace a subsegment can join.
func traced(ctx context.Context) bool {
	return xray.GetSegment(ctx) != nil || ctx.Value(xray.LambdaTraceHeaderKey) != nil
}

// Start begins a subsegment named name under the trace of ctx and returns
// the context carrying it and the function that ends it with the outcome.
func Start(ctx context.Context, name string) (context.Context, func(error)) {
	if !traced(ctx) {
		return ctx, func(error) {}
	}
	ctx, seg := xray.BeginSubsegment(ctx, name)
	if seg == nil {
		return ctx, func(error) {}
	}
	return ctx, seg.Close
}

// Annotate labels the subsegment in ctx with key = value; empty values are
// left out. It does nothing outside a subsegment begun by Start (or by the
// SDK's instrumentation).
func Annotate(ctx context.Context, key, value string) {
	if value == "" {
		return
	}
	seg := xray.GetSegment(ctx)
	if seg == nil || seg.ParentSegment == seg {
		// No segment, or the invocation's own (facade) segment.
		return
	}
	_ = seg.AddAnnotation(key, value)
}
