package catalogrpc_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/internal/catalogrpc"
	"github.com/goshop-dev/goshop/internal/metrics"
	"github.com/goshop-dev/goshop/internal/metrics/metricstest"
	"github.com/goshop-dev/goshop/internal/resilience"
)

var logger = slog.New(slog.NewTextHandler(io.Discard, nil))

var mug = catalogrpc.Product{ID: "p-1", Name: "Mug", Category: "kitchen", PriceAmount: 1299, Currency: "USD", Available: 3}

// invoker answers the n-th invocation (from 0) with answers[n], or with
// the last answer once they run out, and counts invocations.
type invoker struct {
	mu      sync.Mutex
	calls   int
	answers []func(ctx context.Context) (*lambda.InvokeOutput, error)
}

func (i *invoker) Invoke(ctx context.Context, in *lambda.InvokeInput, _ ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	i.mu.Lock()
	n := i.calls
	i.calls++
	i.mu.Unlock()
	return i.answers[min(n, len(i.answers)-1)](ctx)
}

func (i *invoker) count() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.calls
}

func found(products ...catalogrpc.Product) func(context.Context) (*lambda.InvokeOutput, error) {
	payload, _ := json.Marshal(catalogrpc.LookupResponse{Products: products})
	return func(context.Context) (*lambda.InvokeOutput, error) {
		return &lambda.InvokeOutput{Payload: payload}, nil
	}
}

func functionError(context.Context) (*lambda.InvokeOutput, error) {
	return &lambda.InvokeOutput{FunctionError: aws.String("Unhandled"), Payload: []byte(`{"errorMessage":"table down"}`)}, nil
}

func garbled(context.Context) (*lambda.InvokeOutput, error) {
	return &lambda.InvokeOutput{Payload: []byte(`not json`)}, nil
}

var errThrottled = errors.New("operation error Lambda: Invoke, exceeded maximum number of attempts, 3, TooManyRequestsException")

func invokeFails(context.Context) (*lambda.InvokeOutput, error) { return nil, errThrottled }

func hangs(ctx context.Context) (*lambda.InvokeOutput, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func guarded(t *testing.T, inv *invoker) (*catalogrpc.Client, *metricstest.Sink) {
	t.Helper()
	rec, sink := metricstest.Recorder(t)
	return catalogrpc.NewClient(inv, "catalog-lookup", catalogrpc.WithGuard(catalogrpc.LookupGuard(logger, rec))), sink
}

func TestGuardedLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		answers   []func(context.Context) (*lambda.InvokeOutput, error)
		want      []catalogrpc.Product
		wantErr   error // matched with errors.Is; nil: success
		wantCalls int
	}{
		{"found at once", answers(found(mug)), []catalogrpc.Product{mug}, nil, 1},
		{"function errors are retried", answers(functionError, functionError, found(mug)), []catalogrpc.Product{mug}, nil, 3},
		{"function errors until the last attempt", answers(functionError), nil, catalogrpc.ErrFunction, catalogrpc.LookupAttempts},
		// The SDK retried the call already: once is enough.
		{"an Invoke error is not retried again", answers(invokeFails), nil, errThrottled, 1},
		{"an unreadable answer is not retried", answers(garbled), nil, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &invoker{answers: tt.answers}
			client, _ := guarded(t, inv)
			got, err := client.Lookup(context.Background(), []string{"p-1"})
			switch {
			case tt.want != nil && err != nil:
				t.Fatalf("Lookup: %v", err)
			case tt.want == nil && err == nil:
				t.Fatalf("Lookup = %v, want an error", got)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("products (-want +got):\n%s", diff)
			}
			if n := inv.count(); n != tt.wantCalls {
				t.Errorf("%d invocations, want %d", n, tt.wantCalls)
			}
		})
	}
}

func answers(a ...func(context.Context) (*lambda.InvokeOutput, error)) []func(context.Context) (*lambda.InvokeOutput, error) {
	return a
}

// TestHungAttemptIsRetried: an invocation that does not answer is cut at
// LookupAttemptTimeout and tried again, within the lookup's budget.
func TestHungAttemptIsRetried(t *testing.T) {
	t.Parallel()
	inv := &invoker{answers: answers(hangs, found(mug))}
	client, _ := guarded(t, inv)
	start := time.Now()
	got, err := client.Lookup(context.Background(), []string{"p-1"})
	if err != nil || len(got) != 1 {
		t.Fatalf("Lookup = %v, %v; want the mug", got, err)
	}
	if elapsed := time.Since(start); elapsed > catalogrpc.LookupTimeout {
		t.Errorf("took %v, more than the lookup's budget %v", elapsed, catalogrpc.LookupTimeout)
	}
	if n := inv.count(); n != 2 {
		t.Errorf("%d invocations, want 2", n)
	}
}

// TestBreakerOpens: failed lookups open the breaker "catalog-lookup",
// which then refuses lookups without invoking and is counted once as
// BreakerOpened; unreadable answers are not failures of the dependency.
func TestBreakerOpens(t *testing.T) {
	t.Parallel()
	inv := &invoker{answers: answers(garbled)}
	client, sink := guarded(t, inv)
	ctx := context.Background()
	for range 10 {
		if _, err := client.Lookup(ctx, []string{"p-1"}); errors.Is(err, resilience.ErrOpen) {
			t.Fatalf("unreadable answers opened the breaker: %v", err)
		}
	}
	inv.mu.Lock()
	inv.answers, inv.calls = answers(invokeFails), 0
	inv.mu.Unlock()
	for i := range 5 {
		if _, err := client.Lookup(ctx, []string{"p-1"}); !errors.Is(err, errThrottled) {
			t.Fatalf("lookup %d: err = %v, want the Invoke error", i, err)
		}
	}
	_, err := client.Lookup(ctx, []string{"p-1"})
	if !errors.Is(err, resilience.ErrOpen) {
		t.Fatalf("after 5 failures: err = %v, want the breaker open", err)
	}
	if n := inv.count(); n != 5 {
		t.Errorf("%d invocations, want 5: an open breaker invokes nothing", n)
	}
	if got := sink.Sum(metrics.BreakerOpened, map[string]string{metrics.DimensionBreaker: metrics.BreakerCatalogLookup}); got != 1 {
		t.Errorf("BreakerOpened = %v, want 1", got)
	}
}

// TestLookupKeepsTheCallersReserve: a caller with less than LookupReserve
// left gets an error at once, and nothing is invoked.
func TestLookupKeepsTheCallersReserve(t *testing.T) {
	t.Parallel()
	inv := &invoker{answers: answers(found(mug))}
	client, _ := guarded(t, inv)
	ctx, cancel := context.WithTimeout(context.Background(), catalogrpc.LookupReserve/2)
	defer cancel()
	if _, err := client.Lookup(ctx, []string{"p-1"}); !errors.Is(err, resilience.ErrNoTime) {
		t.Errorf("err = %v, want ErrNoTime", err)
	}
	if n := inv.count(); n != 0 {
		t.Errorf("%d invocations, want none", n)
	}
}

func TestUnguardedClientAndHandler(t *testing.T) {
	t.Parallel()
	handler := catalogrpc.Handler(func(_ context.Context, ids []string) ([]catalogrpc.Product, error) {
		if len(ids) == 1 && ids[0] == "p-1" {
			return []catalogrpc.Product{mug}, nil
		}
		return nil, nil
	})
	resp, err := handler(context.Background(), catalogrpc.LookupRequest{ProductIDs: []string{"p-2"}})
	if err != nil || resp.Products == nil || len(resp.Products) != 0 {
		t.Errorf("handler = %+v, %v; want an empty list", resp, err)
	}
	inv := &invoker{answers: answers(functionError)}
	if _, err := catalogrpc.NewClient(inv, "catalog-lookup").Lookup(context.Background(), []string{"p-1"}); !errors.Is(err, catalogrpc.ErrFunction) || inv.count() != 1 {
		t.Errorf("unguarded: err = %v after %d invocations, want ErrFunction after 1", err, inv.count())
	}
	if _, err := catalogrpc.NewClient(inv, "x").Lookup(context.Background(), make([]string, catalogrpc.MaxIDs+1)); !errors.Is(err, catalogrpc.ErrTooManyIDs) {
		t.Errorf("err = %v, want ErrTooManyIDs", err)
	}
}
