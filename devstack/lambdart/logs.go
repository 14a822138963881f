package lambdart

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// tailBytes is how much of an invocation's log Result.LogTail keeps, as
// the Invoke API's LogType Tail.
const tailBytes = 4096

// syncMarker is written into a process's log pipe after an invocation's
// last line: the reader meets it after every byte the process wrote before
// answering, so the invocation's log is complete when it is seen.
var syncMarker = []byte("\x00lambdart-sync\n")

// lineWriter serialises lines from every function onto one writer.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func newLineWriter(w io.Writer) *lineWriter {
	if w == nil {
		w = io.Discard
	}
	return &lineWriter{w: w}
}

func (l *lineWriter) write(name, line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, "["+name+"] "+line+"\n")
}

func (l *lineWriter) printf(name, format string, args ...any) {
	for _, line := range strings.Split(fmt.Sprintf(format, args...), "\n") {
		l.write(name, line)
	}
}

// logPipe carries one process's stdout and stderr (one pipe, as Lambda
// interleaves them into one stream) and lambdart's own START/END/REPORT
// lines, written into the same pipe so they keep their order.
type logPipe struct {
	out  *lineWriter
	name string
	r    *os.File

	wmu     sync.Mutex
	w       *os.File
	wclosed bool

	mu   sync.Mutex
	tail *tailBuffer

	synced chan struct{}
	done   chan struct{}
}

func newLogPipe(out *lineWriter, name string, r, w *os.File) *logPipe {
	p := &logPipe{out: out, name: name, r: r, w: w, synced: make(chan struct{}, 1), done: make(chan struct{})}
	go p.read()
	return p
}

func (p *logPipe) read() {
	defer close(p.done)
	br := bufio.NewReaderSize(p.r, 64*1024)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			p.handle(line)
		}
		if err != nil {
			return
		}
	}
}

func (p *logPipe) handle(line []byte) {
	if i := bytes.Index(line, syncMarker); i >= 0 {
		if i > 0 {
			p.emit(line[:i])
		}
		select {
		case p.synced <- struct{}{}:
		default:
		}
		return
	}
	p.emit(line)
}

func (p *logPipe) emit(b []byte) {
	text := strings.TrimRight(string(b), "\r\n")
	p.out.write(p.name, text)
	p.mu.Lock()
	if p.tail != nil {
		p.tail.add(text)
	}
	p.mu.Unlock()
}

// begin starts collecting an invocation's lines.
func (p *logPipe) begin() {
	p.mu.Lock()
	p.tail = &tailBuffer{}
	p.mu.Unlock()
	select {
	case <-p.synced:
	default:
	}
}

// printf writes lambdart's own lines into the stream.
func (p *logPipe) printf(format string, args ...any) {
	p.writeRaw([]byte(fmt.Sprintf(format, args...) + "\n"))
}

func (p *logPipe) writeRaw(b []byte) bool {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	if p.wclosed {
		return false
	}
	_, err := p.w.Write(b)
	return err == nil
}

// end waits until every line written so far has been forwarded and
// returns the invocation's tail.
func (p *logPipe) end() string {
	if p.writeRaw(syncMarker) {
		t := time.NewTimer(2 * time.Second)
		select {
		case <-p.synced:
		case <-p.done:
		case <-t.C:
		}
		t.Stop()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	tail := p.tail
	p.tail = nil
	if tail == nil {
		return ""
	}
	return tail.String()
}

// close ends the stream once the process is gone: the reader forwards what
// is left and stops.
func (p *logPipe) close() {
	p.wmu.Lock()
	if !p.wclosed {
		p.wclosed = true
		p.w.Close()
	}
	p.wmu.Unlock()
	t := time.NewTimer(2 * time.Second)
	select {
	case <-p.done:
	case <-t.C:
		// Something the function started still holds the pipe open.
		p.r.Close()
		<-p.done
	}
	t.Stop()
	p.r.Close()
}

// tailBuffer keeps the last tailBytes of the lines added.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) add(line string) {
	t.b = append(t.b, line...)
	t.b = append(t.b, '\n')
	if len(t.b) > tailBytes {
		t.b = append(t.b[:0:0], t.b[len(t.b)-tailBytes:]...)
	}
}

func (t *tailBuffer) String() string { return string(t.b) }
