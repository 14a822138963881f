package lambdart_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goshop-dev/goshop/devstack/lambdart"
)

func TestInvokeColdThenWarmReusesProcess(t *testing.T) {
	t.Parallel()
	s, pids := newService(t, lambdart.Config{
		Region: "eu-west-1", AccountID: "123456789012",
		Env: map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000"},
	}, lambdart.Function{
		Name: "echo", Binary: binaries["echo"], Env: map[string]string{"USERS_TABLE": "users"},
		Timeout: 5 * time.Second, MemoryMB: 256,
	})
	payload := `{"echo":{"n":1},"env":["USERS_TABLE","AWS_ENDPOINT_URL_DYNAMODB","AWS_LAMBDA_FUNCTION_NAME",` +
		`"AWS_LAMBDA_FUNCTION_MEMORY_SIZE","AWS_LAMBDA_FUNCTION_VERSION","AWS_REGION","AWS_DEFAULT_REGION","_HANDLER",` +
		`"AWS_XRAY_CONTEXT_MISSING","AWS_ACCESS_KEY_ID","AWS_SECRET_ACCESS_KEY","_LAMBDA_SERVER_PORT"]}`

	before := time.Now()
	cold := invoke(t, s, pids, "echo", payload)
	warm := invoke(t, s, pids, "echo", payload)

	coldOut, warmOut := decodeEcho(t, cold), decodeEcho(t, warm)
	if !cold.ColdStart || cold.InitDuration <= 0 {
		t.Errorf("first invocation: ColdStart %v, InitDuration %v; want a cold start with its init duration", cold.ColdStart, cold.InitDuration)
	}
	if warm.ColdStart || warm.InitDuration != 0 {
		t.Errorf("second invocation: ColdStart %v, InitDuration %v; want a warm start", warm.ColdStart, warm.InitDuration)
	}
	if cold.PID != warm.PID || coldOut.PID != cold.PID || warmOut.PID != warm.PID {
		t.Errorf("PIDs: cold %d (function saw %d), warm %d (function saw %d); want one process", cold.PID, coldOut.PID, warm.PID, warmOut.PID)
	}
	if string(coldOut.Echo) != `{"n":1}` {
		t.Errorf("echo = %s, want {\"n\":1}", coldOut.Echo)
	}
	wantEnv := map[string]string{
		"USERS_TABLE":                     "users",
		"AWS_ENDPOINT_URL_DYNAMODB":       "http://127.0.0.1:8000",
		"AWS_LAMBDA_FUNCTION_NAME":        "echo",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_REGION":                      "eu-west-1",
		"AWS_DEFAULT_REGION":              "eu-west-1",
		"_HANDLER":                        "bootstrap",
		"AWS_XRAY_CONTEXT_MISSING":        "IGNORE_ERROR",
		"AWS_ACCESS_KEY_ID":               "devstack",
		"AWS_SECRET_ACCESS_KEY":           "devstack",
	}
	if diff := cmp.Diff(wantEnv, coldOut.Env); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
	if coldOut.RequestID != cold.RequestID || warmOut.RequestID != warm.RequestID || cold.RequestID == warm.RequestID {
		t.Errorf("request ids: function saw %q and %q, results %q and %q", coldOut.RequestID, warmOut.RequestID, cold.RequestID, warm.RequestID)
	}
	if want := "arn:aws:lambda:eu-west-1:123456789012:function:echo"; coldOut.FunctionARN != want {
		t.Errorf("invoked function ARN = %q, want %q", coldOut.FunctionARN, want)
	}
	if !regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`).MatchString(coldOut.TraceID) {
		t.Errorf("trace id = %q, want an X-Ray trace header", coldOut.TraceID)
	}
	deadline := time.UnixMilli(coldOut.DeadlineMs)
	if deadline.Before(before.Add(5*time.Second)) || deadline.After(time.Now().Add(5*time.Second)) {
		t.Errorf("deadline %v is not the invocation's start plus the 5s timeout", deadline)
	}
}

func TestInvokeFindsFunctionByARNAndCarriesTraceID(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:lambda:us-east-1:000000000000:function:by-arn"
	s, pids := newService(t, lambdart.Config{}, lambdart.Function{Name: "by-arn", Binary: binaries["echo"]})
	trace := "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

	tests := []string{arn, arn + ":$LATEST", "000000000000:function:by-arn"}
	for _, name := range tests {
		ctx := lambdart.WithTraceID(context.Background(), trace)
		res, err := s.Invoke(ctx, name, []byte(`{}`))
		if err != nil {
			t.Fatalf("Invoke(%s): %v", name, err)
		}
		pids.add(res.PID)
		if out := decodeEcho(t, res); out.TraceID != trace || out.FunctionARN != arn {
			t.Errorf("Invoke(%s): trace %q, ARN %q; want %q, %q", name, out.TraceID, out.FunctionARN, trace, arn)
		}
	}
}

func TestInvokeReportsFunctionErrors(t *testing.T) {
	t.Parallel()
	s, pids := newService(t, lambdart.Config{}, lambdart.Function{Name: "fails", Binary: binaries["typederror"]})

	tests := []struct {
		kind        string
		wantType    string
		wantMessage string
	}{
		{kind: "typed", wantType: "OutOfStockError", wantMessage: "out of stock: sku-1"},
		{kind: "plain", wantType: "errorString", wantMessage: "plain failure"},
		{kind: "panic", wantType: "string", wantMessage: "boom"},
	}
	for _, tt := range tests {
		res := invoke(t, s, pids, "fails", `{"kind":"`+tt.kind+`"}`)
		if res.FunctionError != "Unhandled" || res.ErrorType != tt.wantType || res.ErrorMessage != tt.wantMessage {
			t.Errorf("%s: FunctionError %q, ErrorType %q, ErrorMessage %q; want Unhandled, %q, %q",
				tt.kind, res.FunctionError, res.ErrorType, res.ErrorMessage, tt.wantType, tt.wantMessage)
		}
		var doc struct {
			ErrorMessage string `json:"errorMessage"`
			ErrorType    string `json:"errorType"`
		}
		if err := json.Unmarshal(res.Payload, &doc); err != nil || doc.ErrorType != tt.wantType || doc.ErrorMessage != tt.wantMessage {
			t.Errorf("%s: payload %s (%v), want the error document", tt.kind, res.Payload, err)
		}
	}

	// aws-lambda-go exits after reporting a panic: the next invocation gets a new process.
	panicked := invoke(t, s, pids, "fails", `{"kind":"panic"}`)
	next := invoke(t, s, pids, "fails", `{"kind":"none"}`)
	if !next.ColdStart || next.PID == panicked.PID || string(next.Payload) != `"fine"` {
		t.Errorf("after a panic: ColdStart %v, PID %d (panicked in %d), payload %s; want a new process", next.ColdStart, next.PID, panicked.PID, next.Payload)
	}
	assertPIDGone(t, panicked.PID)
}

func TestInvokeTimeoutKillsProcess(t *testing.T) {
	t.Parallel()
	s, pids := newService(t, lambdart.Config{}, lambdart.Function{
		Name: "slow", Binary: binaries["echo"], Timeout: 500 * time.Millisecond,
	})
	warm := invoke(t, s, pids, "slow", `{}`)

	start := time.Now()
	res := invoke(t, s, pids, "slow", `{"sleepMs":5000}`)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("timed out invocation took %v, want about the 500ms timeout", took)
	}
	if res.PID != warm.PID {
		t.Fatalf("the slow invocation ran in %d, want the warm process %d", res.PID, warm.PID)
	}
	wantMsg := "RequestId: " + res.RequestID + " Error: Task timed out after 0.50 seconds"
	if res.FunctionError != "Unhandled" || res.ErrorType != "Sandbox.Timedout" || res.ErrorMessage != wantMsg {
		t.Errorf("got %q %q %q, want Unhandled Sandbox.Timedout %q", res.FunctionError, res.ErrorType, res.ErrorMessage, wantMsg)
	}
	if want := `{"errorMessage":"` + wantMsg + `","errorType":"Sandbox.Timedout"}`; string(res.Payload) != want {
		t.Errorf("payload = %s, want %s", res.Payload, want)
	}
	if !strings.Contains(res.LogTail, "Task timed out after 0.50 seconds") || !strings.Contains(res.LogTail, "Status: timeout") {
		t.Errorf("log tail lacks the timeout lines:\n%s", res.LogTail)
	}
	assertPIDGone(t, res.PID)

	next := invoke(t, s, pids, "slow", `{}`)
	if !next.ColdStart || next.PID == res.PID {
		t.Errorf("after a timeout: ColdStart %v, PID %d; want a cold start in a new process", next.ColdStart, next.PID)
	}
}

func TestInvokeProcessExitIsRuntimeExitError(t *testing.T) {
	t.Parallel()
	s, pids := newService(t, lambdart.Config{}, lambdart.Function{Name: "crash", Binary: binaries["crash"]})

	first := invoke(t, s, pids, "crash", `{}`)
	want := "RequestId: " + first.RequestID + " Error: Runtime exited with error: exit status 3"
	if first.FunctionError != "Unhandled" || first.ErrorType != "Runtime.ExitError" || first.ErrorMessage != want {
		t.Errorf("got %q %q %q, want Unhandled Runtime.ExitError %q", first.FunctionError, first.ErrorType, first.ErrorMessage, want)
	}
	if !strings.Contains(first.LogTail, "about to exit") || !strings.Contains(first.LogTail, "Error Type: Runtime.ExitError") {
		t.Errorf("log tail lacks the function's output or the error report:\n%s", first.LogTail)
	}
	assertPIDGone(t, first.PID)

	second := invoke(t, s, pids, "crash", `{}`)
	if !second.ColdStart || second.PID == first.PID || second.ErrorType != "Runtime.ExitError" {
		t.Errorf("second invocation: ColdStart %v, PID %d, ErrorType %q; want a new process that exits again", second.ColdStart, second.PID, second.ErrorType)
	}
}

func TestInvokeInitErrorReturnsPostedError(t *testing.T) {
	t.Parallel()
	s, pids := newService(t, lambdart.Config{}, lambdart.Function{Name: "broken", Binary: binaries["initerror"]})

	res := invoke(t, s, pids, "broken", `{}`)
	if res.FunctionError != "Unhandled" || res.ErrorType != "Runtime.ConfigError" || res.ErrorMessage != "TABLE_NAME is not set" {
		t.Errorf("got %q %q %q, want Unhandled Runtime.ConfigError %q", res.FunctionError, res.ErrorType, res.ErrorMessage, "TABLE_NAME is not set")
	}
	if !regexp.MustCompile(`INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: init\tStatus: error\tError Type: Runtime.ConfigError\n`).MatchString(res.LogTail) {
		t.Errorf("log tail lacks the INIT_REPORT line:\n%s", res.LogTail)
	}
	assertPIDGone(t, res.PID)
}

// invokeParallel runs n invocations of name with payload at once and
// returns those that succeeded and the number throttled; any other error
// fails the test.
func invokeParallel(t *testing.T, s *lambdart.Service, pids *pidSet, name string, n int, payload string) (results []lambdart.Result, throttled int) {
	t.Helper()
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			res, err := s.Invoke(ctx, name, []byte(payload))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, lambdart.ErrTooManyRequests):
				throttled++
			case err != nil:
				t.Errorf("Invoke: %v", err)
			default:
				pids.add(res.PID)
				results = append(results, res)
			}
		}()
	}
	wg.Wait()
	return results, throttled
}

func distinctPIDs(results []lambdart.Result) map[int]bool {
	set := map[int]bool{}
	for _, r := range results {
		set[r.PID] = true
	}
	return set
}

func TestInvokeConcurrencyLimitThrottles(t *testing.T) {
	t.Parallel()
	const limit = 3
	s, pids := newService(t, lambdart.Config{}, lambdart.Function{Name: "busy", Binary: binaries["echo"], ReservedConcurrency: limit})
	parallel := func(n int, payload string) ([]lambdart.Result, int) {
		return invokeParallel(t, s, pids, "busy", n, payload)
	}
	distinct := distinctPIDs

	first, throttled := parallel(2*limit, `{"sleepMs":1000}`)
	if len(first) != limit || throttled != limit || len(distinct(first)) != limit {
		t.Fatalf("%d parallel invocations: %d ran in %d processes, %d throttled; want %d, %d, %d",
			2*limit, len(first), len(distinct(first)), throttled, limit, limit, limit)
	}
	second, throttled := parallel(limit, `{"sleepMs":100}`)
	if throttled != 0 || len(second) != limit {
		t.Fatalf("second round: %d ran, %d throttled; want %d, 0", len(second), throttled, limit)
	}
	for _, r := range second {
		if r.ColdStart || !distinct(first)[r.PID] {
			t.Errorf("second round ran in process %d (cold %v); want a warm one of %v", r.PID, r.ColdStart, distinct(first))
		}
	}
}

func TestInvokeWritesLogsAndReportLines(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	s, pids := newService(t, lambdart.Config{Logs: logs}, lambdart.Function{Name: "logger", Binary: binaries["logs"], MemoryMB: 256})

	cold := invoke(t, s, pids, "logger", `{}`)
	warm := invoke(t, s, pids, "logger", `{}`)

	report := regexp.MustCompile(`^\[logger\] REPORT RequestId: (\S+)\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: [1-9]\d* MB(\tInit Duration: \d+\.\d{2} ms)?$`)
	var (
		got     []string
		reports = map[string]bool{} // request id -> has Init Duration
	)
	for _, line := range strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n") {
		if m := report.FindStringSubmatch(line); m != nil {
			reports[m[1]] = m[2] != ""
			line = "[logger] REPORT " + m[1]
		}
		if strings.Contains(line, "hello from stderr") {
			line = "[logger] <stderr>" // log adds a timestamp
		}
		got = append(got, line)
	}
	want := []string{
		"[logger] init output",
		"[logger] START RequestId: " + cold.RequestID + " Version: $LATEST",
		"[logger] hello from stdout",
		"[logger] <stderr>",
		"[logger] END RequestId: " + cold.RequestID,
		"[logger] REPORT " + cold.RequestID,
		"[logger] START RequestId: " + warm.RequestID + " Version: $LATEST",
		"[logger] hello from stdout",
		"[logger] <stderr>",
		"[logger] END RequestId: " + warm.RequestID,
		"[logger] REPORT " + warm.RequestID,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log lines (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]bool{cold.RequestID: true, warm.RequestID: false}, reports); diff != "" {
		t.Errorf("REPORT lines with Init Duration, by request (-want +got):\n%s", diff)
	}
	for _, res := range []lambdart.Result{cold, warm} {
		if !strings.Contains(res.LogTail, "hello from stdout\n") || !strings.Contains(res.LogTail, "REPORT RequestId: "+res.RequestID) {
			t.Errorf("log tail of %s lacks its lines:\n%s", res.RequestID, res.LogTail)
		}
	}
	if strings.Contains(warm.LogTail, cold.RequestID) {
		t.Errorf("warm log tail holds the cold invocation's lines:\n%s", warm.LogTail)
	}
}

func TestInvokeRefusesBadRequests(t *testing.T) {
	t.Parallel()
	s, _ := newService(t, lambdart.Config{}, lambdart.Function{Name: "echo", Binary: binaries["echo"]})

	tests := []struct {
		name    string
		fn      string
		payload []byte
		want    error
	}{
		{name: "unknown function", fn: "nope", payload: []byte(`{}`), want: lambdart.ErrFunctionNotFound},
		{name: "unknown qualifier", fn: "arn:aws:lambda:us-east-1:000000000000:function:echo:7", payload: []byte(`{}`), want: lambdart.ErrFunctionNotFound},
		{name: "payload not json", fn: "echo", payload: []byte(`{nope`), want: lambdart.ErrInvalidRequestContent},
		{name: "payload too large", fn: "echo", payload: make([]byte, lambdart.MaxPayloadBytes+1), want: lambdart.ErrRequestTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Invoke(context.Background(), tt.fn, tt.payload); !errors.Is(err, tt.want) {
				t.Errorf("Invoke: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRegisterRefusesInvalidFunctions(t *testing.T) {
	t.Parallel()
	s, _ := newService(t, lambdart.Config{}, lambdart.Function{Name: "taken", Binary: binaries["echo"]})

	tests := []struct {
		name string
		fn   lambdart.Function
		want string
	}{
		{name: "empty name", fn: lambdart.Function{Binary: binaries["echo"]}, want: "empty name"},
		{name: "duplicate", fn: lambdart.Function{Name: "taken", Binary: binaries["echo"]}, want: "already registered"},
		{name: "duplicate ARN", fn: lambdart.Function{Name: "other", ARN: "arn:aws:lambda:us-east-1:000000000000:function:taken", Binary: binaries["echo"]}, want: "already registered"},
		{name: "missing binary", fn: lambdart.Function{Name: "x", Binary: "/nonexistent/bootstrap"}, want: "no such file"},
		{name: "reserved variable", fn: lambdart.Function{Name: "x", Binary: binaries["echo"], Env: map[string]string{"AWS_REGION": "x"}}, want: "AWS_REGION is reserved"},
		{name: "negative timeout", fn: lambdart.Function{Name: "x", Binary: binaries["echo"], Timeout: -time.Second}, want: "negative"},
		{name: "negative reserved concurrency", fn: lambdart.Function{Name: "x", Binary: binaries["echo"], ReservedConcurrency: -1}, want: "negative"},
		{name: "throttled with a reservation", fn: lambdart.Function{Name: "x", Binary: binaries["echo"], Throttled: true, ReservedConcurrency: 2}, want: "Throttled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Register(tt.fn)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Register: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestCloseStopsEveryProcess(t *testing.T) {
	t.Parallel()
	s := lambdart.New(lambdart.Config{ShutdownGrace: 200 * time.Millisecond})
	for _, name := range []string{"a", "b"} {
		if err := s.Register(lambdart.Function{Name: name, Binary: binaries["echo"], Timeout: 10 * time.Second}); err != nil {
			t.Fatalf("Register: %v", err)
		}
	}
	pids := &pidSet{}
	pids.add(invoke(t, s, pids, "a", `{}`).PID)
	pids.add(invoke(t, s, pids, "b", `{}`).PID)

	inflight := make(chan error, 1)
	go func() {
		_, err := s.Invoke(context.Background(), "a", []byte(`{"sleepMs":8000}`))
		inflight <- err
	}()
	time.Sleep(200 * time.Millisecond) // let it reach the function

	start := time.Now()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Close took %v", took)
	}
	if err := <-inflight; !errors.Is(err, lambdart.ErrClosed) {
		t.Errorf("in-flight invocation: %v, want ErrClosed", err)
	}
	pids.assertGone(t)
	if _, err := s.Invoke(context.Background(), "a", []byte(`{}`)); !errors.Is(err, lambdart.ErrClosed) {
		t.Errorf("Invoke after Close: %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestInvokeReturnsWhenContextEnds(t *testing.T) {
	t.Parallel()
	s, pids := newService(t, lambdart.Config{}, lambdart.Function{Name: "echo", Binary: binaries["echo"], MaxConcurrency: 1})
	first := invoke(t, s, pids, "echo", `{}`)

	abandoned := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := s.Invoke(ctx, "echo", []byte(`{"sleepMs":600}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Invoke: %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(abandoned); took > 500*time.Millisecond {
		t.Errorf("Invoke returned %v after its context ended, want at once", took-100*time.Millisecond)
	}
	// The abandoned invocation runs to its end, then its process serves
	// the next one, which waits for it (MaxConcurrency 1) rather than
	// starting another process or being throttled.
	next := invoke(t, s, pids, "echo", `{}`)
	if next.ColdStart || next.PID != first.PID {
		t.Errorf("next invocation: ColdStart %v, PID %d; want the warm process %d", next.ColdStart, next.PID, first.PID)
	}
	if took := time.Since(abandoned); took < 600*time.Millisecond {
		t.Errorf("next invocation done %v after the abandoned one began, want after its 600ms", took)
	}
}

// TestInvokeBeyondMaxConcurrencyWaits checks that, without a reserved
// concurrency, invocations beyond MaxConcurrency wait for an instance
// instead of being throttled, and that one whose context ends while it
// waits gives up without starting a process.
func TestInvokeBeyondMaxConcurrencyWaits(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	s, pids := newService(t, lambdart.Config{Logs: logs}, lambdart.Function{Name: "capped", Binary: binaries["echo"], MaxConcurrency: 2})

	start := time.Now()
	results, throttled := invokeParallel(t, s, pids, "capped", 6, `{"sleepMs":300}`)
	took := time.Since(start)
	if len(results) != 6 || throttled != 0 {
		t.Fatalf("6 invocations with MaxConcurrency 2: %d succeeded, %d throttled; want all to succeed", len(results), throttled)
	}
	if got := distinctPIDs(results); len(got) != 2 {
		t.Errorf("the invocations ran in processes %v, want 2", got)
	}
	if took < 900*time.Millisecond {
		t.Errorf("6 invocations of 300ms took %v on 2 instances, want at least 900ms", took)
	}

	// Both instances busy, an invocation waits and its context ends.
	long := make(chan []lambdart.Result, 1)
	go func() {
		res, _ := invokeParallel(t, s, pids, "capped", 2, `{"sleepMs":1500}`)
		long <- res
	}()
	waitFor(t, func() bool { return strings.Count(logs.String(), "] START RequestId:") == 8 })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := s.Invoke(ctx, "capped", []byte(`{}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Invoke while both instances are busy: %v, want context.DeadlineExceeded", err)
	}
	if res := <-long; len(res) != 2 || len(distinctPIDs(append(res, results...))) != 2 {
		t.Errorf("the long invocations: %d succeeded in processes %v, want 2 in the first 2", len(res), distinctPIDs(res))
	}

	if err := s.Close(); err != nil { // waits for anything the waiter might have started
		t.Fatal(err)
	}
	out := logs.String()
	if starts, cold := strings.Count(out, "] START RequestId:"), strings.Count(out, "\tInit Duration:"); starts != 8 || cold != 2 {
		t.Errorf("logs show %d invocations and %d cold starts, want 8 and 2 (none for the invocation that gave up):\n%s", starts, cold, out)
	}
}

func TestInvokeBeyondMaxConcurrencyWithinReservationWaits(t *testing.T) {
	t.Parallel()
	s, pids := newService(t, lambdart.Config{}, lambdart.Function{
		Name: "reserved", Binary: binaries["echo"], MaxConcurrency: 1, ReservedConcurrency: 2,
	})
	results, throttled := invokeParallel(t, s, pids, "reserved", 3, `{"sleepMs":500}`)
	if len(results) != 2 || throttled != 1 || len(distinctPIDs(results)) != 1 {
		t.Errorf("3 invocations, reservation 2, MaxConcurrency 1: %d succeeded in %d processes, %d throttled; want 2 in 1, 1",
			len(results), len(distinctPIDs(results)), throttled)
	}
}

func TestInvokeThrottledFunctionThrottlesEveryInvocation(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	s, _ := newService(t, lambdart.Config{Logs: logs}, lambdart.Function{Name: "off", Binary: binaries["echo"], Throttled: true})
	for range 3 {
		if _, err := s.Invoke(context.Background(), "off", []byte(`{}`)); !errors.Is(err, lambdart.ErrTooManyRequests) {
			t.Errorf("Invoke: %v, want ErrTooManyRequests", err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if out := logs.String(); out != "" {
		t.Errorf("a throttled function ran:\n%s", out)
	}
}

// waitFor polls cond until it holds, failing the test after 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
