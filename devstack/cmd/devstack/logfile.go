package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// logTailLines is how much of the log file devstack shows when it or the
// command fails.
const logTailLines = 200

// createLogFile creates (or truncates) the file the stack's logs go to,
// and its parent directories.
func createLogFile(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	return f, nil
}

// writeLogTail writes the last n lines of the log file at path to w,
// between two lines of devstack's that say where they come from; nothing
// for an empty file.
func writeLogTail(w io.Writer, path string, n int) error {
	tail, err := lastLines(path, n)
	if err != nil || len(tail) == 0 {
		return err
	}
	if len(tail) > 0 && tail[len(tail)-1] != '\n' {
		tail = append(tail, '\n')
	}
	lines := bytes.Count(tail, []byte("\n"))
	_, err = fmt.Fprintf(w, "devstack: last %d lines of %s:\n%sdevstack: end of %s\n", lines, path, tail, path)
	return err
}

// lastLines returns the last n lines of the file at path, reading it from
// its end, so a large log costs only its tail.
func lastLines(path string, n int) ([]byte, error) {
	if n <= 0 {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read log file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read log file: %w", err)
	}
	const chunk = 64 << 10
	var buf []byte
	for off := info.Size(); ; {
		// A final newline ends the last line; it does not start another.
		if i := nthLastIndex(bytes.TrimSuffix(buf, []byte("\n")), '\n', n); i >= 0 {
			return buf[i+1:], nil
		}
		if off == 0 {
			return buf, nil
		}
		size := min(chunk, off)
		off -= size
		b := make([]byte, size, size+int64(len(buf)))
		if _, err := f.ReadAt(b, off); err != nil {
			return nil, fmt.Errorf("read log file %s: %w", path, err)
		}
		buf = append(b, buf...)
	}
}

// nthLastIndex returns the index of the nth last c in b, or -1.
func nthLastIndex(b []byte, c byte, n int) int {
	i := len(b)
	for range n {
		i = bytes.LastIndexByte(b[:i], c)
		if i < 0 {
			return -1
		}
	}
	return i
}
