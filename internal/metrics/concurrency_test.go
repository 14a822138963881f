package metrics_test

import (
	"bytes"
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/goshop-dev/goshop/internal/logging"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
)

// overlapWriter is an unsynchronised buffer that notices two Writes at once.
type overlapWriter struct {
	active  atomic.Int32
	overlap atomic.Bool
	buf     bytes.Buffer
}

func (w *overlapWriter) Write(p []byte) (int, error) {
	if w.active.Add(1) != 1 {
		w.overlap.Store(true)
	}
	defer w.active.Add(-1)
	return w.buf.Write(p)
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	const goroutines, each = 16, 200
	var w overlapWriter
	rec, err := metrics.New(&w, "goshop", "orders", metrics.OnError(func(_ context.Context, err error) {
		t.Errorf("problem: %v", err)
	}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	reasons := []string{"out_of_stock", "payment_declined", "address_invalid"}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			ctx := logging.WithIDs(context.Background(), logging.IDs{CorrelationID: "corr-" + strconv.Itoa(g)})
			for i := range each {
				rec.Count(ctx, "OrderRejected", metrics.D("Reason", reasons[(g+i)%len(reasons)]),
					metrics.P("orderId", "o-"+strconv.Itoa(g)+"-"+strconv.Itoa(i)))
			}
		})
	}
	wg.Wait()
	if w.overlap.Load() {
		t.Error("two Writes ran at once: lines may interleave")
	}

	var total float64
	perReason := map[string]float64{}
	for i, line := range bytes.Split(bytes.TrimSuffix(w.buf.Bytes(), []byte("\n")), []byte("\n")) {
		got, err := metricstest.Parse(line)
		if err != nil {
			t.Fatalf("line %d is not a complete EMF document: %v\n%s", i+1, err, line)
		}
		for _, m := range got {
			total += m.Value
			perReason[m.Dims["Reason"]] += m.Value
		}
	}
	if total != goroutines*each {
		t.Errorf("total = %v, want %d", total, goroutines*each)
	}
	for _, r := range reasons {
		// (g+i) mod 3 over g < 16, i < 200 is close to uniform: each reason
		// gets between 1066 and 1067.
		if n := perReason[r]; n < 1066 || n > 1067 {
			t.Errorf("%s = %v, want about %d", r, n, goroutines*each/len(reasons))
		}
	}
}
