package metrics_test

import (
	"context"
	"io"
	"testing"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
)

func BenchmarkCount(b *testing.B) {
	rec, err := metrics.New(io.Discard, "goshop", "orders", metrics.OnError(func(_ context.Context, err error) {
		b.Fatalf("problem: %v", err)
	}))
	if err != nil {
		b.Fatalf("New: %v", err)
	}
	ctx := logging.WithIDs(context.Background(), logging.IDs{
		RequestID: "c0a8012e-1d2f-4b5a-9c3e-7f6d5b4a3c21", CorrelationID: "0f1e2d3c-4b5a-6978-8a9b-acbdcedf1011",
	})
	b.ReportAllocs()
	for b.Loop() {
		rec.Count(ctx, "OrderRejected", metrics.D("Reason", "out_of_stock"), metrics.P("orderId", "o-42"))
	}
}

func BenchmarkCountParallel(b *testing.B) {
	rec, err := metrics.New(io.Discard, "goshop", "orders")
	if err != nil {
		b.Fatalf("New: %v", err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec.Count(ctx, "OrderRejected", metrics.D("Reason", "out_of_stock"))
		}
	})
}
