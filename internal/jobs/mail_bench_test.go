package jobs_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// BenchmarkMailRuleThousandOrders is issue 15's measure: 1,000 orders through a サンクスメール
// rule at a relay that drops one connection in ten after the message. It reports mails/s (from
// the move into the phase to the last order decided), the duplicates (must be 0) and the
// render time per mail.
//
//	go test ./internal/jobs -run '^$' -bench MailRuleThousand -benchtime 1x
func BenchmarkMailRuleThousandOrders(b *testing.B) {
	const orders = 1000
	for _, engine := range storetest.Engines() {
		b.Run(engine.Name, func(b *testing.B) {
			for range b.N {
				var n atomic.Int64
				rules := anshinRules
				rules.Drop = func() bool { return n.Add(1)%10 == 0 }
				mb := setupMail(b, engine.Open(b), orders, rules, func(s *buyermail.Settings) { s.PerSecond = 10_000 }, nil)
				started := time.Now()
				mb.moveAndWait(b, mb.ids)
				elapsed := time.Since(started)
				dup, missing := 0, 0
				got := mb.received()
				for i := range mb.ids {
					switch c := got[maskedAddress(i+1)]; {
					case c > 1:
						dup += c - 1
					case c == 0:
						missing++
					}
				}
				if dup != 0 || missing != 0 {
					b.Fatalf("%d duplicates, %d orders without a mail", dup, missing)
				}
				b.ReportMetric(float64(orders)/elapsed.Seconds(), "mails/s")
				b.ReportMetric(float64(dup), "duplicates")
				b.ReportMetric(float64(mb.relay.Dropped()), "dropped")
			}
		})
	}
}

// BenchmarkRenderThanksMail is the render time of the default サンクスメール per mail.
func BenchmarkRenderThanksMail(b *testing.B) {
	o := storetest.MakeOrders(1, 1, time.Now())[0]
	tmpl := buyermail.Defaults(1)[0]
	ctx := buyermail.Context{Order: o, ShopName: "緑茶の店", Contact: "shop@example.jp"}
	for b.Loop() {
		r := buyermail.Render(tmpl, ctx)
		if _, err := (buyermail.Message{From: "shop@example.jp", To: o.Buyer.Email, Subject: r.Subject, Body: r.Body, ID: "1.a@example.jp", Date: time.Now()}).Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
