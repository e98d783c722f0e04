package buyermail_test

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
)

// dsn is a failure report as Postfix writes one (RFC 3464): a human part, the delivery status
// with one block per recipient, and the original headers.
func dsn(messageID string, actions ...string) string {
	var blocks strings.Builder
	for i, a := range actions {
		fmt.Fprintf(&blocks, "\r\nFinal-Recipient: rfc822; buyer%d@example.jp\r\nOriginal-Recipient: rfc822;buyer%d@example.jp\r\nAction: %s\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.example.jp\r\nDiagnostic-Code: smtp; 550 5.1.1 <buyer%d@example.jp>: Recipient address rejected: User unknown\r\n", i, i, a, i)
	}
	return "From: MAILER-DAEMON@mail.shop.example (Mail Delivery System)\r\n" +
		"To: shop@shop.example\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B0UND\"\r\n\r\n" +
		"--B0UND\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nI'm sorry to have to inform you that your message could not be delivered.\r\n" +
		"--B0UND\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.shop.example\r\nArrival-Date: Thu,  3 Dec 2026 10:00:00 +0900 (JST)\r\n" +
		blocks.String() +
		"\r\n--B0UND\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: =?UTF-8?B?5bqX?= <shop@shop.example>\r\nTo: buyer0@example.jp\r\nMessage-ID: <" + messageID + ">\r\nSubject: =?UTF-8?B?44GU5rOo5paH?=\r\n\r\n--B0UND--\r\n"
}

func TestDSNNamesTheMailAndTheFailedRecipients(t *testing.T) {
	t.Parallel()
	b, err := buyermail.ParseDSN([]byte(dsn("1764720000.ab12@shop.example", "failed", "delayed", "failed")))
	if err != nil {
		t.Fatal(err)
	}
	if b.MessageID != "1764720000.ab12@shop.example" || len(b.Failed) != 2 || b.Failed[0].Recipient != "buyer0@example.jp" ||
		b.Failed[1].Recipient != "buyer2@example.jp" || b.Failed[0].Status != "5.1.1" || !strings.HasPrefix(b.Failed[0].Diagnostic, "550 5.1.1") {
		t.Fatalf("bounce %+v", b)
	}
	if msg := b.Message(); !strings.Contains(msg, "buyer0@example.jp (5.1.1 550") || !strings.Contains(msg, "存在しません") {
		t.Fatalf("message %q should name the address, the server's answer and what to do", msg)
	}
	for name, raw := range map[string]string{
		"a delay only":             dsn("1.x@shop.example", "delayed"),
		"an auto-reply":            "From: buyer@example.jp\r\nSubject: 自動応答\r\nContent-Type: text/plain\r\n\r\n不在です\r\n",
		"another kind of report":   strings.Replace(dsn("1.x@shop.example", "failed"), "delivery-status;", "disposition-notification;", 1),
		"a report without a parts": "Content-Type: multipart/report; report-type=delivery-status; boundary=\"Z\"\r\n\r\n--Z--\r\n",
	} {
		if _, err := buyermail.ParseDSN([]byte(raw)); !errors.Is(err, buyermail.ErrNotBounce) {
			t.Errorf("%s: %v, want ErrNotBounce", name, err)
		}
	}
}

func FuzzParseDSN(f *testing.F) {
	f.Add([]byte(dsn("1.x@shop.example", "failed")))
	f.Add([]byte("Content-Type: multipart/report; report-type=delivery-status; boundary=\"Z\"\r\n\r\n--Z\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--Z--"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		b, err := buyermail.ParseDSN(raw)
		if err == nil && len(b.Failed) == 0 {
			t.Fatalf("a bounce without its failures: %+v", b)
		}
	})
}

func TestBounceListenerTakesReportsOverSMTP(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []buyermail.Bounce
	fail := true
	l, err := buyermail.ListenBounces("127.0.0.1:0", func(_ context.Context, b buyermail.Bounce) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		if b.MessageID == "store.down@shop.example" && fail {
			fail = false
			return false, errors.New("store down")
		}
		got = append(got, b)
		return b.MessageID != "unknown@shop.example", nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	send := func(body string) error {
		return smtp.SendMail(l.Addr.String(), nil, "", []string{"bounces@ichigen.example"}, []byte(body))
	}
	if err := send(dsn("1.a@shop.example", "failed")); err != nil {
		t.Fatal(err)
	}
	// An auto-reply and a report for a mail ichigen did not send are taken and dropped, so the
	// forwarding server does not bounce them once more.
	if err := send("From: buyer@example.jp\r\nSubject: auto\r\n\r\nお休みです\r\n"); err != nil {
		t.Fatal(err)
	}
	if err := send(dsn("unknown@shop.example", "failed")); err != nil {
		t.Fatal(err)
	}
	// The store failing is a temporary refusal: the forwarding server sends the report again.
	var tp *textproto.Error
	if err := send(dsn("store.down@shop.example", "failed")); err == nil || !errors.As(err, &tp) || !strings.HasPrefix(err.Error(), "451") {
		t.Fatalf("store failure answered %v, want 451", err)
	}
	if err := send(dsn("store.down@shop.example", "failed")); err != nil {
		t.Fatal(err)
	}
	// A report larger than MaxDSNSize is refused unread.
	if err := send(dsn("big@shop.example", "failed") + strings.Repeat("x", buyermail.MaxDSNSize)); err == nil {
		t.Fatal("an oversized report was taken")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 || got[0].MessageID != "1.a@shop.example" || got[1].MessageID != "unknown@shop.example" || got[2].MessageID != "store.down@shop.example" {
		t.Fatalf("handled %+v", got)
	}
}

// A report without the original headers names no Message-ID: it is still a bounce, matched by
// the shop whose bounce address it reached; sent to the plain address it is dropped.
func TestReportWithoutMessageIDIsTheShopsByItsBounceAddress(t *testing.T) {
	t.Parallel()
	if got := buyermail.ShopBounceAddress("bounce@ichigen.example", 12); got != "bounce+12@ichigen.example" {
		t.Fatalf("shop address %q", got)
	}
	if id := buyermail.ShopOfBounceAddress("<bounce+12@ichigen.example>"); id != 12 {
		t.Fatalf("shop of the address: %d", id)
	}
	for _, a := range []string{"bounce@ichigen.example", "bounce+x@ichigen.example", "bounce+-1@ichigen.example"} {
		if id := buyermail.ShopOfBounceAddress(a); id != 0 {
			t.Errorf("%s read as shop %d", a, id)
		}
	}
	b, err := buyermail.ParseDSN([]byte(dsn("", "failed")))
	if err != nil || b.MessageID != "" || len(b.Failed) != 1 {
		t.Fatalf("report without headers: %+v %v", b, err)
	}
	var mu sync.Mutex
	var got []buyermail.Bounce
	l, err := buyermail.ListenBounces("127.0.0.1:0", func(_ context.Context, b buyermail.Bounce) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, b)
		return true, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for _, rcpt := range []string{"bounce@ichigen.example", buyermail.ShopBounceAddress("bounce@ichigen.example", 7)} {
		if err := smtp.SendMail(l.Addr.String(), nil, "", []string{rcpt}, []byte(dsn("", "failed"))); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].ShopID != 7 || got[0].Failed[0].Recipient != "buyer0@example.jp" {
		t.Fatalf("handled %+v", got)
	}
}

func FuzzShopOfBounceAddress(f *testing.F) {
	f.Add("bounce+12@ichigen.example", int64(12))
	f.Add("<a+b+c@x>", int64(1))
	f.Fuzz(func(t *testing.T, rcpt string, id int64) {
		buyermail.ShopOfBounceAddress(rcpt) // any envelope recipient is read without a panic
		if id > 0 {
			if got := buyermail.ShopOfBounceAddress(buyermail.ShopBounceAddress("bounce@ichigen.example", id)); got != id {
				t.Fatalf("shop %d read back as %d", id, got)
			}
		}
	})
}
