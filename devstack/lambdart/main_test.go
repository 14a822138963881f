package lambdart_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/goshop-dev/goshop/devstack/lambdart"
)

// binaries maps each test function under testdata to its built bootstrap.
var binaries = map[string]string{}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "lambdart-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	b := lambdart.NewBuilder(2)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, name := range []string{"echo", "typederror", "crash", "logs", "initerror", "rawruntime"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path, err := b.Build(context.Background(), ".", "./testdata/"+name, dir)
			mu.Lock()
			defer mu.Unlock()
			binaries[name] = path
			errs = append(errs, err)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(os.Stderr, "build test functions:", err)
		return 1
	}
	return m.Run()
}

// syncBuffer is a goroutine-safe log writer.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newService returns a Service closed at the end of the test, which also
// checks that every process it ran is gone then.
func newService(t *testing.T, cfg lambdart.Config, fns ...lambdart.Function) (*lambdart.Service, *pidSet) {
	t.Helper()
	s := lambdart.New(cfg)
	pids := &pidSet{}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		pids.assertGone(t)
	})
	for _, fn := range fns {
		if err := s.Register(fn); err != nil {
			t.Fatalf("Register(%s): %v", fn.Name, err)
		}
	}
	return s, pids
}

// pidSet records the processes a test saw.
type pidSet struct {
	mu   sync.Mutex
	pids map[int]bool
}

func (p *pidSet) add(pid int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pids == nil {
		p.pids = map[int]bool{}
	}
	p.pids[pid] = true
}

func (p *pidSet) assertGone(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for pid := range p.pids {
		assertPIDGone(t, pid)
	}
}

func assertPIDGone(t *testing.T, pid int) {
	t.Helper()
	if pid <= 0 {
		t.Errorf("pid %d: no process recorded", pid)
		return
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process %d still exists (kill 0: %v)", pid, err)
	}
}

// invoke invokes and fails the test on an error, recording the process.
func invoke(t *testing.T, s *lambdart.Service, pids *pidSet, name, payload string) lambdart.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := s.Invoke(ctx, name, []byte(payload))
	if err != nil {
		t.Fatalf("Invoke(%s, %s): %v", name, payload, err)
	}
	pids.add(res.PID)
	return res
}

type echoOutput struct {
	Echo        json.RawMessage   `json:"echo"`
	PID         int               `json:"pid"`
	RequestID   string            `json:"requestId"`
	FunctionARN string            `json:"functionArn"`
	TraceID     string            `json:"traceId"`
	DeadlineMs  int64             `json:"deadlineMs"`
	Env         map[string]string `json:"env"`
}

func decodeEcho(t *testing.T, res lambdart.Result) echoOutput {
	t.Helper()
	if res.FunctionError != "" {
		t.Fatalf("function error %s: %s", res.FunctionError, res.Payload)
	}
	var out echoOutput
	if err := json.Unmarshal(res.Payload, &out); err != nil {
		t.Fatalf("decode %s: %v", res.Payload, err)
	}
	return out
}
