package buyermail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/buyermail/relaysim"
	"github.com/ichigen-oms/ichigen/internal/order"
)

func sampleOrder() order.Order {
	return order.Order{
		Number: "123456-20261201-0000001", OrderedAt: time.Date(2026, 12, 1, 1, 30, 0, 0, time.UTC),
		Buyer:         order.Person{Name: "山田 太郎", Email: "0a1b2c3d4e5f60718293a4b5c6d7e8f9s1@pc.fw.rakuten.ne.jp"},
		Lines:         []order.Line{{Name: "有機緑茶 100g", Options: "包装:のし付き", UnitPrice: 1980, Quantity: 2}},
		Amounts:       order.Amounts{Goods: order.YenOf(3960), Postage: order.Unfixed(), Total: order.Unfixed(), Requested: order.Unfixed()},
		Packages:      []order.Package{{Key: "1", ShipTo: order.Person{Name: "山田 花子", Zip: "150-0001", Address: "東京都渋谷区神宮前1-1-1"}}},
		Shipments:     []order.Shipment{{PackageKey: "1", ShipDate: "2026-12-02", Carrier: "1001", TrackingNumber: "1234-5678-9013"}},
		PaymentMethod: "クレジットカード",
	}
}

func TestUnknownPlaceholderIsRefusedByName(t *testing.T) {
	t.Parallel()
	tmpl := buyermail.Template{Name: "x", Subject: "{{注文番号}}", Body: "{{購入者名}} 様 {{お届け予定}} {{購入者名}} {{ 注文番号 }} {{クーポン}}"}
	err := tmpl.Validate()
	if apperror.CodeOf(err) != apperror.Invalid {
		t.Fatalf("Validate = %v, want Invalid", err)
	}
	msg := apperror.MessageOf(err)
	if !strings.Contains(msg, "「{{お届け予定}}」「{{クーポン}}」") || strings.Contains(msg, "購入者名") {
		t.Errorf("message %q should name exactly the unknown placeholders", msg)
	}
}

func TestISO2022JPRefusesCharactersItLacks(t *testing.T) {
	t.Parallel()
	tmpl := buyermail.Template{Name: "x", Subject: "ご注文ありがとうございます", Body: "髙橋様 ①番 🍵", Charset: buyermail.ISO2022JP}
	err := tmpl.Validate()
	msg := apperror.MessageOf(err)
	for _, r := range []string{"「髙」", "「①」", "「🍵」"} {
		if !strings.Contains(msg, r) {
			t.Errorf("message %q should name %s", msg, r)
		}
	}
	tmpl.Charset = buyermail.UTF8
	if err := tmpl.Validate(); err != nil {
		t.Errorf("UTF-8 takes every character: %v", err)
	}
}

func TestDefaultsRenderEveryPlaceholder(t *testing.T) {
	t.Parallel()
	for _, tmpl := range buyermail.Defaults(1) {
		if err := tmpl.Validate(); err != nil {
			t.Fatalf("%s: %v", tmpl.Name, err)
		}
		r := buyermail.Render(tmpl, buyermail.Context{Order: sampleOrder(), ShopName: "緑茶の店", Contact: "shop@example.jp"})
		if strings.Contains(r.Subject+r.Body, "{{") || !strings.Contains(r.Subject, "123456-20261201-0000001") {
			t.Errorf("%s rendered %q / %q", tmpl.Name, r.Subject, r.Body)
		}
		if !strings.Contains(r.Body, "山田 太郎 様") || !strings.Contains(r.Body, "包装:のし付き") || !strings.Contains(r.Body, "¥1,980 × 2") {
			t.Errorf("%s body misses the buyer or the lines:\n%s", tmpl.Name, r.Body)
		}
	}
	ship := buyermail.Render(buyermail.Defaults(1)[1], buyermail.Context{Order: sampleOrder()})
	if !strings.Contains(ship.Body, "ヤマト運輸") || !strings.Contains(ship.Body, "number01=123456789013") {
		t.Errorf("shipping mail misses the carrier or its tracking link:\n%s", ship.Body)
	}
	thanks := buyermail.Render(buyermail.Defaults(1)[0], buyermail.Context{Order: sampleOrder()})
	if !strings.Contains(thanks.Body, "送料: 未確定") {
		t.Errorf("an unfixed postage reads 未確定:\n%s", thanks.Body)
	}
}

func TestMessageEncodings(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("ご注文ありがとうございます。", 8)
	body := "山田 太郎 様\n" + strings.Repeat("長い行", 400) + "\n以上です。\n"
	for _, cs := range []buyermail.Charset{buyermail.UTF8, buyermail.ISO2022JP} {
		m := buyermail.Message{From: "shop@example.jp", To: "buyer@example.jp", ReplyTo: "contact@example.jp", Subject: long, Body: body,
			Charset: cs, ID: "1.abc@example.jp", Date: time.Date(2026, 12, 1, 1, 30, 0, 0, time.UTC)}
		raw, err := m.Bytes()
		if err != nil {
			t.Fatalf("%s: %v", cs, err)
		}
		for _, line := range strings.Split(string(raw), "\r\n") {
			// A header line holds its name and one encoded word of at most 75 characters.
			if len(line) > 998 || (cs == buyermail.UTF8 && len(line) > len("Subject: ")+75) {
				t.Errorf("%s: line of %d bytes", cs, len(line))
			}
		}
		got, err := relaysim.Decode(raw)
		if err != nil {
			t.Fatalf("%s: decode: %v", cs, err)
		}
		unfold := func(s string) string { return strings.ReplaceAll(s, "\n", "") }
		if got.Subject != long || unfold(got.Body) != unfold(body) {
			t.Errorf("%s: round trip changed the text: %q", cs, got.Subject)
		}
		if got.Header.Get("Date") != "Tue, 01 Dec 2026 10:30:00 +0900" || got.MessageID != "<1.abc@example.jp>" || got.Header.Get("Reply-To") != "contact@example.jp" {
			t.Errorf("%s: headers %v", cs, got.Header)
		}
		if strings.Contains(string(raw), "ご注文") {
			t.Errorf("%s: the subject must be RFC 2047 encoded", cs)
		}
	}
}

func startRelay(t *testing.T, rules relaysim.Rules) (*relaysim.Relay, buyermail.Settings) {
	t.Helper()
	r, err := relaysim.Start(rules)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, buyermail.Settings{Host: r.Host, Port: r.Port, TLS: buyermail.StartTLS, Username: "shop-smtp", Password: "pw",
		From: "shop@example.jp", InsecureSkipVerify: true}
}

var relayRules = relaysim.Rules{Username: "shop-smtp", Password: "pw", Senders: []string{"shop@example.jp"}, MaskedOnly: true}

func TestRelayRefusalsSayHowFarTheyGot(t *testing.T) {
	t.Parallel()
	relay, good := startRelay(t, relayRules)
	masked := "0a1b2c3d4e5f60718293a4b5c6d7e8f9s1@pc.fw.rakuten.ne.jp"
	msg := []byte("Subject: x\r\n\r\nbody\r\n")
	badAuth, badSender := good, good
	badAuth.Password = "old"
	badSender.From = "shop@shop.rakuten.co.jp"
	cases := []struct {
		name  string
		s     buyermail.Settings
		to    string
		stage buyermail.Stage
		code  int
	}{
		{"auth", badAuth, masked, buyermail.StageAuth, 535},
		{"sender", badSender, masked, buyermail.StageSender, 552},
		{"recipient", good, "buyer@example.jp", buyermail.StageRcpt, 550},
	}
	for _, c := range cases {
		err := buyermail.Send(context.Background(), c.s, c.to, msg)
		var se *buyermail.SendError
		if !errors.As(err, &se) || se.Stage != c.stage || se.Code != c.code || se.Unknown {
			t.Errorf("%s: %#v", c.name, err)
		}
		if buyermail.Advice(err) == "" {
			t.Errorf("%s: no advice", c.name)
		}
	}
	if err := buyermail.Send(context.Background(), good, masked, msg); err != nil {
		t.Fatal(err)
	}
	if n := len(relay.Messages()); n != 1 {
		t.Errorf("relay kept %d messages, want 1", n)
	}
}

func TestLostAnswerAfterDataIsUnknown(t *testing.T) {
	t.Parallel()
	rules := relayRules
	rules.Drop = func() bool { return true }
	relay, s := startRelay(t, rules)
	err := buyermail.Send(context.Background(), s, "0a1b2c3d4e5f60718293a4b5c6d7e8f9s1@pc.fw.rakuten.ne.jp", []byte("Subject: x\r\n\r\nbody\r\n"))
	var se *buyermail.SendError
	if !errors.As(err, &se) || !se.Unknown {
		t.Fatalf("Send = %v, want an unknown outcome", err)
	}
	if len(relay.Messages()) != 1 {
		t.Errorf("the relay took the message (%d)", len(relay.Messages()))
	}
}

// FuzzTemplateRendersAndEncodes: whatever an operator saves, a template that passes Validate
// renders, and becomes a message that decodes back to its subject, or an error (a character
// ISO-2022-JP lacks), never a mangled header.
func FuzzTemplateRendersAndEncodes(f *testing.F) {
	f.Add("【{{店舗名}}】ご注文 {{注文番号}}", "{{購入者名}} 様\n{{商品明細}}", false)
	f.Add("{{ 送料 }}{{合計金額}}", "{{配送状況確認URL}}\r\n{{送付先}}", true)
	f.Add("=?UTF-8?B?x?= {{注文日時}}", "{{{{購入者名}}}}", false)
	f.Fuzz(func(t *testing.T, subject, body string, jis bool) {
		tmpl := buyermail.Template{Name: "fuzz", Subject: subject, Body: body, Charset: buyermail.UTF8}
		if jis {
			tmpl.Charset = buyermail.ISO2022JP
		}
		if tmpl.Validate() != nil {
			return
		}
		r := buyermail.Render(tmpl, buyermail.Context{Order: sampleOrder(), ShopName: "緑茶の店", Contact: "shop@example.jp"})
		raw, err := buyermail.Message{From: "shop@example.jp", To: "b@example.jp", Subject: r.Subject, Body: r.Body, Charset: tmpl.Charset,
			ID: "1.a@example.jp", Date: time.Now()}.Bytes()
		if err != nil {
			return // a character the charset lacks, said as an error
		}
		got, err := relaysim.Decode(raw)
		if err != nil {
			t.Fatalf("decode: %v\n%q", err, raw)
		}
		if strings.TrimSpace(got.Subject) != strings.TrimSpace(r.Subject) {
			t.Fatalf("subject %q became %q", r.Subject, got.Subject)
		}
	})
}

// TestTheBuyersDeliveryWishReadsAsAsked: the default mails say the day and time the buyer asked
// for (Rakuten's お届け日指定 and お届け時間帯), or 指定なし.
func TestTheBuyersDeliveryWishReadsAsAsked(t *testing.T) {
	t.Parallel()
	asked := sampleOrder()
	asked.Packages[0].DeliveryDate, asked.Packages[0].DeliveryTime = "2026-12-05", "14時〜16時"
	for _, c := range []struct {
		o          order.Order
		date, time string
	}{{asked, "2026/12/05", "14時〜16時"}, {sampleOrder(), "指定なし", "指定なし"}} {
		for _, tmpl := range buyermail.Defaults(1) {
			body := buyermail.Render(tmpl, buyermail.Context{Order: c.o}).Body
			if !strings.Contains(body, "お届け希望日: "+c.date) || !strings.Contains(body, "お届け時間帯: "+c.time) {
				t.Errorf("%s:\n%s", tmpl.Name, body)
			}
		}
	}
}
