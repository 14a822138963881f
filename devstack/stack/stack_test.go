package stack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/goshop-dev/goshop/devstack/stack"
)

// TestCheckoutEndToEnd boots the real template with every real function on
// free ports and drives a checkout through the REST API, Lambda, DynamoDB
// Local, the outbox stream pollers, EventBridge, SQS and the Step Functions
// saga, then checks that Close leaves no process behind. It builds every
// function, so it is slow the first time (the Go build cache helps later).
//
// The product is created by invoking the catalog-create-product function
// through the Lambda Invoke API on the AWS endpoint, with an admin identity in
// the proxy event's authorizer context: the template sets no ADMIN_EMAILS, so
// no user of the API can be an admin, and writing the table directly would
// duplicate the catalog adapter's item format here. The function still runs
// its real validation and storage; only the authorizer is bypassed, exactly
// as a Lambda invoke (not an API call) does on AWS.
//
// It runs the template `make synth` wrote to cdk.out when there is one (CI
// synthesizes before it tests, so the test follows the app), else the copy
// of a synthesized template kept in devstack/template/testdata.
func TestCheckoutEndToEnd(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	templatePath := filepath.Join(root, "cdk.out", "goshop-dev.template.json")
	if _, err := os.Stat(templatePath); err != nil {
		templatePath = filepath.Join(root, "devstack/template/testdata/goshop-dev.template.json")
	}
	t.Logf("template %s", templatePath)
	logs := &lockedBuffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	running, err := stack.Run(ctx, stack.Options{
		Root:         root,
		TemplatePath: templatePath,
		APIAddr:      "127.0.0.1:0",
		AWSAddr:      "127.0.0.1:0",
		Logs:         logs,
	})
	if err != nil {
		t.Fatalf("Run: %v\nlogs:\n%s", err, logs.tail(8000))
	}
	closed := false
	defer func() {
		if !closed {
			_ = running.Close()
		}
		if t.Failed() {
			t.Logf("logs:\n%s", logs.tail(20000))
		}
	}()
	api := running.APIURL + "/dev"

	t.Run("openapi served by its function", func(t *testing.T) {
		status, body := call(t, http.MethodGet, api+"/openapi.json", nil, nil)
		if status != http.StatusOK || !strings.Contains(string(body), `"openapi"`) {
			t.Fatalf("GET /openapi.json = %d %.300s", status, body)
		}
	})

	email := fmt.Sprintf("shopper-%d@example.com", time.Now().UnixNano())
	status, body := call(t, http.MethodPost, api+"/users/register", nil,
		map[string]any{"email": email, "password": "correct horse battery", "name": "Ada Shopper"})
	if status != http.StatusCreated {
		t.Fatalf("register = %d %s", status, body)
	}
	status, body = call(t, http.MethodPost, api+"/users/login", nil,
		map[string]any{"email": email, "password": "correct horse battery"})
	var login struct{ Token string }
	if status != http.StatusOK || json.Unmarshal(body, &login) != nil || login.Token == "" {
		t.Fatalf("login = %d %s", status, body)
	}
	bearer := map[string]string{"Authorization": "Bearer " + login.Token}

	productID := createProduct(ctx, t, running)

	status, body = call(t, http.MethodPost, api+"/checkout",
		map[string]string{"Authorization": bearer["Authorization"], "Idempotency-Key": "e2e-" + strconv.FormatInt(time.Now().UnixNano(), 36)},
		map[string]any{
			"items":        []any{map[string]any{"productId": productID, "quantity": 2}},
			"paymentToken": "tok_visa",
			"shippingAddress": map[string]any{
				"name": "Ada Shopper", "line1": "1 Loop Road", "city": "Cupertino", "postalCode": "95014", "country": "US",
			},
		})
	var checkout struct{ OrderID, Status string }
	if status != http.StatusAccepted || json.Unmarshal(body, &checkout) != nil || checkout.OrderID == "" {
		t.Fatalf("checkout = %d %s", status, body)
	}

	deadline := time.Now().Add(60 * time.Second)
	var order struct{ Status string }
	for {
		status, body = call(t, http.MethodGet, api+"/orders/"+checkout.OrderID, bearer, nil)
		if status == http.StatusOK && json.Unmarshal(body, &order) == nil && order.Status == "CONFIRMED" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s not CONFIRMED within 60s: last GET = %d %s", checkout.OrderID, status, body)
		}
		time.Sleep(250 * time.Millisecond)
	}

	sfnClient := sfn.New(sfn.Options{
		Region: running.Stack.Region, BaseEndpoint: aws.String(running.AWSURL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	machines, err := sfnClient.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(machines.StateMachines) != 1 {
		t.Fatalf("ListStateMachines = %v, %v", machines, err)
	}
	machineARN := aws.ToString(machines.StateMachines[0].StateMachineArn)
	execARN := strings.Replace(machineARN, ":stateMachine:", ":execution:", 1) + ":" + checkout.OrderID
	var exec *sfn.DescribeExecutionOutput
	for {
		exec, err = sfnClient.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(execARN)})
		if err != nil {
			t.Fatalf("DescribeExecution(%s): %v", execARN, err)
		}
		if exec.Status != sfntypes.ExecutionStatusRunning || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if exec.Status != sfntypes.ExecutionStatusSucceeded {
		t.Fatalf("execution %s is %s (%s: %s), want SUCCEEDED", execARN, exec.Status, aws.ToString(exec.Error), aws.ToString(exec.Cause))
	}

	closed = true
	if err := running.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if children := childProcesses(t); len(children) > 0 {
		t.Errorf("processes left after Close: %v", children)
	}
}

// createProduct invokes catalog-create-product through the Lambda Invoke API
// as an admin (see the test's doc) and returns the product id.
func createProduct(ctx context.Context, t *testing.T, running *stack.Running) string {
	t.Helper()
	var name string
	for _, fn := range running.Stack.Functions {
		if fn.AppName == "catalog-create-product" {
			name = fn.Name
		}
	}
	if name == "" {
		t.Fatal("the template has no catalog-create-product function")
	}
	body, _ := json.Marshal(map[string]any{
		"sku": "E2E-" + strconv.FormatInt(time.Now().UnixNano(), 36), "name": "Espresso cup", "description": "A small cup",
		"category": "kitchen", "price": map[string]any{"amount": 1299, "currency": "USD"}, "initialStock": 10,
	})
	event, _ := json.Marshal(map[string]any{
		"resource": "/products", "path": "/products", "httpMethod": "POST",
		"headers":           map[string]string{"Content-Type": "application/json"},
		"multiValueHeaders": map[string][]string{"Content-Type": {"application/json"}},
		"body":              string(body),
		"requestContext": map[string]any{
			"resourcePath": "/products", "httpMethod": "POST", "path": "/dev/products", "stage": "dev",
			"requestId":  "e2e-create-product",
			"authorizer": map[string]any{"userId": "e2e-admin", "role": "admin"},
		},
	})
	client := lambda.New(lambda.Options{
		Region: running.Stack.Region, BaseEndpoint: aws.String(running.AWSURL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	out, err := client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(name), Payload: event})
	if err != nil {
		t.Fatalf("invoke %s: %v", name, err)
	}
	var resp struct {
		StatusCode int
		Body       string
	}
	if out.FunctionError != nil || json.Unmarshal(out.Payload, &resp) != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("invoke %s = %s %s", name, aws.ToString(out.FunctionError), out.Payload)
	}
	var product struct{ ID string }
	if err := json.Unmarshal([]byte(resp.Body), &product); err != nil || product.ID == "" {
		t.Fatalf("created product: %s", resp.Body)
	}
	return product.ID
}

func call(t *testing.T, method, url string, headers map[string]string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 40 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// childProcesses lists the processes whose parent is this test process
// (function processes, DynamoDB Local's java), read from /proc.
func childProcesses(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatalf("read /proc: %v", err)
	}
	self := os.Getpid()
	var out []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces, so split after ')'.
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(self) {
			out = append(out, fmt.Sprintf("%d %s", pid, s[strings.IndexByte(s, '(')+1:strings.LastIndexByte(s, ')')]))
		}
	}
	return out
}

// lockedBuffer collects the stack's logs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

// TestRunFailsCleanly checks that a start that fails after DynamoDB Local is
// up stops it again and says which function could not be built.
func TestRunFailsCleanly(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := filepath.Join(t.TempDir(), "broken.template.json")
	doc := `{"Resources":{"Broken":{"Type":"AWS::Lambda::Function",
		"Properties":{"Runtime":"provided.al2023","Handler":"bootstrap","Code":{"ZipFile":"x"}},
		"Metadata":{"goshop:package":"./functions/does-not-exist","goshop:function":"broken"}}}}`
	if err := os.WriteFile(tmpl, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	running, err := stack.Run(context.Background(), stack.Options{
		Root: root, TemplatePath: tmpl, APIAddr: "127.0.0.1:0", AWSAddr: "127.0.0.1:0", Logs: logs,
	})
	if err == nil {
		_ = running.Close()
		t.Fatal("Run started a stack whose function does not build")
	}
	if !strings.Contains(err.Error(), "does-not-exist") {
		t.Errorf("error %q does not name the package", err)
	}
	if !strings.Contains(logs.tail(100000), "DynamoDB Local on") {
		t.Errorf("DynamoDB Local was not started before the build, so the test proves nothing; logs:\n%s", logs.tail(4000))
	}
	if children := childProcesses(t); len(children) > 0 {
		t.Errorf("processes left after a failed Run: %v", children)
	}
}
