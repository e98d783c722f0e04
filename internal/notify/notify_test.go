package notify

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/notify/notifytest"
)

func TestErrorMailArrivesInJapanese(t *testing.T) {
	t.Parallel()
	in := notifytest.StartInbox(t)
	m := &Mailer{Addr: in.Addr, From: "ichigen@example.jp"}
	subject := ErrorSubject("au PAY", "出荷情報反映")
	body := ErrorBody("テスト店", "出荷情報反映", time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), []Failure{{"1234567", "「発送日」が登録されていません。"}})
	if err := m.Send(context.Background(), []string{"ops@example.jp", "admin@example.jp"}, subject, body); err != nil {
		t.Fatal(err)
	}
	msgs := in.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	got := msgs[0]
	if got.Subject != "(ichigen) au PAY自動出荷情報反映結果のお知らせ(エラー情報)" || len(got.To) != 2 || got.From != "ichigen@example.jp" {
		t.Fatalf("%+v", got)
	}
	if !strings.Contains(got.Body, "注文番号: 1234567") || !strings.Contains(got.Body, "「発送日」が登録されていません。") {
		t.Fatalf("body:\n%s", got.Body)
	}
}

func TestSendSaysWhatFailed(t *testing.T) {
	t.Parallel()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close() // nothing listens there
	err := (&Mailer{Addr: addr, From: "a@b"}).Send(context.Background(), []string{"c@d"}, "s", "b")
	if err == nil || !strings.Contains(err.Error(), "connect to SMTP server") {
		t.Fatalf("got %v", err)
	}
	if err := (&Mailer{}).Send(context.Background(), nil, "s", "b"); err == nil || !strings.Contains(err.Error(), "ICHIGEN_SMTP_ADDR") {
		t.Fatalf("unconfigured: %v", err)
	}
}
