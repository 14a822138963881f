package awsconfig_test

import (
	"context"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/goshop-dev/goshop/internal/awsconfig"
)

// stubHTTP answers every request with answer and remembers the deadline
// of each request's context; no request leaves the process.
type stubHTTP struct {
	answer func(*http.Request) (*http.Response, error)

	mu        sync.Mutex
	deadlines []time.Time // zero for a request without a deadline
}

func (s *stubHTTP) Do(r *http.Request) (*http.Response, error) {
	d, _ := r.Context().Deadline()
	s.mu.Lock()
	s.deadlines = append(s.deadlines, d)
	s.mu.Unlock()
	return s.answer(r)
}

func (s *stubHTTP) calls() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.deadlines...)
}

func answer(status int, body string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: status, Status: http.StatusText(status), Request: r,
			Header: http.Header{
				"Content-Type": {"application/x-amz-json-1.0"},
				"X-Amz-Crc32":  {strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(body))), 10)},
			},
			Body: io.NopCloser(strings.NewReader(body)),
		}, nil
	}
}

// blocked answers only when the request's context ends.
func blocked(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// client is a DynamoDB client on stub, configured as Load configures the
// SDK: the package's retryer and a call budget of limit and reserve.
func client(stub *stubHTTP, limit, reserve time.Duration) *dynamodb.Client {
	return dynamodb.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		HTTPClient:   stub,
		BaseEndpoint: aws.String("http://dynamodb.test"),
		Retryer:      awsconfig.NewRetryer,
		APIOptions:   []func(*middleware.Stack) error{awsconfig.CallBudget(limit, reserve)},
	})
}

func getItem(ctx context.Context, c *dynamodb.Client) error {
	_, err := c.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String("t"),
		Key:       map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "k"}},
	})
	return err
}

// TestCallBudgetBoundsEachCall: the context the HTTP client sees ends at
// the earlier of the call's limit and its context's deadline less the
// reserve (a tenth of what is left, at most the reserve).
func TestCallBudgetBoundsEachCall(t *testing.T) {
	t.Parallel()
	const limit, reserve = 5 * time.Second, 500 * time.Millisecond
	tests := []struct {
		name string
		left time.Duration // before the caller's deadline; 0: none
		want time.Duration // from the call to the deadline the HTTP client sees
	}{
		{"no deadline: the limit", 0, limit},
		{"far deadline: the limit", 30 * time.Second, limit},
		{"deadline near the limit: less the whole reserve", limit + 200*time.Millisecond, limit + 200*time.Millisecond - reserve},
		{"short deadline: less a tenth of it", time.Second, time.Second - 100*time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stub := &stubHTTP{answer: answer(200, `{}`)}
			ctx := context.Background()
			if tt.left > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.left)
				defer cancel()
			}
			start := time.Now()
			if err := getItem(ctx, client(stub, limit, reserve)); err != nil {
				t.Fatal(err)
			}
			calls := stub.calls()
			if len(calls) != 1 || calls[0].IsZero() {
				t.Fatalf("deadlines seen %v, want one", calls)
			}
			// The call starts a little after start: allow that much slack.
			if got := calls[0].Sub(start); got < tt.want-50*time.Millisecond || got > tt.want+50*time.Millisecond {
				t.Errorf("the call's deadline is %v after its start, want %v", got, tt.want)
			}
		})
	}
}

// TestCallBudgetEndsAHungCall: a call whose HTTP request never answers
// ends at its budget, retries included, with a deadline error.
func TestCallBudgetEndsAHungCall(t *testing.T) {
	t.Parallel()
	stub := &stubHTTP{answer: blocked}
	start := time.Now()
	err := getItem(context.Background(), client(stub, 200*time.Millisecond, 0))
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("the hung call took %v, want about its 200ms budget", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline", err)
	}
}

// TestCallWithNoTimeLeftFailsAtOnce: a context already past its deadline
// sends nothing.
func TestCallWithNoTimeLeftFailsAtOnce(t *testing.T) {
	t.Parallel()
	stub := &stubHTTP{answer: answer(200, `{}`)}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if err := getItem(ctx, client(stub, time.Second, 0)); err == nil {
		t.Error("a call without time left succeeded")
	}
	if n := len(stub.calls()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestRetryerMakesMaxAttempts: a 500 is retried by the SDK's standard
// retryer, MaxAttempts times in all, with waits short enough for a Lambda.
func TestRetryerMakesMaxAttempts(t *testing.T) {
	t.Parallel()
	stub := &stubHTTP{answer: answer(500, `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"boom"}`)}
	start := time.Now()
	if err := getItem(context.Background(), client(stub, 10*time.Second, 0)); err == nil {
		t.Fatal("a call answered 500 every time succeeded")
	}
	if n := len(stub.calls()); n != awsconfig.MaxAttempts {
		t.Errorf("%d attempts, want %d", n, awsconfig.MaxAttempts)
	}
	if elapsed := time.Since(start); elapsed > 2*awsconfig.MaxBackoff+time.Second {
		t.Errorf("the retries took %v, want at most two waits of %v", elapsed, awsconfig.MaxBackoff)
	}
	r := awsconfig.NewRetryer()
	if r.MaxAttempts() != awsconfig.MaxAttempts {
		t.Errorf("MaxAttempts() = %d, want %d", r.MaxAttempts(), awsconfig.MaxAttempts)
	}
	for attempt := 1; attempt <= 10; attempt++ {
		if d, err := r.RetryDelay(attempt, errors.New("boom")); err != nil || d < 0 || d > awsconfig.MaxBackoff {
			t.Errorf("RetryDelay(%d) = %v, %v; want within [0, %v]", attempt, d, err, awsconfig.MaxBackoff)
		}
	}
}

// TestLoadInstallsRetryerAndBudget: the configuration Load returns carries
// both, whatever AWS_MAX_ATTEMPTS says.
func TestLoadInstallsRetryerAndBudget(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKID")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "SECRET")
	t.Setenv("AWS_MAX_ATTEMPTS", "9")
	t.Setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://dynamodb.test")
	t.Setenv("AWS_XRAY_CONTEXT_MISSING", "IGNORE_ERROR")
	cfg, err := awsconfig.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := cfg.Retryer().MaxAttempts(); n != awsconfig.MaxAttempts {
		t.Errorf("MaxAttempts() = %d, want %d", n, awsconfig.MaxAttempts)
	}
	stub := &stubHTTP{answer: answer(200, `{}`)}
	cfg.HTTPClient = stub
	start := time.Now()
	if err := getItem(context.Background(), dynamodb.NewFromConfig(cfg)); err != nil {
		t.Fatal(err)
	}
	calls := stub.calls()
	if len(calls) != 1 || calls[0].IsZero() || calls[0].Sub(start) > awsconfig.CallTimeout+50*time.Millisecond {
		t.Errorf("deadlines seen %v, want one within %v of the call", calls, awsconfig.CallTimeout)
	}
}
