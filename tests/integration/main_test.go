package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// stack is the target under test.
var stack *target

// target describes where the suite runs.
type target struct {
	name          string            // devstack, localstack or aws
	api           string            // the API's stage URL, without a trailing slash
	outputs       map[string]string // the stack's outputs
	aws           aws.Config
	adminEmail    string
	adminPassword string
	// run makes every name this run creates unique.
	run string
}

func TestMain(m *testing.M) {
	t, err := loadTarget()
	if err != nil {
		fmt.Fprintf(os.Stderr, "integration: %v\n(see the package documentation of tests/integration for the configuration)\n", err)
		os.Exit(2)
	}
	stack = t
	fmt.Fprintf(os.Stderr, "integration: target %s, API %s, run %s\n", t.name, t.api, t.run)
	code := m.Run()
	if path := logFile(); path != "" && code == 0 {
		// Let the functions' last lines reach the file.
		time.Sleep(2 * time.Second)
		if err := scanLogs(path); err != nil {
			fmt.Fprintf(os.Stderr, "integration: log scan: %v\n", err)
			code = 1
		}
	}
	if err := cleanupBus(); err != nil {
		fmt.Fprintf(os.Stderr, "integration: remove the bus listener: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func loadTarget() (*target, error) {
	t := &target{
		name:          getenv("GOSHOP_TARGET", "devstack"),
		adminEmail:    getenv("GOSHOP_ADMIN_EMAIL", "admin@goshop.test"),
		adminPassword: getenv("GOSHOP_ADMIN_PASSWORD", "integration-admin-password"),
		run:           fmt.Sprintf("%x", time.Now().UnixNano())[4:],
	}
	switch t.name {
	case "devstack", "localstack", "aws":
	default:
		return nil, fmt.Errorf("GOSHOP_TARGET %q: want devstack, localstack or aws", t.name)
	}
	path := os.Getenv("GOSHOP_OUTPUTS")
	if path == "" {
		return nil, errors.New("GOSHOP_OUTPUTS is not set: point it at the stack outputs (cdk deploy --outputs-file, or devstack -outputs-file)")
	}
	outputs, err := readOutputs(path, os.Getenv("GOSHOP_STACK"))
	if err != nil {
		return nil, err
	}
	t.outputs = outputs
	t.api = os.Getenv("GOSHOP_API_URL")
	if t.api == "" {
		if t.api = outputs["ApiUrl"]; t.api == "" {
			return nil, fmt.Errorf("%s has no ApiUrl output and GOSHOP_API_URL is not set", path)
		}
		if t.name == "localstack" {
			if t.api, err = localStackURL(t.api, os.Getenv("AWS_ENDPOINT_URL")); err != nil {
				return nil, err
			}
		}
	}
	t.api = strings.TrimSuffix(t.api, "/")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// LoadDefaultConfig honours AWS_ENDPOINT_URL, AWS_REGION and the usual
	// credential chain.
	if t.aws, err = config.LoadDefaultConfig(ctx); err != nil {
		return nil, fmt.Errorf("load the AWS configuration: %w", err)
	}
	if t.aws.Region == "" {
		return nil, errors.New("no AWS region: set AWS_REGION")
	}
	for _, name := range []string{"EventBusName", "CheckoutStateMachineArn", "NotificationsConsumerQueueUrl", "NotificationsConsumerDeadLetterQueueUrl"} {
		if outputs[name] == "" {
			return nil, fmt.Errorf("%s has no %s output: deploy the current app", path, name)
		}
	}
	return t, nil
}

// readOutputs reads the outputs of one stack from a file in the format of
// `cdk deploy --outputs-file`: {"<stack>": {"<output>": "<value>"}}.
func readOutputs(path, stackName string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the stack outputs: %w", err)
	}
	var stacks map[string]map[string]string
	if err := json.Unmarshal(b, &stacks); err != nil {
		return nil, fmt.Errorf("%s: not a cdk outputs file: %w", path, err)
	}
	if stackName != "" {
		out, ok := stacks[stackName]
		if !ok {
			return nil, fmt.Errorf("%s has no stack %q", path, stackName)
		}
		return out, nil
	}
	if len(stacks) != 1 {
		return nil, fmt.Errorf("%s holds %d stacks: set GOSHOP_STACK", path, len(stacks))
	}
	for _, out := range stacks {
		return out, nil
	}
	panic("unreachable")
}

// localStackURL turns the AWS form of a REST API stage URL,
// https://<id>.execute-api.<region>.amazonaws.com/<stage>/, into the form
// LocalStack serves it at: http://<id>.execute-api.localhost.localstack.cloud:<port>/<stage>/
// (the host resolves to 127.0.0.1).
func localStackURL(apiURL, endpoint string) (string, error) {
	u, err := url.Parse(apiURL)
	if err != nil {
		return "", fmt.Errorf("ApiUrl %q: %w", apiURL, err)
	}
	id, _, ok := strings.Cut(u.Host, ".execute-api.")
	if !ok {
		return apiURL, nil // already a LocalStack URL
	}
	port := "4566"
	if e, err := url.Parse(endpoint); err == nil && e.Port() != "" {
		port = e.Port()
	}
	return "http://" + id + ".execute-api.localhost.localstack.cloud:" + port + u.Path, nil
}

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
