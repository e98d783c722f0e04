package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/web"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// auInstance is a whole ichigen (store, River workers, web UI) working against an au PAY Market
// simulator, with one shop whose ship report rule takes orders from 出荷済み to 出荷反映済み and
// errors to エラー.
type auInstance struct {
	srv    *app.Server
	sim    *aupaysim.Server
	shop   shop.Shop
	phases map[string]int64
}

func startAuInstance(t *testing.T) *auInstance {
	t.Helper()
	ctx := context.Background()
	sim := aupaysim.New(aupaysim.Config{Seed: 41})
	simServer := httptest.NewServer(sim.Handler())
	t.Cleanup(simServer.Close)
	cfg := &config.Config{DataDir: filepath.Join(t.TempDir(), "data"), Addr: "127.0.0.1:0", LogLevel: "warn",
		ShutdownTimeout: 5 * time.Second, MaxWorkers: 4, CallRetention: time.Hour, ChannelTimeout: 5 * time.Second}
	srv, err := app.Start(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.WithClock(sim.Sim.Clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown() })
	key, shopID := sim.Credentials()
	sh, err := srv.Store.CreateShop(ctx, shop.Shop{Channel: shop.Channel(aupay.Channel), Name: "au PAY ブラウザ店", Code: shopID,
		Credentials: shop.Credentials{"apiKey": key, "shopId": shopID, "endpoint": simServer.URL, "callsPerSecond": "20"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.CreatePhase(ctx, "出荷反映済み"); err != nil {
		t.Fatal(err)
	}
	in := &auInstance{srv: srv, sim: sim, shop: sh, phases: map[string]int64{}}
	phases, err := srv.Store.ListPhases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range phases {
		in.phases[p.Name] = p.ID
	}
	return in
}

func (in *auInstance) rule(t *testing.T, r workflow.Rule) workflow.Rule {
	t.Helper()
	r.ShopID, r.Enabled = in.shop.ID, true
	saved, err := in.srv.Store.SaveRule(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// imported generates trades awaiting shipment at au and runs the shop's import until they are
// all in ichigen.
func (in *auInstance) imported(t *testing.T, n int) []order.Order {
	t.Helper()
	ctx := context.Background()
	numbers := in.sim.Generate(aupaysim.GenerateOptions{Count: n, Status: aupay.StatusAwaitingShipment, At: in.sim.Sim.Clock.Now().Add(-time.Hour)})
	imp := in.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
	if _, err := in.srv.Queue.Client().Insert(ctx, jobs.ImportArgs{RuleID: imp.ID}, nil); err != nil {
		t.Fatal(err)
	}
	out := make([]order.Order, 0, n)
	var err error
	imported := func() bool { // the import runs in River: checked each time a job ends
		for len(out) < len(numbers) {
			o, e := in.srv.Store.GetOrderByNumber(ctx, in.shop.ID, numbers[len(out)])
			if e != nil {
				err = e
				return false
			}
			out = append(out, o)
		}
		return true
	}
	if !storetest.Await(t, 60*time.Second, imported, in.srv.Queue) {
		t.Fatalf("trade %s was not imported: %v", numbers[len(out)], err)
	}
	return out
}

// ship stores a shipment as a packer's import would, without the UI's check.
func (in *auInstance) ship(t *testing.T, o order.Order, s order.Shipment) {
	t.Helper()
	ctx := context.Background()
	cur, err := in.srv.Store.GetOrder(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.PackageKey = aupay.PackageKey
	if err := in.srv.Store.UpdateShipments(ctx, o.ID, cur.Version, []order.Shipment{s}, "packer"); err != nil {
		t.Fatal(err)
	}
}

func (in *auInstance) order(t *testing.T, id int64) order.Order {
	t.Helper()
	o, err := in.srv.Store.GetOrder(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestBrowserRuleResultArrivesAndIsRetried runs the retry path of an operator's day in the
// browser against a whole ichigen and the au PAY simulator: two orders are moved into the ship
// report rule's phase; the page watches the rule and shows its result arriving in the list (one
// reported, one in 出荷情報反映エラー for its tracking number); the operator opens the failed
// order, fixes the tracking number, sets the link status back to 空欄, moves it back, and sees
// it reported — once.
func TestBrowserRuleResultArrivesAndIsRetried(t *testing.T) {
	t.Parallel()
	ctx := web.StartBrowser(t)
	in := startAuInstance(t)
	p := in.phases
	in.rule(t, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p["出荷反映済み"], ErrorPhaseID: p["エラー"]})
	orders := in.imported(t, 4)
	good, bad := orders[0], orders[1]
	today := time.Now().In(order.JST).Format(time.DateOnly) // the order page takes a date from the order's day before
	in.ship(t, good, order.Shipment{ShipDate: today, Carrier: "1001", TrackingNumber: "444413758703"})
	in.ship(t, bad, order.Shipment{ShipDate: today, Carrier: "1001", TrackingNumber: "444413758704"}) // check digit wrong

	st := in.srv.Store
	g, err := st.CreateGroup(context.Background(), user.Group{Name: "出荷担当", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.Update}})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := user.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(context.Background(), user.User{Login: "packer", Name: "出荷 担当", PasswordHash: hash, GroupID: g.ID}); err != nil {
		t.Fatal(err)
	}

	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	var text, title string
	base := in.srv.URL()
	rowOf := func(o order.Order) string { return `tbody tr:has(a[href="/orders/` + itoa(o.ID) + `"])` }
	run("log in and list the shop's orders",
		chromedp.Navigate(base+"/orders?shop="+itoa(in.shop.ID)),
		chromedp.WaitVisible(`input[name=login]`),
		chromedp.SendKeys(`input[name=login]`, "packer"),
		chromedp.SendKeys(`input[name=password]`, "correct horse battery"),
		chromedp.Submit(`form.login`),
		chromedp.WaitVisible(rowOf(bad)),
		settled(),
	)
	run("select the two shipped orders and move them to 出荷済み",
		chromedp.Click(rowOf(good)+` input[data-order]`),
		chromedp.Click(rowOf(bad)+` input[data-order]`),
		chromedp.SetValue(`select[name=phase_id]`, itoa(p["出荷済み"])),
		chromedp.Click(`button[formaction="/orders/move"]`),
		chromedp.WaitVisible(`.flash`),
		settled(),
		chromedp.Text(`.flash`, &text),
	)
	if !strings.Contains(text, "2件の注文を「出荷済み」に移動しました") || !strings.Contains(text, "出荷情報反映") {
		t.Fatalf("after the move the page says %q", text)
	}
	var banner string
	var rows int
	run("the rule's result arrives in the banner and the rows, without a reload",
		chromedp.WaitVisible(`.watch[data-batch]:not(.running)`),
		chromedp.Text(`.watch[data-batch]`, &banner),
		chromedp.WaitVisible(rowOf(bad)+` .link-error`),
		settled(),
	)
	if !strings.Contains(banner, "成功 1件") || !strings.Contains(banner, "失敗 1件") || !strings.Contains(banner, "待ち 0件") {
		t.Fatalf("the banner says %q", banner)
	}
	var tone string
	run("the banner is red", chromedp.AttributeValue(`.watch[data-batch]`, "data-tone", &tone, nil))
	if tone != "failed" {
		t.Fatalf("the banner's tone is %q, want failed (red)", tone)
	}
	web.Screenshot(t, ctx, "bulk-result-banner")
	run("「結果を表示」 lists exactly the two moved orders",
		chromedp.Click(`.watch[data-batch] [data-watch-result]`),
		chromedp.WaitVisible(`[data-batch-chip]`),
		settled(),
		chromedp.Evaluate(`document.querySelectorAll("tbody tr[data-row]").length`, &rows),
		chromedp.WaitVisible(rowOf(bad)+` .link-error`),
		chromedp.Text(rowOf(bad)+` .link-error`, &text),
		chromedp.AttributeValue(rowOf(bad)+` .link-error`, "title", &title, nil),
	)
	if rows != 2 {
		t.Fatalf("the batch's result lists %d orders, want the 2 moved", rows)
	}
	if text != aupay.LinkShipReportError.Label() || !strings.Contains(title, "チェックデジット") {
		t.Fatalf("the failed order shows %q (%q)", text, title)
	}
	run("the reported one too",
		chromedp.Text(rowOf(good)+` .link`, &text),
	)
	if text != aupay.LinkShipReported.Label() {
		t.Fatalf("the reported order shows %q", text)
	}
	web.Screenshot(t, ctx, "rule-result-in-list")

	run("open the failed order and fix its tracking number",
		chromedp.Click(rowOf(bad)+` td.mono a`),
		chromedp.WaitVisible(`#shipments`),
		settled(),
		chromedp.Text(`.link-message`, &text),
		chromedp.SetValue(`input[name=tracking]`, "4444-1375-8703"),
		chromedp.Click(`#shipments button[type=submit]`),
		chromedp.WaitVisible(`.flash`),
		settled(),
	)
	if !strings.Contains(text, "チェックデジット") {
		t.Fatalf("the order page's link message %q", text)
	}
	run("set its link status back to 空欄",
		chromedp.SetValue(`form[action$="/link-status"] select[name=link_status]`, ""),
		chromedp.Click(`form[action$="/link-status"] button`),
		chromedp.WaitVisible(`.flash`),
		settled(),
		chromedp.Text(`.flash`, &text),
	)
	if !strings.Contains(text, "空欄(未処理)") {
		t.Fatalf("after setting 空欄: %q", text)
	}
	run("move it back to 出荷済み and watch the rule take it",
		chromedp.SetValue(`form[action$="/move"] select[name=phase_id]`, itoa(p["出荷済み"])),
		chromedp.Click(`form[action$="/move"] button`),
		chromedp.WaitVisible(`.watch.done [data-watch-result]`),
		settled(),
		chromedp.Click(`.watch.done [data-watch-result]`),
		chromedp.WaitNotPresent(`.watch`),
		chromedp.WaitVisible(`#management`),
		chromedp.Text(`#link-status .big .link`, &text),
	)
	if text != aupay.LinkShipReported.Label() {
		t.Fatalf("after the retry the order shows %q", text)
	}
	web.Screenshot(t, ctx, "order-retried")

	got := in.order(t, bad.ID)
	if got.PhaseID != p["出荷反映済み"] || got.LinkStatus != string(aupay.LinkShipReported) {
		t.Fatalf("the retried order: phase %d, link %q", got.PhaseID, got.LinkStatus)
	}
	trade, _ := in.sim.Trade(bad.Number)
	counts := in.sim.Sim.Counters.Snapshot()
	if trade.ShippingNumber != "444413758703" || counts.Writes[bad.Number] != 1 || counts.DuplicateWrites[bad.Number] != 0 {
		t.Fatalf("au holds %q for the retried order after %d writes (%d duplicate)", trade.ShippingNumber, counts.Writes[bad.Number], counts.DuplicateWrites[bad.Number])
	}
	if counts.WriteRequests[good.Number] != 1 {
		t.Fatalf("the order reported the first time was written %d times", counts.WriteRequests[good.Number])
	}

	// Splitting an au PAY order asks to confirm au's one tracking number first: the browser
	// does not send the form until the box is ticked.
	split, row, qty := splittable(t, orders[2:])
	var missing bool
	run("the split form warns and waits for the confirmation",
		chromedp.Navigate(base+"/orders/"+itoa(split.ID)),
		chromedp.WaitVisible(`#split summary`),
		settled(),
		chromedp.Click(`#split summary`),
		chromedp.WaitVisible(`#split .warning`),
		chromedp.Text(`#split .warning`, &text),
		chromedp.SetValue(`#split tbody tr:nth-child(`+strconv.Itoa(row+1)+`) input.qty`, strconv.FormatInt(qty, 10)),
		chromedp.Click(`#split button[type=submit]`),
		chromedp.Evaluate(`document.querySelector('#split input[name=accept_warning]').validity.valueMissing`, &missing),
	)
	if !strings.Contains(text, "配送番号を1つしか登録できません") || !missing {
		t.Fatalf("the split warning %q, confirmation still missing: %v", text, missing)
	}
	run("split after ticking the confirmation",
		chromedp.Click(`#split input[name=accept_warning]`),
		chromedp.Click(`#split button[type=submit]`),
		chromedp.WaitVisible(`.flash`),
		chromedp.Text(`.flash`, &text),
	)
	if !strings.Contains(text, "を作成しました") {
		t.Fatalf("after the split: %q", text)
	}
	if _, err := st.GetOrderByNumber(context.Background(), in.shop.ID, split.Number+"-1"); err != nil {
		t.Fatalf("no split child: %v", err)
	}
}

// splittable picks an order with a piece to move that leaves one behind: the row of the line
// and how many of it move.
func splittable(t *testing.T, orders []order.Order) (order.Order, int, int64) {
	t.Helper()
	for _, o := range orders {
		for i, l := range o.Lines {
			switch {
			case l.Quantity >= 2:
				return o, i, 1
			case len(o.Lines) >= 2:
				return o, i, l.Quantity
			}
		}
	}
	t.Fatal("no generated order has two pieces to split")
	return order.Order{}, 0, 0
}

// settled waits until htmx has finished a request and its swap: acting on a node htmx is
// still swapping finds it gone.
func settled() chromedp.Action {
	return chromedp.Poll(`document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added') === null`, nil,
		chromedp.WithPollingInterval(20*time.Millisecond))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
