package channel

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestAnswersAreReadThroughTheirCap: an answer up to the cap is read whole, with or without a
// Content-Length; a larger one is refused, before reading when its length says so.
func TestAnswersAreReadThroughTheirCap(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		size    int
		length  int64 // Content-Length; -1 chunked
		tooBig  bool
		readAny bool
	}{
		{"fits, known length", 1000, 1000, false, true},
		{"fits exactly, chunked", 1 << 20, -1, false, true},
		{"over by one, chunked", 1<<20 + 1, -1, true, true},
		{"over, known length", 2 << 20, 2 << 20, true, false},
	} {
		body := &countingReader{r: bytes.NewReader(bytes.Repeat([]byte("x"), c.size))}
		got, err := ReadAnswer(&http.Response{Body: io.NopCloser(body), ContentLength: c.length}, 1<<20)
		if errors.Is(err, ErrAnswerTooLarge) != c.tooBig || (!c.tooBig && (err != nil || len(got) != c.size)) {
			t.Errorf("%s: %d bytes, %v", c.name, len(got), err)
		}
		if (body.n > 0) != c.readAny || body.n > 1<<20+1 {
			t.Errorf("%s: read %d bytes", c.name, body.n)
		}
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// FuzzPageTitle: whatever page comes back, its title is valid UTF-8 without control characters
// (it goes into the history and the operator's message) and short.
func FuzzPageTitle(f *testing.F) {
	f.Add([]byte("<html><head><title>ただいま&amp;メンテナンス中です</title>"))
	f.Add([]byte("<TITLE>\x00\xff\xfe</TITLE>"))
	f.Fuzz(func(t *testing.T, page []byte) {
		title := PageTitle(page)
		if !utf8.ValidString(title) || strings.ContainsFunc(title, func(r rune) bool { return r < 0x20 }) || utf8.RuneCountInString(title) > 101 {
			t.Fatalf("title %q", title)
		}
		if s := TruncateBytes(append(bytes.Repeat([]byte("あ"), MaxRecordedBody/3), page...)); utf8.ValidString(string(page)) && !utf8.ValidString(s) {
			t.Fatalf("truncated into invalid UTF-8")
		}
	})
}
