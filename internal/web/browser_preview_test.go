package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/web"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestBrowserRulePreviewSendsNothing: on 自動処理設定, an operator fills in a ship report rule
// and clicks プレビュー before saving it: the page shows the shipped order it would send with
// the tracking number it would report, the orders it would refuse with why (a tracking number
// whose check digit is wrong, no ship date), and au PAY's simulator sees no request at all. The
// saved (stopped) rule's own プレビュー link shows the same on a page of its own.
func TestBrowserRulePreviewSendsNothing(t *testing.T) {
	t.Parallel()
	ctx := web.StartBrowser(t)
	in := startAuInstance(t)
	p := in.phases
	orders := in.imported(t, 3)
	good, badDigit, noDate := orders[0], orders[1], orders[2]
	today := time.Now().In(order.JST).Format(time.DateOnly)
	in.ship(t, good, order.Shipment{ShipDate: today, Carrier: "1001", TrackingNumber: "444413758703"})
	in.ship(t, badDigit, order.Shipment{ShipDate: today, Carrier: "1001", TrackingNumber: "444413758704"}) // check digit wrong
	in.ship(t, noDate, order.Shipment{Carrier: "1001", TrackingNumber: "444413758703"})
	st := in.srv.Store
	bg := context.Background()
	rule, err := st.SaveRule(bg, workflow.Rule{ShopID: in.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p["出荷反映済み"], ErrorPhaseID: p["エラー"]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.srv.Queue.MoveOrders(bg, st, []int64{good.ID, badDigit.ID, noDate.ID}, p["出荷済み"], "packer"); err != nil {
		t.Fatal(err)
	}
	g, err := st.CreateGroup(bg, user.Group{Name: "自動処理担当", Permissions: map[user.Menu]user.Level{user.MenuWorkflow: user.Update}})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(bg, user.User{Login: "rules", Name: "自動処理 担当", PasswordHash: hash, GroupID: g.ID}); err != nil {
		t.Fatal(err)
	}
	requests := in.sim.Sim.Counters.Snapshot().Requests

	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	base := in.srv.URL()
	var outcomes map[string]string
	var calls, body, note string
	readPreview := chromedp.Tasks{
		chromedp.Evaluate(`Object.fromEntries([...document.querySelectorAll('#rule-preview tr[data-order]')].map(r => [r.dataset.order, r.dataset.outcome + ' ' + r.cells[4].innerText]))`, &outcomes),
		chromedp.Evaluate(`[...document.querySelectorAll('#rule-preview [data-call-op]')].map(c => c.dataset.callOp + (c.hasAttribute('data-write') ? ':write' : '')).join(',')`, &calls),
		chromedp.Text(`#rule-preview .preview-request`, &body),
		chromedp.Text(`#rule-preview [data-nothing-sent]`, &note),
	}
	check := func(where string) {
		t.Helper()
		if o := outcomes[good.Number]; !strings.HasPrefix(o, "send") {
			t.Errorf("%s: shipped order %s: %q, want send", where, good.Number, o)
		}
		if o := outcomes[badDigit.Number]; !strings.HasPrefix(o, "refuse") || !strings.Contains(o, "配送番号") {
			t.Errorf("%s: wrong check digit %s: %q, want refused with why", where, badDigit.Number, o)
		}
		if o := outcomes[noDate.Number]; !strings.HasPrefix(o, "refuse") || !strings.Contains(o, aupay.MsgNoShipDate) {
			t.Errorf("%s: no ship date %s: %q, want refused with why", where, noDate.Number, o)
		}
		if calls != aupay.OpUpdateTradeInfo+":write" || !strings.Contains(body, "444413758703") {
			t.Errorf("%s: planned calls %q, body %q; want one updateTradeInfo with the tracking number", where, calls, body)
		}
		key, _ := in.sim.Credentials()
		if strings.Contains(body, key) {
			t.Errorf("%s: the preview shows the API key", where)
		}
		if !strings.Contains(note, "何も送信していません") {
			t.Errorf("%s: the preview does not say nothing was sent: %q", where, note)
		}
		if got := in.sim.Sim.Counters.Snapshot(); got.Requests != requests || len(got.WriteRequests) != 0 {
			t.Fatalf("%s: au saw %d requests during the preview (writes %v); it must see none", where, got.Requests-requests, got.WriteRequests)
		}
	}
	run("log in, open the rules, fill in a ship report rule and preview it",
		chromedp.Navigate(base+"/settings/rules?shop="+itoa(in.shop.ID)),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "rules"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(`#preview-rule`),
		chromedp.SetValue(`#rule-form select[name=kind]`, string(workflow.JobShipReport)),
		chromedp.SetValue(`#rule-form select[name=target_phase_id]`, itoa(p["出荷済み"])),
		chromedp.Click(`#preview-rule`),
		chromedp.WaitVisible(`#rule-preview tr[data-order]`),
		settled(),
		readPreview,
	)
	check("the form's preview")
	web.Screenshot(t, ctx, "rule-preview")
	run("the saved rule's preview link",
		chromedp.Navigate(base+"/settings/rules?shop="+itoa(in.shop.ID)),
		chromedp.WaitVisible(`a[data-preview-rule="ship_report"]`),
		chromedp.Click(`a[data-preview-rule="ship_report"]`),
		chromedp.WaitVisible(`#rule-preview tr[data-order]`),
		readPreview,
	)
	check("the saved rule's preview")
	if got, err := st.GetRule(bg, rule.ID); err != nil || got.Enabled {
		t.Fatalf("the preview changed the rule: %+v %v", got, err)
	}
}
