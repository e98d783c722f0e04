package jobs_test

import (
	"context"
	"net/smtp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/buyermail/relaysim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// A mail the relay took and the buyer's server refused later comes back as a failure report to
// the shop's sender mailbox, which forwards it to the bounce listener: the mail becomes 不達 on
// its order, with a line in the history, it is counted on 要対応, and the rule never sends it
// again.
func TestBounceAfterSendIsShownOnTheOrderAndCountedOnAttention(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			b := setupMail(t, engine.Open(t), 3, anshinRules, nil, nil)
			l, err := buyermail.ListenBounces("127.0.0.1:0", jobs.BounceHandler(b.st), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			b.moveAndWait(t, b.ids)

			msgs := b.relay.Messages()
			if len(msgs) != 3 {
				t.Fatalf("%d mails sent, want 3", len(msgs))
			}
			refused := msgs[1]
			report := relaysim.DSN(refused, "5.1.1", "550 5.1.1 <"+refused.To[0]+">: Recipient address rejected: User unknown")
			for range 2 { // the forwarding server may deliver a report twice
				if err := smtp.SendMail(l.Addr.String(), nil, "", []string{"bounces@ichigen.example"}, report); err != nil {
					t.Fatal(err)
				}
			}

			var bouncedOrder int64
			for _, id := range b.ids {
				mails, err := b.st.ListOrderMails(ctx, id)
				if err != nil || len(mails) != 1 {
					t.Fatalf("order %d's mails: %+v %v", id, mails, err)
				}
				m := mails[0]
				if m.Recipient != refused.To[0] {
					if m.State != buyermail.Sent {
						t.Errorf("order %d's mail: %s, want sent", id, m.State)
					}
					continue
				}
				bouncedOrder = id
				if m.State != buyermail.Bounced || !strings.Contains(m.Message, "User unknown") || !strings.Contains(m.Message, "確認") {
					t.Fatalf("bounced mail: %s %q", m.State, m.Message)
				}
			}
			events, err := b.st.ListOrderEvents(ctx, bouncedOrder)
			if err != nil {
				t.Fatal(err)
			}
			lines := 0
			for _, e := range events {
				if e.Kind == order.EventMail && strings.Contains(e.Message, "不達") {
					lines++
				}
			}
			if lines != 1 {
				t.Fatalf("%d bounce lines in the history, want 1", lines)
			}

			report2, err := attention.Gather(ctx, b.st, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range report2.Shops {
				if s.Shop.ID == b.shop.ID && (s.Bounced.Total != 1 || len(s.Bounced.Recent) != 1 || s.Bounced.Recent[0].OrderID != bouncedOrder || !s.Needed()) {
					t.Fatalf("要対応 bounced: %+v", s.Bounced)
				}
			}

			// Moved back into the rule's phase, the bounced order is not mailed again by the rule.
			b.moveAndWait(t, []int64{bouncedOrder})
			if got := b.received()[refused.To[0]]; got != 1 {
				t.Fatalf("%d mails to the bounced address, want 1", got)
			}
		})
	}
}

// The relay refuses some mails later (as the buyers' servers do) and its held reports are
// forwarded to the shop's bounce address: the picked mail becomes 不達. A report that lost the
// original headers, sent to the shop's bounce address, still finds its mail by recipient; the
// same report to the listener's plain address is dropped.
func TestRelayBouncesReachTheShopsBounceAddress(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			rules := anshinRules
			var picked atomic.Int64
			rules.Bounce = func(relaysim.Message) bool { return picked.Add(1) == 1 }
			b := setupMail(t, engine.Open(t), 3, rules, nil, nil)
			l, err := buyermail.ListenBounces("127.0.0.1:0", jobs.BounceHandler(b.st), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			b.moveAndWait(t, b.ids)
			shopAddr := buyermail.ShopBounceAddress("bounce@ichigen.example", b.shop.ID)
			if n, err := b.relay.FlushBounces(l.Addr.String(), shopAddr); err != nil || n != 1 {
				t.Fatalf("flushed %d: %v", n, err)
			}
			msgs := b.relay.Messages()
			// The third mail's report without its headers: to the plain address it names nothing.
			headless := strings.Replace(string(relaysim.DSN(msgs[2], "5.2.2", "552 Mailbox full")), "Message-ID: "+msgs[2].MessageID+"\r\n", "", 1)
			if strings.Contains(headless, msgs[2].MessageID) {
				t.Fatal("the report still names the Message-ID")
			}
			for _, rcpt := range []string{"bounce@ichigen.example", shopAddr} {
				if err := smtp.SendMail(l.Addr.String(), nil, "", []string{rcpt}, []byte(headless)); err != nil {
					t.Fatal(err)
				}
			}
			states := map[string]buyermail.State{}
			for _, id := range b.ids {
				mails, err := b.st.ListOrderMails(ctx, id)
				if err != nil || len(mails) != 1 {
					t.Fatalf("order %d's mails: %+v %v", id, mails, err)
				}
				states[mails[0].Recipient] = mails[0].State
			}
			if states[msgs[0].To[0]] != buyermail.Bounced || states[msgs[1].To[0]] != buyermail.Sent || states[msgs[2].To[0]] != buyermail.Bounced {
				t.Fatalf("states %v", states)
			}
		})
	}
}
