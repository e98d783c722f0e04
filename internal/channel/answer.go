package channel

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrAnswerTooLarge says a marketplace's answer was larger than the call can legitimately bring.
var ErrAnswerTooLarge = errors.New("answer larger than the marketplace sends for this call")

// ReadAnswer reads an answer's body through a limit: never more than limit bytes are held. A
// body larger than limit — by its Content-Length, before anything is read, or once limit bytes
// are read — is ErrAnswerTooLarge, returned with what was read (for the history, truncated).
// Each channel sets limit per operation from what the marketplace can send for it (batch sizes
// times a generous record size), so one misbehaving answer, or many at once, cannot take the
// process's memory.
func ReadAnswer(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d, at most %d", ErrAnswerTooLarge, resp.ContentLength, limit)
	}
	if resp.ContentLength >= 0 { // the size is known: one buffer of it
		buf := make([]byte, resp.ContentLength)
		n, err := io.ReadFull(resp.Body, buf)
		return buf[:n], err // a body cut short is a failed call, as io.ReadAll would say
	}
	// Chunked: read in pieces, so that an answer over the limit costs the limit, not twice it.
	var pieces [][]byte
	var total int64
	for total <= limit {
		piece := make([]byte, min(answerPiece, limit+1-total))
		n, err := io.ReadFull(resp.Body, piece)
		pieces, total = append(pieces, piece[:n]), total+int64(n)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return bytes.Join(pieces, nil), err
		}
	}
	if total > limit {
		return pieces[0][:min(len(pieces[0]), MaxRecordedBody)], fmt.Errorf("%w: more than %d bytes", ErrAnswerTooLarge, limit)
	}
	if len(pieces) == 1 {
		return pieces[0], nil
	}
	return bytes.Join(pieces, nil), nil
}

// answerPiece is the size of the pieces a chunked answer is read in.
const answerPiece = 256 << 10

// MediaType returns an answer's media type (application/json, text/html, …), "" when not given.
func MediaType(header http.Header) string {
	v := header.Get("Content-Type")
	if v == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(v)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.Split(v, ";")[0]))
	}
	return mt
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// PageTitle returns the title of an HTML page (what a maintenance page in front of an API says),
// "" when it has none.
func PageTitle(raw []byte) string {
	m := htmlTitle.FindSubmatch(raw[:min(len(raw), MaxRecordedBody)])
	if m == nil {
		return ""
	}
	title := strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " ")
	title = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(title, ""))
	if r := []rune(title); len(r) > 100 {
		title = string(r[:100]) + "…"
	}
	return title
}

// TruncateBytes is Truncate for a body held as bytes, without copying the whole of it.
func TruncateBytes(b []byte) string {
	if len(b) > MaxRecordedBody+utf8.UTFMax {
		b = b[:MaxRecordedBody+utf8.UTFMax] // no copy of more than is kept
	}
	return Truncate(string(b))
}
