package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// smallTemplate has no function to build: a queue and a REST API whose
// only method is a mock, with the outputs the app's template has.
const smallTemplate = `{
  "Resources": {
    "Jobs": {"Type": "AWS::SQS::Queue"},
    "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "small"}},
    "Ping": {"Type": "AWS::ApiGateway::Method", "Properties": {
      "RestApiId": {"Ref": "Api"}, "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]},
      "HttpMethod": "GET", "AuthorizationType": "NONE",
      "Integration": {"Type": "MOCK", "RequestTemplates": {"application/json": "{\"statusCode\": 200}"},
        "IntegrationResponses": [{"StatusCode": "200", "ResponseTemplates": {"application/json": "{\"pong\":true}"}}]},
      "MethodResponses": [{"StatusCode": "200"}]}},
    "Stage": {"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": {"Ref": "Api"}, "StageName": "dev"}}
  },
  "Outputs": {
    "ApiUrl": {"Value": {"Fn::Join": ["", ["https://", {"Ref": "Api"}, ".execute-api.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/", {"Ref": "Stage"}, "/"]]}},
    "JobsQueueUrl": {"Value": {"Ref": "Jobs"}}
  }
}`

// helperExitCode is what the helper command exits with when every check
// passed, so the test tells it from any failure.
const helperExitCode = 3

// TestCommandMode boots devstack on a small template (DynamoDB Local
// included, no function) and runs this test binary as the command
// (TestCommandHelper): it checks its environment and reaches the stack
// through the outputs file with the real SDK and HTTP, then exits 3, which
// devstack must pass on after stopping everything. The stack's logs go to
// -log-file, not stderr, and their end is shown on stderr after the
// command failed.
func TestCommandMode(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "small.template.json")
	if err := os.WriteFile(tmpl, []byte(smallTemplate), 0o600); err != nil {
		t.Fatal(err)
	}
	outputs := filepath.Join(dir, "out", "outputs.json")
	logFile := filepath.Join(dir, "logs", "devstack.log")
	var stdout, stderr bytes.Buffer
	args := []string{"-root", root, "-template", tmpl, "-api", "127.0.0.1:0", "-aws", "127.0.0.1:0", "-outputs-file", outputs,
		"-log-file", logFile, "--", os.Args[0], "-test.run=^TestCommandHelper$", "-test.count=1", "--", "devstack-helper"}
	err = run(args, &stdout, &stderr)
	logs, _ := os.ReadFile(logFile)
	var exit *exitError
	if !errors.As(err, &exit) || exit.code != helperExitCode {
		t.Fatalf("run = %v, want the helper's exit code %d\nstdout:\n%s\nstderr (tail):\n%s\nlog file (tail):\n%s",
			err, helperExitCode, stdout.String(), tail(stderr.String(), 6000), tail(string(logs), 6000))
	}
	if !strings.Contains(stdout.String(), "devstack stopped") {
		t.Errorf("devstack did not stop after the command:\n%s", stdout.String())
	}
	checkLogFile(t, logFile, string(logs), stdout.String(), stderr.String())
	data, err := os.ReadFile(outputs)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]map[string]string
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("outputs file %s: %v", data, err)
	}
	small := got["small"]
	if len(got) != 1 || !strings.HasPrefix(small["ApiUrl"], "http://127.0.0.1:") || !strings.HasSuffix(small["ApiUrl"], "/dev/") ||
		!strings.HasSuffix(small["JobsQueueUrl"], "/000000000000/small-Jobs") {
		t.Errorf("outputs file = %s", data)
	}
}

// checkLogFile checks that the stack's logs went to the log file only,
// that stdout names it, and that stderr ends with the file's last lines.
func checkLogFile(t *testing.T, path, logs, stdout, stderr string) {
	t.Helper()
	if !strings.Contains(stdout, "devstack: logs go to "+path+"\n") {
		t.Errorf("stdout does not say where the logs are:\n%s", stdout)
	}
	if !strings.Contains(logs, "devstack: loaded ") || !strings.Contains(logs, "devstack: DynamoDB Local on ") {
		t.Errorf("the log file lacks the stack's progress lines:\n%s", tail(logs, 4000))
	}
	header := "devstack: last "
	before, shown, ok := strings.Cut(stderr, header)
	if !ok {
		t.Fatalf("stderr does not show the log's end after the command failed:\n%s", tail(stderr, 4000))
	}
	if strings.Contains(before, "devstack: loaded ") || strings.Contains(before, "[dynamodb-local]") {
		t.Errorf("the stack's logs went to stderr too:\n%s", tail(before, 4000))
	}
	lines := strings.Split(strings.TrimSuffix(logs, "\n"), "\n")
	want := strings.Join(lines[max(0, len(lines)-logTailLines):], "\n") + "\n"
	wantShown := fmt.Sprintf("%d lines of %s:\n%sdevstack: end of %s\n", min(len(lines), logTailLines), path, want, path)
	if shown != wantShown {
		t.Errorf("stderr after the command's failure:\n%s\nwant the log file's last %d lines:\n%s", tail(shown, 4000), logTailLines, tail(wantShown, 4000))
	}
}

// TestCommandHelper is the command TestCommandMode runs; run directly it
// does nothing.
func TestCommandHelper(t *testing.T) {
	if !slices.Contains(flag.Args(), "devstack-helper") {
		return
	}
	if err := checkStackFromCommand(); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(1)
	}
	os.Exit(helperExitCode)
}

// checkStackFromCommand checks, as a command run by devstack, the
// environment it was given and the stack it points at.
func checkStackFromCommand() error {
	for k, want := range map[string]string{"GOSHOP_TARGET": "devstack", "AWS_REGION": "us-east-1"} {
		if got := os.Getenv(k); got != want {
			return fmt.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GOSHOP_OUTPUTS"} {
		if os.Getenv(k) == "" {
			return fmt.Errorf("%s is not set", k)
		}
	}
	if !filepath.IsAbs(os.Getenv("GOSHOP_OUTPUTS")) {
		return fmt.Errorf("GOSHOP_OUTPUTS %q is not absolute", os.Getenv("GOSHOP_OUTPUTS"))
	}
	data, err := os.ReadFile(os.Getenv("GOSHOP_OUTPUTS"))
	if err != nil {
		return err
	}
	var outputs map[string]map[string]string
	if err := json.Unmarshal(data, &outputs); err != nil {
		return fmt.Errorf("outputs %s: %w", data, err)
	}
	out := outputs["small"]

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	client := sqs.NewFromConfig(cfg)
	queueURL := aws.String(out["JobsQueueUrl"])
	if _, err := client.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: queueURL, MessageBody: aws.String("from the command")}); err != nil {
		return fmt.Errorf("send to the output queue URL: %w", err)
	}
	got, err := client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: queueURL, WaitTimeSeconds: 5})
	if err != nil || len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != "from the command" {
		return fmt.Errorf("receive from the output queue URL = %+v, %v", got, err)
	}

	resp, err := http.Get(out["ApiUrl"])
	if err != nil {
		return fmt.Errorf("GET ApiUrl: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || string(body) != `{"pong":true}` {
		return fmt.Errorf("GET %s = %d %q, %v; want the mock's 200", out["ApiUrl"], resp.StatusCode, body, err)
	}
	return nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
