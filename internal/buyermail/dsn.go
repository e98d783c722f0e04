package buyermail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
)

// Bounce is what a delivery status notification (DSN, RFC 3464) says of a mail ichigen sent: the
// mail, by the Message-ID ichigen gave it (returned in the report's copy of the original
// headers), and the recipients whose delivery failed.
type Bounce struct {
	// MessageID is the original mail's Message-ID, without the angle brackets; "" when the
	// report did not return the original headers.
	MessageID string
	// ShopID is the shop whose bounce address (BounceAddress) the report reached; 0 when it
	// came to the listener's plain address. With it, a report without the Message-ID is matched
	// by the failed recipient among the shop's mails.
	ShopID int64
	// Failed are the recipients the report says could not be delivered (Action: failed).
	Failed []BouncedRecipient
}

// BouncedRecipient is one per-recipient block of a report with Action: failed.
type BouncedRecipient struct {
	// Recipient is the Final-Recipient's address (rfc822;buyer@example.jp → buyer@example.jp).
	Recipient string
	// Status is the enhanced status code, e.g. 5.1.1.
	Status string
	// Diagnostic is the remote server's own answer (Diagnostic-Code), when given.
	Diagnostic string
}

// Message is what the operator reads of the bounce, in Japanese: which address, what the
// receiving server said, and what to do.
func (b Bounce) Message() string {
	var parts []string
	for _, r := range b.Failed {
		s := r.Recipient + " (" + r.Status
		if r.Diagnostic != "" {
			s += " " + r.Diagnostic
		}
		parts = append(parts, s+")")
	}
	return fmt.Sprintf("送信後に不達通知(バウンス)が届きました: %s。%s", strings.Join(parts, ", "), bounceAdvice(b.Failed))
}

// bounceAdvice says what to do for the first failure's status class (RFC 3463).
func bounceAdvice(failed []BouncedRecipient) string {
	if len(failed) > 0 && strings.HasPrefix(failed[0].Status, "5.1.") {
		return "宛先のメールアドレスが存在しません。購入者のメールアドレスを確認し、必要ならモールのメッセージ機能などで連絡してください。"
	}
	return "受信側がメールを受け取りませんでした。宛先と内容を確認し、必要なら注文画面からもう一度送信してください。"
}

// ErrNotBounce is returned by ParseDSN for a message that is not a failure report: an ordinary
// reply, an auto-reply, or a report of a delay only.
var ErrNotBounce = errors.New("not a delivery failure report (multipart/report; report-type=delivery-status with Action: failed)")

// MaxDSNSize is the largest report ParseDSN and the bounce listener read; a report carries the
// original headers, not the whole mail, and a larger message is refused unread.
const MaxDSNSize = 1 << 20

// ParseDSN reads a delivery status notification (RFC 3464: multipart/report with a
// message/delivery-status part and the original message or its headers). It returns the failed
// recipients and the original Message-ID, "" when the report did not return the original
// headers (the listener then needs the shop from the bounce address to match it); a report
// without a failed recipient is ErrNotBounce.
func ParseDSN(raw []byte) (Bounce, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Bounce{}, fmt.Errorf("read report: %w", err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/report" || !strings.EqualFold(params["report-type"], "delivery-status") || params["boundary"] == "" {
		return Bounce{}, ErrNotBounce
	}
	var b Bounce
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Bounce{}, fmt.Errorf("read report part: %w", err)
		}
		partType, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch partType {
		case "message/delivery-status", "message/global-delivery-status":
			if b.Failed, err = failedRecipients(p); err != nil {
				return Bounce{}, err
			}
		case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers", "message/global", "message/global-headers":
			h, err := textproto.NewReader(bufio.NewReader(p)).ReadMIMEHeader()
			if err != nil && len(h) == 0 {
				return Bounce{}, fmt.Errorf("read the original headers: %w", err)
			}
			b.MessageID = strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
		}
	}
	if len(b.Failed) == 0 {
		return Bounce{}, ErrNotBounce
	}
	return b, nil
}

// failedRecipients reads the header blocks of a message/delivery-status part: the per-message
// block first, then one per recipient, and keeps those with Action: failed.
func failedRecipients(r io.Reader) ([]BouncedRecipient, error) {
	tp := textproto.NewReader(bufio.NewReader(r))
	var out []BouncedRecipient
	for first := true; ; first = false {
		h, err := tp.ReadMIMEHeader()
		if len(h) > 0 && !first && strings.EqualFold(strings.TrimSpace(h.Get("Action")), "failed") {
			out = append(out, BouncedRecipient{Recipient: typedAddress(h.Get("Final-Recipient")),
				Status: strings.TrimSpace(h.Get("Status")), Diagnostic: typedAddress(h.Get("Diagnostic-Code"))})
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read delivery status: %w", err)
		}
	}
}

// typedAddress drops the type of an RFC 3464 typed field ("rfc822; a@b" → "a@b", "smtp; 550 …"
// → "550 …").
func typedAddress(s string) string {
	if _, v, ok := strings.Cut(s, ";"); ok {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(s)
}
