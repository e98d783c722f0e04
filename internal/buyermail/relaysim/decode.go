package relaysim

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"

	"golang.org/x/text/encoding/japanese"
)

// Message is one accepted mail, decoded.
type Message struct {
	// Sender and To are the envelope's (MAIL FROM, RCPT TO).
	Sender    string
	To        []string
	Header    mail.Header
	Subject   string // decoded from RFC 2047
	Body      string // decoded to UTF-8, LF line ends
	MessageID string
	Raw       []byte
}

// Decode reads a plain-text mail in UTF-8 (base64) or ISO-2022-JP (7bit), as buyermail writes
// them.
func Decode(raw []byte) (Message, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	dec := &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "ISO-2022-JP") {
			return japanese.ISO2022JP.NewDecoder().Reader(r), nil
		}
		return nil, fmt.Errorf("charset %s", charset)
	}}
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return Message{}, err
	}
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "base64":
		if body, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(body))); err != nil {
			return Message{}, fmt.Errorf("body: %w", err)
		}
	}
	if _, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type")); strings.EqualFold(params["charset"], "ISO-2022-JP") {
		if body, err = japanese.ISO2022JP.NewDecoder().Bytes(body); err != nil {
			return Message{}, fmt.Errorf("body: %w", err)
		}
	}
	return Message{Header: m.Header, Subject: subject,
		Body: strings.ReplaceAll(string(body), "\r\n", "\n"), MessageID: m.Header.Get("Message-ID"), Raw: raw}, nil
}
