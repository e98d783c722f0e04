package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// preview runs a rule's preview through the shop's real client, and fails the test if the
// preview reached the simulator or wrote the call history.
func preview(t *testing.T, srv *Server, sh shop.Shop, rule workflow.Rule, simRequests func() int) jobs.Preview {
	t.Helper()
	ctx := context.Background()
	sh, err := srv.Store.GetShop(ctx, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	client, err := srv.channels.client(sh)
	if err != nil {
		t.Fatal(err)
	}
	callsBefore, err := srv.Store.ListCalls(ctx, store.CallQuery{ShopID: sh.ID, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	before := simRequests()
	p, err := jobs.PreviewRule(ctx, srv.Store, client, srv.channels.eligibility(sh, rule.Kind), sh, rule, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := simRequests(); got != before {
		t.Fatalf("the preview made %d requests to the simulator; it must send nothing", got-before)
	}
	callsAfter, err := srv.Store.ListCalls(ctx, store.CallQuery{ShopID: sh.ID, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(callsAfter) != len(callsBefore) {
		t.Fatalf("the preview recorded %d calls in the history; it made none", len(callsAfter)-len(callsBefore))
	}
	return p
}

// A confirm rule's preview on Rakuten shows which orders it would confirm and which it would
// refuse with the postage fix (-9999), and the confirmOrder body it would send, while the
// simulator sees no request at all; started afterwards, the rule does exactly what the preview
// said.
func TestRakutenConfirmPreviewSendsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupRakuten(t, rakutensim.Config{Seed: 11})
	p := b.phases
	importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	confirm, err := b.srv.Store.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobConfirm, TargetPhaseID: p["新規受付"], SuccessPhaseID: p["確認待ち"], ErrorPhaseID: p["エラー"]})
	if err != nil {
		t.Fatal(err)
	}
	b.sim.Generate(rakutensim.GenerateOptions{Count: 30, At: b.sim.Sim.Clock.Now().Add(-time.Hour), UnfixedPostageShare: 0.3})
	runImport(t, b.srv, importRule)
	writesBefore := len(b.sim.Sim.Counters.Snapshot().WriteRequests)

	got := preview(t, b.srv, b.shop, confirm, func() int { return b.sim.Sim.Counters.Snapshot().Requests })
	if len(b.sim.Sim.Counters.Snapshot().WriteRequests) != writesBefore {
		t.Fatal("the preview wrote to RMS")
	}
	if got.Waiting == 0 || len(got.Rows) != int(got.Waiting) {
		t.Fatalf("preview of %d waiting orders shows %d", got.Waiting, len(got.Rows))
	}
	var send, refused []string
	for _, row := range got.Rows {
		switch {
		case !row.Order.Amounts.Postage.Fixed():
			if row.Outcome != jobs.OutcomeRefuse || row.Message != rakuten.MsgPostageUnset || row.LinkStatus != string(rakuten.LinkConfirmError) {
				t.Fatalf("order %s with postage -9999: %s %q", row.Order.Number, row.Outcome, row.Message)
			}
			refused = append(refused, row.Order.Number)
		case row.Outcome != jobs.OutcomeSend:
			t.Fatalf("order %s: %s %q, want sent", row.Order.Number, row.Outcome, row.Message)
		default:
			send = append(send, row.Order.Number)
		}
	}
	if len(send) == 0 || len(refused) == 0 {
		t.Fatalf("sample lacks a case: %d to send, %d refused", len(send), len(refused))
	}
	if len(got.Calls) != 1 || got.Calls[0].Op != "confirmOrder" || !got.Calls[0].Write || len(got.Calls[0].OrderIDs) != len(send) {
		t.Fatalf("planned calls: %+v; want one confirmOrder of %d orders", got.Calls, len(send))
	}
	body := got.Calls[0].Request
	for _, n := range send {
		if !strings.Contains(body, n) {
			t.Fatalf("confirmOrder body lacks %s: %s", n, body)
		}
	}
	for _, n := range refused {
		if strings.Contains(body, n) {
			t.Fatalf("confirmOrder body names the refused %s: %s", n, body)
		}
	}
	_, key := b.sim.Credentials()
	if strings.Contains(body, key) {
		t.Fatal("the preview shows the license key")
	}

	// Started, the rule sends what the preview showed, and nothing else.
	if err := b.srv.Store.SetRuleEnabled(ctx, confirm.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := b.srv.Queue.Client().Insert(ctx, jobs.DispatchArgs{RuleID: confirm.ID}, nil); err != nil {
		t.Fatal(err)
	}
	waitPhaseEmpty(t, b.srv, b.shop.ID, p["新規受付"])
	counts := b.sim.Sim.Counters.Snapshot()
	for _, n := range send {
		if counts.WriteRequests[n] != 1 {
			t.Fatalf("order %s the preview would send was sent %d times", n, counts.WriteRequests[n])
		}
	}
	for _, n := range refused {
		if counts.WriteRequests[n] != 0 {
			t.Fatalf("order %s the preview would refuse was sent", n)
		}
	}
}

// A ship report rule's preview on au PAY shows, per order, the updateTradeInfo it would send
// with the ship date, carrier and tracking number; the order without a ship date refused with
// what to do; the order in 注文情報ステータス取得エラー left alone — and au sees no request.
func TestAuPayShipReportPreviewSendsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAuPay(t, aupaysim.Config{Seed: 31})
	p := b.phases
	orders := b.imported(t, aupaysim.GenerateOptions{Count: 4, Status: aupay.StatusAwaitingShipment})
	report, err := b.srv.Store.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p["出荷反映済み"], ErrorPhaseID: p["エラー"]})
	if err != nil {
		t.Fatal(err)
	}
	yamato := order.Shipment{ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "4444-1375-8703"}
	ok, noDate, fetchError := orders[:2], orders[2], orders[3]
	for _, o := range ok {
		b.ship(t, o, yamato)
	}
	b.ship(t, noDate, order.Shipment{Carrier: "1001", TrackingNumber: "444413758703"})
	b.ship(t, fetchError, yamato)
	if err := b.srv.Store.SetLinkStatus(ctx, []int64{fetchError.ID}, store.Link{Status: string(aupay.LinkStatusFetchError), Message: "取得エラー"}); err != nil {
		t.Fatal(err)
	}
	b.move(t, []int64{orders[0].ID, orders[1].ID, orders[2].ID, orders[3].ID}, "出荷済み") // the rule is stopped

	got := preview(t, b.srv, b.shop, report, func() int { return b.sim.Sim.Counters.Snapshot().Requests })
	if w := b.sim.Sim.Counters.Snapshot().WriteRequests; len(w) != 0 {
		t.Fatalf("the preview wrote to au: %v", w)
	}
	outcome := map[int64]jobs.PreviewRow{}
	for _, row := range got.Rows {
		outcome[row.Order.ID] = row
	}
	for _, o := range ok {
		if outcome[o.ID].Outcome != jobs.OutcomeSend {
			t.Fatalf("shipped order %s: %+v", o.Number, outcome[o.ID])
		}
	}
	if r := outcome[noDate.ID]; r.Outcome != jobs.OutcomeRefuse || !strings.HasPrefix(r.Message, aupay.MsgNoShipDate) {
		t.Fatalf("order without a ship date: %s %q", r.Outcome, r.Message)
	}
	if r := outcome[fetchError.ID]; r.Outcome != jobs.OutcomeSkip || !strings.Contains(r.Message, "注文情報ステータス取得エラー") {
		t.Fatalf("order in 注文情報ステータス取得エラー: %s %q", r.Outcome, r.Message)
	}
	if len(got.Calls) != len(ok) {
		t.Fatalf("planned %d calls, want one updateTradeInfo per shipped order: %+v", len(got.Calls), got.Calls)
	}
	key, _ := b.sim.Credentials()
	for _, c := range got.Calls {
		if c.Op != aupay.OpUpdateTradeInfo || !c.Write || len(c.OrderIDs) != 1 || !strings.Contains(c.Request, "444413758703") {
			t.Fatalf("planned call: %+v", c)
		}
		if strings.Contains(c.Request, key) {
			t.Fatal("the preview shows the API key")
		}
	}
}
