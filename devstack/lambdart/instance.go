package lambdart

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// instance is one process of a function and the Runtime API it is served.
type instance struct {
	fn      *function
	pid     int
	started time.Time
	srv     *http.Server
	logs    *logPipe

	// next carries a parked /next call's slot: sending an invocation on the
	// slot hands it to the runtime.
	next chan chan *invocation
	// parked is a slot taken from next while the instance was idle; only the
	// goroutine holding the instance touches it.
	parked chan *invocation
	// state is guarded by fn.mu.
	state int

	firstNext  sync.Once
	nextCalled atomic.Bool
	initDone   time.Time

	initOnce   sync.Once
	initFailed chan struct{}
	initErr    *invokeError

	exited  chan struct{}
	exitErr error

	curMu   sync.Mutex
	current *invocation

	memMB      atomic.Int64
	finishOnce sync.Once
}

// startInstance starts a process of f behind its own Runtime API server.
func startInstance(f *function) (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start %s: runtime api: %w", f.cfg.Name, err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("start %s: log pipe: %w", f.cfg.Name, err)
	}
	in := &instance{
		fn:         f,
		next:       make(chan chan *invocation, 1),
		initFailed: make(chan struct{}),
		exited:     make(chan struct{}),
	}
	in.srv = &http.Server{
		Handler:           in.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go in.srv.Serve(ln) //nolint:errcheck // ends with ErrServerClosed at finish

	cmd := exec.Command(f.cfg.Binary)
	cmd.Dir = filepath.Dir(f.cfg.Binary)
	cmd.Env = f.environ(ln.Addr().String())
	cmd.Stdout = pw
	cmd.Stderr = pw
	cmd.SysProcAttr = sysProcAttr()
	in.started = time.Now()
	if err := cmd.Start(); err != nil {
		in.srv.Close()
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("start %s: %w", f.cfg.Name, err)
	}
	in.pid = cmd.Process.Pid
	in.logs = newLogPipe(f.svc.logs, f.cfg.Name, pr, pw)
	go func() {
		in.exitErr = cmd.Wait()
		close(in.exited)
		f.exitedWhileIdle(in)
	}()
	return in, nil
}

// environ is the process environment: the function's variables, then the
// ones Lambda defines, then the service's extra variables.
func (f *function) environ(runtimeAPI string) []string {
	cfg, svc := f.cfg, f.svc.cfg
	env := map[string]string{}
	for k, v := range cfg.Env {
		env[k] = v
	}
	dir := filepath.Dir(cfg.Binary)
	for k, v := range map[string]string{
		"PATH":                            os.Getenv("PATH"),
		"LANG":                            "en_US.UTF-8",
		"TZ":                              ":UTC",
		"LAMBDA_TASK_ROOT":                dir,
		"LAMBDA_RUNTIME_DIR":              dir,
		"_HANDLER":                        "bootstrap",
		"AWS_LAMBDA_RUNTIME_API":          runtimeAPI,
		"AWS_LAMBDA_FUNCTION_NAME":        cfg.Name,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(cfg.MemoryMB),
		"AWS_LAMBDA_FUNCTION_VERSION":     LatestVersion,
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + cfg.Name,
		"AWS_LAMBDA_LOG_STREAM_NAME":      time.Now().UTC().Format("2006/01/02") + "/[" + LatestVersion + "]" + randomHex(16),
		"AWS_REGION":                      svc.Region,
		"AWS_DEFAULT_REGION":              svc.Region,
		"AWS_ACCESS_KEY_ID":               "devstack",
		"AWS_SECRET_ACCESS_KEY":           "devstack",
		"AWS_SESSION_TOKEN":               "devstack",
		"AWS_XRAY_CONTEXT_MISSING":        "IGNORE_ERROR",
	} {
		env[k] = v
	}
	for k, v := range svc.Env {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

func (in *instance) initDuration() time.Duration { return in.initDone.Sub(in.started) }

func (in *instance) setCurrent(inv *invocation) {
	in.curMu.Lock()
	in.current = inv
	in.curMu.Unlock()
}

// currentFor returns the invocation the runtime is working on if its id is id.
func (in *instance) currentFor(id string) *invocation {
	in.curMu.Lock()
	defer in.curMu.Unlock()
	if in.current == nil || in.current.id != id {
		return nil
	}
	return in.current
}

func (in *instance) hasExited() bool {
	select {
	case <-in.exited:
		return true
	default:
		return false
	}
}

// kill ends the process group at once, as Lambda does on a timeout, and
// waits for the process to be reaped.
func (in *instance) kill() {
	if !in.hasExited() {
		_ = syscall.Kill(-in.pid, syscall.SIGKILL)
	}
	<-in.exited
}

// stop sends SIGTERM, waits up to grace, then kills.
func (in *instance) stop(grace time.Duration) {
	if grace > 0 && !in.hasExited() {
		_ = syscall.Kill(-in.pid, syscall.SIGTERM)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-in.exited:
		case <-t.C:
		}
	}
	in.kill()
}

// finish releases the Runtime API server and the log pipe; the process
// must be gone.
func (in *instance) finish() {
	in.finishOnce.Do(func() {
		in.srv.Close()
		in.logs.close()
	})
}

// sampleMemory records the process's peak resident set (VmHWM) and returns
// the largest seen, in MB.
func (in *instance) sampleMemory() int64 {
	if kb, ok := peakRSSKB(in.pid); ok && !in.hasExited() {
		mb := (kb + 1023) / 1024
		if mb > in.memMB.Load() {
			in.memMB.Store(mb)
		}
	}
	return in.memMB.Load()
}

func peakRSSKB(pid int) (int64, bool) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			fields := bytes.Fields(rest)
			if len(fields) == 0 {
				return 0, false
			}
			kb, err := strconv.ParseInt(string(fields[0]), 10, 64)
			return kb, err == nil
		}
	}
	return 0, false
}

// describeExit renders a process's end as Lambda does: "exit status 3",
// "signal: killed".
func describeExit(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.Error()
	}
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}
