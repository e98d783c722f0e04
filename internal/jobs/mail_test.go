package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/buyermail/relaysim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// mailBundle is a shop with a メール送信 rule from 新規受付 (success 確認待ち, error エラー), its
// orders, a relay playing あんしんメルアド, and a queue working the rule.
type mailBundle struct {
	st     store.Store
	shop   shop.Shop
	phases map[string]workflow.Phase
	rule   workflow.Rule
	relay  *relaysim.Relay
	ids    []int64
	q      *jobs.Queue
	events <-chan *river.Event
}

const mailSender = "shop@example.jp"

func maskedAddress(n int) string { return fmt.Sprintf("%032xs1@pc.fw.rakuten.ne.jp", n) }

func setupMail(t testing.TB, st store.Store, orders int, rules relaysim.Rules, settings func(*buyermail.Settings), email func(n int) string) *mailBundle {
	t.Helper()
	ctx := context.Background()
	b := &mailBundle{st: st}
	b.shop, b.phases = storetest.NewShop(t, st, "tea")
	relay, err := relaysim.Start(rules)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relay.Close() })
	b.relay = relay
	s := buyermail.Settings{ShopID: b.shop.ID, Host: relay.Host, Port: relay.Port, TLS: buyermail.StartTLS, Username: "smtp-id", Password: "pw",
		From: mailSender, ReplyTo: "contact@example.jp", PerSecond: 1000, InsecureSkipVerify: true}
	if settings != nil {
		settings(&s)
	}
	if err := st.SaveMailSettings(ctx, s); err != nil {
		t.Fatal(err)
	}
	made := storetest.MakeOrders(1, orders, time.Now().Add(-time.Hour))
	if email == nil {
		email = maskedAddress
	}
	for i := range made {
		made[i].Buyer.Email = email(i + 1)
	}
	res, err := st.UpsertOrders(ctx, b.shop.ID, made, store.UpsertOptions{PhaseID: b.phases["保留"].ID})
	if err != nil {
		t.Fatal(err)
	}
	b.ids = res.IDs
	templates, err := st.ListMailTemplates(ctx, b.shop.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.rule, err = st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobMail, MailTemplateID: templates[0].ID, Enabled: true,
		TargetPhaseID: b.phases["新規受付"].ID, SuccessPhaseID: b.phases["確認待ち"].ID, ErrorPhaseID: b.phases["エラー"].ID})
	if err != nil {
		t.Fatal(err)
	}
	b.q = storetest.StartQueue(t, st, jobs.Config{FetchPollInterval: 100 * time.Millisecond, Workers: jobs.NewWorkers(jobs.Deps{Store: st})})
	events, cancel := b.q.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobSnoozed)
	t.Cleanup(cancel)
	b.events = events
	return b
}

// moveAndWait moves orders into the rule's target phase, as an operator or an import does (the
// dispatch is queued in the same transaction), and waits for River's signals until none is left
// there.
func (b *mailBundle) moveAndWait(t testing.TB, ids []int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := b.q.MoveOrders(ctx, b.st, ids, b.rule.TargetPhaseID, "taro"); err != nil {
		t.Fatal(err)
	}
	timeout := time.NewTimer(60 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case e := <-b.events:
			if e.Job.Kind != "dispatch" {
				continue
			}
			if e.Kind == river.EventKindJobFailed {
				t.Fatalf("dispatch failed: %v", e.Job.Errors)
			}
			page, err := b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: b.rule.TargetPhaseID, PageSize: 1})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total == 0 {
				return
			}
		case <-timeout.C:
			t.Fatal("orders still wait in the メール送信 phase")
		}
	}
}

// received counts the mails the relay took per recipient.
func (b *mailBundle) received() map[string]int {
	out := map[string]int{}
	for _, m := range b.relay.Messages() {
		for _, to := range m.To {
			out[to]++
		}
	}
	return out
}

var anshinRules = relaysim.Rules{Username: "smtp-id", Password: "pw", Senders: []string{mailSender}, MaskedOnly: true}

// A メール送信 rule mails each order once through a relay that drops every third connection
// after the message: the dropped ones go to the error phase as unknown, and moving them back to
// the rule's phase never mails them again.
func TestMailRuleMailsEachOrderOnceThroughDroppedConnections(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var n atomic.Int64
			rules := anshinRules
			rules.Drop = func() bool { return n.Add(1)%3 == 0 }
			b := setupMail(t, engine.Open(t), 30, rules, nil, nil)
			b.moveAndWait(t, b.ids)

			for i := range b.ids {
				if got := b.received()[maskedAddress(i+1)]; got != 1 {
					t.Errorf("order %d: %d mails, want 1", i+1, got)
				}
			}
			dropped := b.relay.Dropped()
			if dropped != 10 {
				t.Fatalf("%d connections dropped, want 10", dropped)
			}
			inError, err := b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: b.phases["エラー"].ID, PageSize: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(inError.Orders) != dropped {
				t.Fatalf("%d orders in the error phase, want the %d dropped", len(inError.Orders), dropped)
			}
			var retry []int64
			for _, o := range inError.Orders {
				if o.LinkStatus != string(workflow.LinkMailError) || !strings.Contains(o.LinkMessage, "送信結果が不明") {
					t.Errorf("order %s: %s %q", o.Number, o.LinkStatus, o.LinkMessage)
				}
				retry = append(retry, o.ID)
			}
			for _, id := range b.ids {
				mails, err := b.st.ListOrderMails(ctx, id)
				if err != nil || len(mails) != 1 {
					t.Fatalf("order %d's mails: %+v %v", id, mails, err)
				}
				wantState := buyermail.Sent
				if slices.Contains(retry, id) {
					wantState = buyermail.Unknown
				}
				if mails[0].State != wantState || !strings.Contains(mails[0].Body, "様") {
					t.Errorf("order %d's mail: %s, want %s", id, mails[0].State, wantState)
				}
			}

			// The operator moves them back: the rule does not send what may have arrived.
			b.moveAndWait(t, retry)
			for i := range b.ids {
				if got := b.received()[maskedAddress(i+1)]; got != 1 {
					t.Errorf("after the retry, order %d: %d mails, want 1", i+1, got)
				}
			}
		})
	}
}

// An order marked in the journal by a run that died before its SMTP transaction is not mailed:
// its outcome is unknown to ichigen, so the operator decides.
func TestMailMarkedBeforeACrashIsNotSentAgain(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			b := setupMail(t, engine.Open(t), 3, anshinRules, nil, nil)
			if _, _, err := b.st.BeginMail(ctx, buyermail.Record{OrderID: b.ids[1], ShopID: b.shop.ID, TemplateID: b.rule.MailTemplateID,
				TemplateName: buyermail.ThanksName, Request: buyermail.RuleRequest, Recipient: maskedAddress(2), Actor: "system:mail"}); err != nil {
				t.Fatal(err)
			}
			b.moveAndWait(t, b.ids)
			got := b.received()
			if got[maskedAddress(1)] != 1 || got[maskedAddress(2)] != 0 || got[maskedAddress(3)] != 1 {
				t.Fatalf("mails per buyer %v: the order marked before the crash must not be mailed", got)
			}
			o, err := b.st.GetOrder(ctx, b.ids[1])
			if err != nil || o.PhaseID != b.phases["エラー"].ID || o.LinkStatus != string(workflow.LinkMailError) {
				t.Fatalf("the crashed order: phase %d link %s %v", o.PhaseID, o.LinkStatus, err)
			}
			mails, err := b.st.ListOrderMails(ctx, b.ids[1])
			if err != nil || len(mails) != 1 || mails[0].State != buyermail.Unknown {
				t.Fatalf("the crashed order's mail: %+v %v", mails, err)
			}
		})
	}
}

// The relay's refusals become per-order errors that say what to do, counted on 要対応: a
// recipient it does not take fails that order only; a sender not registered in RMS, or a wrong
// SMTP AUTH password, fails every order of the shop, none of them mailed.
func TestRelayRefusalsBecomePerOrderErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		settings func(*buyermail.Settings)
		want     string
		failed   int
	}{
		{"recipient", nil, "購入者のメールアドレスが受け付けられませんでした", 1},
		{"malformed", nil, "正しくないためメールを送れませんでした", 1},
		{"sender", func(s *buyermail.Settings) { s.From = "shop@shop.rakuten.co.jp" }, "RMSに登録した店舗連絡先メールアドレス", 3},
		{"auth", func(s *buyermail.Settings) { s.Password = "rotated" }, "SMTP AUTH IDとパスワードを確認", 3},
	}
	for _, engine := range storetest.Engines() {
		for _, c := range cases {
			t.Run(engine.Name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				first := map[string]string{
					"recipient": "buyer@example.jp",                             // not masked: the relay refuses it
					"malformed": maskedAddress(1) + "\r\nBcc: other@example.jp", // a header of its own, never sent
				}
				email := func(n int) string {
					if a, ok := first[c.name]; ok && n == 1 {
						return a
					}
					return maskedAddress(n)
				}
				b := setupMail(t, engine.Open(t), 3, anshinRules, c.settings, email)
				b.moveAndWait(t, b.ids)
				inError, err := b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: b.phases["エラー"].ID, PageSize: 10})
				if err != nil {
					t.Fatal(err)
				}
				if len(inError.Orders) != c.failed {
					t.Fatalf("%d orders in the error phase, want %d", len(inError.Orders), c.failed)
				}
				for _, o := range inError.Orders {
					if o.LinkStatus != string(workflow.LinkMailError) || !strings.Contains(o.LinkMessage, c.want) {
						t.Errorf("order %s: %s %q, want the message to say %q", o.Number, o.LinkStatus, o.LinkMessage, c.want)
					}
				}
				if got := len(b.relay.Messages()); got != 3-c.failed {
					t.Errorf("the relay took %d mails, want %d", got, 3-c.failed)
				}
				// 要対応 counts them, grouped by what to do.
				groups, err := b.st.LinkErrorGroups(ctx, store.LinkErrorQuery{ShopID: b.shop.ID})
				if err != nil {
					t.Fatal(err)
				}
				if len(groups) != 1 || groups[0].LinkStatus != string(workflow.LinkMailError) || groups[0].Count != int64(c.failed) {
					t.Errorf("要対応 groups %+v", groups)
				}
			})
		}
	}
}

// waitJob waits for River's signal that the job of kind ended.
func (b *mailBundle) waitJob(t *testing.T, kind string) *river.Event {
	t.Helper()
	timeout := time.NewTimer(60 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case e := <-b.events:
			if e.Job.Kind == kind && e.Kind != river.EventKindJobSnoozed {
				return e
			}
		case <-timeout.C:
			t.Fatalf("no %s job ended", kind)
		}
	}
}

// An operator sends a template again on purpose, from the order list: each order gets a second
// mail, once, and its history keeps both.
func TestOperatorSendsAMailAgainOnPurpose(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			b := setupMail(t, engine.Open(t), 3, anshinRules, nil, nil)
			b.moveAndWait(t, b.ids)
			if _, err := b.q.QueueSendMail(ctx, b.rule.MailTemplateID, []jobs.ShopOrders{{ShopID: b.shop.ID, OrderIDs: b.ids}}, "taro"); err != nil {
				t.Fatal(err)
			}
			if e := b.waitJob(t, "send_mail"); e.Kind != river.EventKindJobCompleted {
				t.Fatalf("send_mail ended %s: %v", e.Kind, e.Job.Errors)
			}
			for i, id := range b.ids {
				if got := b.received()[maskedAddress(i+1)]; got != 2 {
					t.Errorf("order %d: %d mails, want 2", i+1, got)
				}
				mails, err := b.st.ListOrderMails(ctx, id)
				if err != nil || len(mails) != 2 || mails[1].Actor != "taro" || mails[1].State != buyermail.Sent {
					t.Errorf("order %d's mails: %+v %v", id, mails, err)
				}
			}
		})
	}
}
