package metrics_test

import (
	"context"
	"os"
	"time"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
)

func ExampleRecorder_Count() {
	rec, err := metrics.New(os.Stdout, "goshop", "orders",
		metrics.WithClock(func() time.Time { return time.UnixMilli(1767225600123) }))
	if err != nil {
		panic(err)
	}
	ctx := logging.WithIDs(context.Background(), logging.IDs{RequestID: "req-1", CorrelationID: "corr-1"})
	rec.Count(ctx, "OrderRejected", metrics.D("Reason", "out_of_stock"), metrics.P("orderId", "o-42"))
	// Output:
	// {"_aws":{"Timestamp":1767225600123,"CloudWatchMetrics":[{"Namespace":"goshop","Dimensions":[["Service"],["Service","Reason"]],"Metrics":[{"Name":"OrderRejected","Unit":"Count"}]}]},"Service":"orders","Reason":"out_of_stock","OrderRejected":1,"requestId":"req-1","correlationId":"corr-1","orderId":"o-42"}
}
