package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

// The bar is redrawn on one line each time the percentage moves, and ends at 100% on a new line.
func TestProgressBarRedrawsOnlyWhenThePercentageMoves(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := &progress{r: iotest.OneByteReader(strings.NewReader(strings.Repeat("x", 400))), total: 400, shown: -1, w: &out}
	if _, err := io.Copy(io.Discard, p); err != nil {
		t.Fatal(err)
	}
	p.done()
	if n := strings.Count(out.String(), "\r"); n != 101 {
		t.Fatalf("%d redraws for 400 bytes, want one per percent (101)", n)
	}
	if !strings.HasSuffix(out.String(), "] 100%\n") || !strings.Contains(out.String(), "\r[====================                    ]  50%") {
		t.Fatalf("bar %q", out.String()[len(out.String())-60:])
	}
	out.Reset()
	labels := &progress{total: 3000, shown: -1, w: &out}
	labels.count(1500, 3000)
	labels.done()
	if out.String() != "\r[====================                    ]  50%\r[========================================] 100%\n" {
		t.Fatalf("labels bar %q", out.String())
	}
}

// A file or a pipe is no terminal: a script that sends stderr to a log sees no bar.
func TestNoProgressBarWhenStderrIsNotATerminal(t *testing.T) {
	t.Parallel()
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(f) || isTerminal(w) {
		t.Fatal("a file or a pipe taken for a terminal")
	}
	quiet := &progress{r: strings.NewReader("abc"), total: 3, shown: -1} // as newProgress makes it off a terminal
	if _, err := io.Copy(io.Discard, quiet); err != nil {
		t.Fatal(err)
	}
	quiet.done() // draws nothing, and does not fail without a writer
}
