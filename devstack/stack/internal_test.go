package stack

// Internal tests: the AWS endpoint's dispatch, the queue creation order and
// the functions' registration are unexported wiring, checked here without
// booting a stack.

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/lambdart"
	"github.com/goshop-dev/goshop/devstack/template"
)

type named string

func (n named) ServeHTTP(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(n)) }

func TestAWSEndpointDispatch(t *testing.T) {
	t.Parallel()
	e := &awsEndpoint{sqs: named("sqs"), events: named("events"), sfn: named("sfn"), secrets: named("secrets"), lambda: named("lambda")}
	tests := []struct {
		name, path, target, want string
		status                   int
	}{
		{"sqs", "/", "AmazonSQS.SendMessage", "sqs", 200},
		{"eventbridge", "/", "AWSEvents.PutEvents", "events", 200},
		{"step functions", "/", "AWSStepFunctions.DescribeExecution", "sfn", 200},
		{"secrets manager", "/", "secretsmanager.GetSecretValue", "secrets", 200},
		{"lambda invoke", "/2015-03-31/functions/f/invocations", "", "lambda", 200},
		{"unknown service", "/", "DynamoDB_20120810.GetItem", "UnknownOperationException", 400},
		{"no target", "/", "", "UnknownOperationException", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader("{}"))
			if tt.target != "" {
				req.Header.Set("X-Amz-Target", tt.target)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("got %d %q, want %d containing %q", rec.Code, rec.Body, tt.status, tt.want)
			}
		})
	}
}

func TestCreateQueuesDeadLetterFirst(t *testing.T) {
	t.Parallel()
	arn := func(name string) string { return "arn:aws:sqs:us-east-1:000000000000:" + name }
	redrive := func(dlq string) *template.RedrivePolicy {
		return &template.RedrivePolicy{DeadLetterTargetARN: arn(dlq), DeadLetterLogicalID: dlq, MaxReceiveCount: 3}
	}
	// Sorted by logical id as Load sorts them: each queue comes before its
	// dead-letter queue, which itself redrives to a last one.
	r := &Running{Stack: &template.Stack{Region: "us-east-1", AccountID: "000000000000", Queues: []*template.Queue{
		{LogicalID: "A", Name: "A", ARN: arn("A"), Redrive: redrive("B")},
		{LogicalID: "B", Name: "B", ARN: arn("B"), Redrive: redrive("C")},
		{LogicalID: "C", Name: "C", ARN: arn("C")},
	}}}
	broker, err := r.createQueues()
	if err != nil {
		t.Fatalf("createQueues: %v", err)
	}
	a, ok := broker.Queue("A")
	if !ok {
		t.Fatal("queue A not created")
	}
	if got := a.Config().RedrivePolicy; got == nil || got.DeadLetterTargetARN != arn("B") || got.MaxReceiveCount != 3 {
		t.Errorf("A's redrive policy = %+v", got)
	}

	r.Stack.Queues = []*template.Queue{{LogicalID: "A", Name: "A", ARN: arn("A"), Redrive: redrive("Missing")}}
	if _, err := r.createQueues(); err == nil || !strings.Contains(err.Error(), "Missing") {
		t.Errorf("a redrive to a queue outside the template: error %v, want one naming it", err)
	}
}

func TestLambdaFunctionReservedConcurrency(t *testing.T) {
	t.Parallel()
	intPtr := func(n int) *int { return &n }
	base := lambdart.Function{
		Name: "demo-Fn", ARN: "arn:aws:lambda:us-east-1:000000000000:function:demo-Fn", Binary: "/bin/fn",
		Env: map[string]string{"TABLE": "t"}, Timeout: 5 * time.Second, MemoryMB: 256,
	}
	tests := []struct {
		name      string
		reserved  *int
		wantLimit int
		throttled bool
	}{
		{name: "none: never throttled", reserved: nil},
		{name: "zero: every invocation throttled", reserved: intPtr(0), throttled: true},
		{name: "reserved: throttled beyond it", reserved: intPtr(4), wantLimit: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fn := &template.Function{
				Name: base.Name, ARN: base.ARN, Environment: map[string]string{"TABLE": "t"},
				Timeout: base.Timeout, MemoryMB: base.MemoryMB, ReservedConcurrency: tt.reserved,
			}
			want := base
			want.ReservedConcurrency, want.Throttled = tt.wantLimit, tt.throttled
			if diff := cmp.Diff(want, lambdaFunction(fn, "/bin/fn")); diff != "" {
				t.Errorf("lambdart function (-want +got):\n%s", diff)
			}
		})
	}
}
