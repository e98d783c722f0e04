package buyermail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"strings"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Message is one mail to a buyer, ready to be formatted.
type Message struct {
	From    string
	To      string
	ReplyTo string // "" leaves the header out
	Subject string
	Body    string
	Charset Charset
	// ID is the Message-ID without angle brackets (NewMessageID); Date is when it was written.
	ID   string
	Date time.Time
}

// NewMessageID makes a Message-ID unique across instances: time, randomness, and the sender's
// domain, as RFC 5322 asks.
func NewMessageID(from string, now time.Time) string {
	var r [8]byte
	_, _ = rand.Read(r[:])
	domain := "ichigen.invalid"
	if i := strings.LastIndex(from, "@"); i >= 0 && i < len(from)-1 {
		domain = strings.Trim(from[i+1:], "<> ")
	}
	return fmt.Sprintf("%d.%s@%s", now.UnixNano(), hex.EncodeToString(r[:]), domain)
}

// maxLine is the longest line a formatted message writes, header folds and body lines alike:
// within RFC 5322's 78-character recommendation.
const maxLine = 76

// Bytes formats the message: the subject encoded per RFC 2047 in the message's charset, the
// Date in Japan time, the body in UTF-8 (base64, 76-character lines) or ISO-2022-JP (7bit, long
// lines folded), CRLF line ends. A character ISO-2022-JP lacks is an error, never a "?".
func (m Message) Bytes() ([]byte, error) {
	charset := m.Charset
	if charset == "" {
		charset = UTF8
	}
	subject, err := encodeHeader(charset, m.Subject)
	if err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", m.From)
	fmt.Fprintf(&b, "To: %s\r\n", m.To)
	if m.ReplyTo != "" {
		fmt.Fprintf(&b, "Reply-To: %s\r\n", m.ReplyTo)
	}
	fmt.Fprintf(&b, "Subject: %s\r\n", subject)
	fmt.Fprintf(&b, "Date: %s\r\n", m.Date.In(order.JST).Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s>\r\n", m.ID)
	b.WriteString("MIME-Version: 1.0\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	if charset == UTF8 {
		b.WriteString("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString([]byte(body))
		for len(enc) > maxLine {
			b.WriteString(enc[:maxLine] + "\r\n")
			enc = enc[maxLine:]
		}
		b.WriteString(enc + "\r\n")
		return b.Bytes(), nil
	}
	b.WriteString("Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n")
	for _, line := range strings.Split(body, "\r\n") {
		parts, err := jisChunks(line, maxJISLine)
		if err != nil {
			return nil, fmt.Errorf("body: %w", err)
		}
		b.WriteString(strings.Join(parts, "\r\n") + "\r\n")
	}
	return b.Bytes(), nil
}

// maxJISLine bounds an ISO-2022-JP body line in bytes, escape sequences included; a longer line
// is folded. Mail clients in Japan wrap near here too.
const maxJISLine = 998

// encodeHeader writes a header value as RFC 2047 encoded words of at most 75 characters, folded
// one a line; plain ASCII stays as it is.
func encodeHeader(charset Charset, s string) (string, error) {
	if isASCII(s) {
		return s, nil
	}
	if charset == UTF8 {
		// Go's encoder keeps each word within 75 characters and parts them with a space.
		return strings.ReplaceAll(mime.BEncoding.Encode("UTF-8", s), " ", "\r\n "), nil
	}
	// Each word must end back in ASCII, so each is encoded on its own: 75 characters hold
	// 75 - len("=?ISO-2022-JP?B?") - len("?=") = 57 base64 characters, 42 bytes.
	chunks, err := jisChunks(s, 42)
	if err != nil {
		return "", err
	}
	words := make([]string, len(chunks))
	for i, c := range chunks {
		words[i] = "=?ISO-2022-JP?B?" + base64.StdEncoding.EncodeToString([]byte(c)) + "?="
	}
	return strings.Join(words, "\r\n "), nil
}

// jisChunks encodes s in ISO-2022-JP as pieces of at most limit bytes, each ending in ASCII.
func jisChunks(s string, limit int) ([]string, error) {
	enc := japanese.ISO2022JP.NewEncoder()
	var out []string
	var cur []rune
	last := ""
	for _, r := range s {
		next, err := enc.String(string(append(cur, r)))
		if err != nil || !inISO2022JP(r) {
			return nil, fmt.Errorf("「%c」は ISO-2022-JP にない文字です", r)
		}
		if len(next) > limit && len(cur) > 0 {
			out = append(out, last)
			cur = cur[:0]
			if next, err = enc.String(string(r)); err != nil {
				return nil, err
			}
		}
		cur = append(cur, r)
		last = next
	}
	return append(out, last), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return false
		}
	}
	return true
}
