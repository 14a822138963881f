package tracing_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-xray-sdk-go/xray"

	"github.com/goshop-dev/goshop/internal/tracing"
)

func TestAnnotateLabelsTheSubsegment(t *testing.T) {
	ctx, root := xray.BeginSegment(context.Background(), "checkout-test")
	defer root.Close(nil)
	ctx, end := tracing.Start(ctx, "orders-checkout")
	tracing.Annotate(ctx, tracing.OrderID, "o-1")
	tracing.Annotate(ctx, tracing.UserID, "u-1")
	tracing.Annotate(ctx, tracing.CorrelationID, "")
	seg := xray.GetSegment(ctx)
	if seg == nil || seg == root || seg.Name != "orders-checkout" {
		t.Fatalf("subsegment %+v, want one named orders-checkout under the root", seg)
	}
	want := map[string]any{"orderId": "o-1", "userId": "u-1"}
	if len(seg.Annotations) != len(want) || seg.Annotations["orderId"] != "o-1" || seg.Annotations["userId"] != "u-1" {
		t.Errorf("annotations %v, want %v", seg.Annotations, want)
	}
	end(errors.New("declined"))
	if !seg.Fault && !seg.Error {
		t.Errorf("the subsegment did not record the error")
	}
	if len(root.Annotations) != 0 {
		t.Errorf("the root segment was annotated: %v", root.Annotations)
	}
}

// TestWithoutATraceNothingHappens covers tests and local runs: no segment,
// no trace header, no error and no subsegment.
func TestWithoutATraceNothingHappens(t *testing.T) {
	ctx, end := tracing.Start(context.Background(), "anything")
	tracing.Annotate(ctx, tracing.OrderID, "o-1")
	end(nil)
	if xray.GetSegment(ctx) != nil {
		t.Fatal("a segment appeared without a trace")
	}
}
