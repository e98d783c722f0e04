package app

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay/aupaysim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/notify/notifytest"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/simkit"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// auBundle is ichigen running against an au PAY Market simulator, with one shop whose phases
// include 出荷反映済み (between the ship report and the completion), and e-mail to a real SMTP
// server.
type auBundle struct {
	sim    *aupaysim.Server
	simURL string
	srv    *Server
	others []*Server // more instances on the same database
	shop   shop.Shop
	phases map[string]int64
	inbox  *notifytest.Inbox
}

func setupAuPay(t testing.TB, simCfg aupaysim.Config) *auBundle {
	t.Helper()
	return setupAuPayOn(t, simCfg, "", 1, 20)
}

// setupAuPayOn starts instances of ichigen on the database db (SQLite in a temporary directory
// when empty), with the shop's au quota (callsPerSecond) set to perSecond.
func setupAuPayOn(t testing.TB, simCfg aupaysim.Config, db string, instances int, perSecond float64) *auBundle {
	t.Helper()
	ctx := context.Background()
	b := &auBundle{sim: aupaysim.New(simCfg), inbox: notifytest.StartInbox(t), phases: map[string]int64{}}
	simServer := httptest.NewServer(b.sim.Handler())
	t.Cleanup(simServer.Close)
	b.simURL = simServer.URL
	b.srv, b.others = startInstances(t, db, instances, b.inbox, WithClock(b.sim.Sim.Clock.Now))
	srv := b.srv
	key, shopID := b.sim.Credentials()
	var err error
	if b.shop, err = srv.Store.CreateShop(ctx, shop.Shop{Channel: shop.Channel(aupay.Channel), Name: "au PAY テスト店", Code: shopID,
		Credentials: shop.Credentials{"apiKey": key, "shopId": shopID, "endpoint": simServer.URL, "callsPerSecond": strconv.FormatFloat(perSecond, 'f', -1, 64)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.CreatePhase(ctx, "出荷反映済み"); err != nil {
		t.Fatal(err)
	}
	b.phases = phasesByName(t, srv.Store, b.shop.ID)
	return b
}

func (b *auBundle) rule(t testing.TB, r workflow.Rule) workflow.Rule {
	t.Helper()
	r.ShopID, r.Enabled = b.shop.ID, true
	saved, err := b.srv.Store.SaveRule(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// shipAndComplete starts the two rules of seed 000: 出荷済み → 出荷反映済み (自動出荷情報反映),
// then 出荷反映済み → 完了 (自動受注完了ステータス反映).
func (b *auBundle) shipAndComplete(t testing.TB) {
	p := b.phases
	b.rule(t, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p["出荷反映済み"], ErrorPhaseID: p["エラー"]})
	b.rule(t, workflow.Rule{Kind: workflow.JobComplete, TargetPhaseID: p["出荷反映済み"], SuccessPhaseID: p["完了"], ErrorPhaseID: p["エラー"]})
}

// imported generates trades at au and imports them; they land in the first phase.
func (b *auBundle) imported(t testing.TB, opts aupaysim.GenerateOptions) []order.Order {
	t.Helper()
	ctx := context.Background()
	if opts.At.IsZero() {
		opts.At = b.sim.Sim.Clock.Now().Add(-time.Hour)
	}
	numbers := b.sim.Generate(opts)
	runImport(t, b.srv, b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour}))
	out := make([]order.Order, 0, len(numbers))
	for _, n := range numbers {
		o, err := b.srv.Store.GetOrderByNumber(ctx, b.shop.ID, n)
		if err != nil {
			t.Fatalf("order %s not imported: %v", n, err)
		}
		out = append(out, o)
	}
	return out
}

// ship enters a shipment on an order, as the packer does.
func (b *auBundle) ship(t testing.TB, o order.Order, s order.Shipment) {
	t.Helper()
	ctx := context.Background()
	cur, err := b.srv.Store.GetOrder(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.PackageKey = aupay.PackageKey
	if err := b.srv.Store.UpdateShipments(ctx, o.ID, cur.Version, []order.Shipment{s}, "packer"); err != nil {
		t.Fatal(err)
	}
}

func (b *auBundle) move(t testing.TB, ids []int64, phase string) {
	t.Helper()
	if _, err := b.srv.Queue.MoveOrders(context.Background(), b.srv.Store, ids, b.phases[phase], "packer"); err != nil {
		t.Fatal(err)
	}
}

func (b *auBundle) order(t testing.TB, id int64) order.Order {
	t.Helper()
	o, err := b.srv.Store.GetOrder(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// waitFor waits until cond holds for the order, and fails saying where the order is otherwise.
func (b *auBundle) waitFor(t testing.TB, id int64, what string, cond func(order.Order) bool) order.Order {
	t.Helper()
	var o order.Order
	if !storetest.Await(t, 40*time.Second, func() bool { o = b.order(t, id); return cond(o) }, b.srv.Queue) {
		t.Fatalf("order %s never %s: phase %d, link %q %q", o.Number, what, o.PhaseID, o.LinkStatus, o.LinkMessage)
	}
	return o
}

func (b *auBundle) inPhase(t testing.TB, id int64, phase string, link workflow.LinkStatus) order.Order {
	t.Helper()
	return b.waitFor(t, id, "reached "+phase+" / "+link.Label(), func(o order.Order) bool {
		return o.PhaseID == b.phases[phase] && o.LinkStatus == string(link)
	})
}

// Seed 000 §2, §3 and §8 against the simulator: shipments are reflected and trades completed;
// an order without a ship date fails before anything is sent; a blank tracking number is fine;
// a cancelled trade fails with au's words; an order in 注文情報ステータス取得エラー is left alone;
// an order of another shop is left alone with no error; one e-mail names the failures of the
// ship report, and the clean completion run sends none.
func TestAuPayShipmentReflectionAndCompletion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAuPay(t, aupaysim.Config{Seed: 21})
	b.shipAndComplete(t)
	orders := b.imported(t, aupaysim.GenerateOptions{Count: 7, Status: aupay.StatusAwaitingShipment})
	yamato := order.Shipment{ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "4444-1375-8703"}
	ok, blank, noDate, cancelled, fetchError := orders[:3], orders[3], orders[4], orders[5], orders[6]
	for _, o := range ok {
		b.ship(t, o, yamato)
	}
	b.ship(t, blank, order.Shipment{ShipDate: "2026-11-24", Carrier: "1002"})
	b.ship(t, noDate, order.Shipment{Carrier: "1001", TrackingNumber: "444413758703"})
	b.ship(t, cancelled, yamato)
	b.ship(t, fetchError, yamato)
	b.sim.SetStatus(cancelled.Number, aupay.StatusCancelled)
	if err := b.srv.Store.SetLinkStatus(ctx, []int64{fetchError.ID}, store.Link{Status: string(aupay.LinkStatusFetchError), Message: "取得エラー"}); err != nil {
		t.Fatal(err)
	}
	// Another shop's order waits in its own 出荷済み.
	other, otherPhases := otherShopOrder(t, b.srv.Store)

	var ids []int64
	for _, o := range orders {
		ids = append(ids, o.ID)
	}
	b.move(t, ids, "出荷済み")
	for _, o := range append(ok, blank) {
		got := b.inPhase(t, o.ID, "完了", aupay.LinkCompleted)
		trade, _ := b.sim.Trade(o.Number)
		s := shipmentOf(got)
		if trade.OrderStatus != aupay.StatusCompleted || trade.ShipDate != "2026/11/24" || trade.ShippingNumber != order.NormaliseTrackingNumber(s.TrackingNumber) {
			t.Fatalf("trade %s at au: %+v", o.Number, trade)
		}
		// The list's モールステータス follows the completion at once: no later import reads the trade.
		if got.MarketplaceStatus != order.StatusCompleted || got.MarketplaceStatusRaw != aupay.StatusCompleted {
			t.Fatalf("order %s reads marketplace status %s (%q) after its completion", o.Number, got.MarketplaceStatus, got.MarketplaceStatusRaw)
		}
	}
	got := b.inPhase(t, noDate.ID, "エラー", aupay.LinkShipReportError)
	if !strings.HasPrefix(got.LinkMessage, "「発送日」が登録されていません。") {
		t.Fatalf("no ship date: %q", got.LinkMessage)
	}
	got = b.inPhase(t, cancelled.ID, "エラー", aupay.LinkShipReportError)
	if !strings.HasPrefix(got.LinkMessage, aupay.MsgTradeCancelled) {
		t.Fatalf("cancelled trade: %q", got.LinkMessage)
	}
	counts := b.sim.Sim.Counters.Snapshot()
	for _, o := range append(ok, blank) {
		if counts.Writes[o.Number] != 2 || counts.DuplicateWrites[o.Number] != 0 {
			t.Fatalf("order %s: %d writes (%d duplicate), want the shipment and the status once each", o.Number, counts.Writes[o.Number], counts.DuplicateWrites[o.Number])
		}
	}
	if counts.WriteRequests[noDate.Number] != 0 || counts.WriteRequests[fetchError.Number] != 0 {
		t.Fatal("an order without a ship date, or in 注文情報ステータス取得エラー, was sent")
	}
	if o := b.order(t, fetchError.ID); o.PhaseID != b.phases["出荷済み"] || o.LinkStatus != string(aupay.LinkStatusFetchError) {
		t.Fatalf("the order in 注文情報ステータス取得エラー moved: phase %d link %q", o.PhaseID, o.LinkStatus)
	}
	if o, _ := b.srv.Store.GetOrder(ctx, other.ID); o.PhaseID != otherPhases["出荷済み"] || o.LinkStatus != "" || o.LinkMessage != "" {
		t.Fatalf("another shop's order was touched: %+v", o)
	}
	storetest.AwaitIdle(t, 20*time.Second, b.srv.Queue) // a wrongly queued second e-mail would have arrived
	mails := b.inbox.Messages()
	if len(mails) != 1 || mails[0].Subject != "(ichigen) au PAY自動出荷情報反映結果のお知らせ(エラー情報)" ||
		!strings.Contains(mails[0].Body, noDate.Number) || !strings.Contains(mails[0].Body, cancelled.Number) || strings.Contains(mails[0].Body, ok[0].Number) {
		t.Fatalf("e-mails: %+v", mails)
	}
}

// otherShopOrder stores an order of a second shop in that shop's 出荷済み phase.
func otherShopOrder(t testing.TB, st store.Store) (order.Order, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	sh, phases := storetestShop(t, st)
	res, err := st.UpsertOrders(ctx, sh.ID, []order.Order{{Number: "OTHER-1", OrderedAt: time.Now(), Buyer: order.Person{Name: "別店 花子"}}},
		store.UpsertOptions{PhaseID: phases["出荷済み"], Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.GetOrder(ctx, res.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	return o, phases
}

func storetestShop(t testing.TB, st store.Store) (shop.Shop, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel("csvshop"), Name: "CSV店", Code: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	return sh, phasesByName(t, st, sh.ID)
}

func shipmentOf(o order.Order) order.Shipment {
	if len(o.Shipments) == 0 {
		return order.Shipment{}
	}
	return o.Shipments[len(o.Shipments)-1]
}

// Answers lost after au applied the write (seed 000 §8, パターン① and ②) are settled by reading
// the trade back, not by the operator in Wow! manager: every shipment and every completion
// reaches au once, and the history says what the read-back found.
func TestAuPayLostAnswersAreReadBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAuPay(t, aupaysim.Config{Seed: 22})
	b.shipAndComplete(t)
	orders := b.imported(t, aupaysim.GenerateOptions{Count: 12, Status: aupay.StatusAwaitingShipment})
	var ids []int64
	for _, o := range orders {
		b.ship(t, o, order.Shipment{ShipDate: "2026-11-24", Carrier: "1003", TrackingNumber: "405548424886"})
		ids = append(ids, o.ID)
	}
	b.sim.Sim.Faults.Set(simkit.Faults{TimeoutAfterWrite: 0.5})
	b.move(t, ids, "出荷済み")
	for _, o := range orders {
		// Whether the answer came or the trade was read back, the marketplace status follows.
		if got := b.inPhase(t, o.ID, "完了", aupay.LinkCompleted); got.MarketplaceStatus != order.StatusCompleted {
			t.Fatalf("order %s reads marketplace status %s after its completion", o.Number, got.MarketplaceStatus)
		}
	}
	counts := b.sim.Sim.Counters.Snapshot()
	if counts.HungWrites == 0 {
		t.Fatal("no answer was lost: the test proves nothing")
	}
	for _, o := range orders {
		if counts.Writes[o.Number] != 2 || counts.DuplicateWrites[o.Number] != 0 {
			t.Fatalf("order %s: %d writes (%d duplicate)", o.Number, counts.Writes[o.Number], counts.DuplicateWrites[o.Number])
		}
	}
	calls, err := b.srv.Store.ListCalls(ctx, store.CallQuery{ShopID: b.shop.ID, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, c := range calls {
		if c.Operation == "settle" && strings.Contains(c.Response, "反映済みでした") {
			found++
		}
	}
	if found == 0 || found > int(counts.HungWrites) {
		t.Fatalf("%d history rows say what a read-back found, for %d lost answers", found, counts.HungWrites)
	}
	t.Logf("%d answers lost, each settled by reading back", counts.HungWrites)
}

// The retry path of seed 000 §6–7: an order in error is not taken again by moving it alone; with
// its link status set back by hand (only the values au allows, only on au PAY orders) and a
// phase move, it goes through.
func TestAuPayRetryByHand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAuPay(t, aupaysim.Config{Seed: 23})
	b.shipAndComplete(t)
	orders := b.imported(t, aupaysim.GenerateOptions{Count: 2, Status: aupay.StatusAwaitingShipment})
	o := orders[0]
	b.ship(t, o, order.Shipment{Carrier: "1001", TrackingNumber: "444413758703"}) // no ship date
	b.move(t, []int64{o.ID}, "出荷済み")
	b.inPhase(t, o.ID, "エラー", aupay.LinkShipReportError)

	// Fixed, but moved back with its error status: not taken.
	b.ship(t, o, order.Shipment{ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"})
	b.move(t, []int64{o.ID}, "出荷済み")
	storetest.AwaitIdle(t, 20*time.Second, b.srv.Queue) // the move's dispatch has run
	if got := b.order(t, o.ID); got.PhaseID != b.phases["出荷済み"] || b.sim.Sim.Counters.Snapshot().WriteRequests[o.Number] != 0 {
		t.Fatalf("an order in 出荷情報反映エラー was sent: phase %d", got.PhaseID)
	}
	// Only 空欄, 出荷情報反映済み and 受注完了ステータス反映済み may be set by hand.
	if err := orderops.SetLinkStatus(ctx, b.srv.Store, []int64{o.ID}, aupay.LinkShipReportError, "operator"); err == nil {
		t.Fatal("出荷情報反映エラー was set by hand")
	}
	// au values only on au PAY orders: a selection with another shop's order is refused whole.
	other, _ := otherShopOrder(t, b.srv.Store)
	err := orderops.SetLinkStatus(ctx, b.srv.Store, []int64{o.ID, other.ID}, aupay.LinkShipReported, "operator")
	if err == nil || !strings.Contains(err.Error(), "OTHER-1") {
		t.Fatalf("an au status on another shop's order: %v", err)
	}
	if got := b.order(t, o.ID); got.LinkStatus != string(aupay.LinkShipReportError) {
		t.Fatalf("a refused request changed an order: %q", got.LinkStatus)
	}
	// 空欄 by hand, then a move out and back: reported, then completed.
	if err := orderops.SetLinkStatus(ctx, b.srv.Store, []int64{o.ID}, workflow.LinkNone, "operator"); err != nil {
		t.Fatal(err)
	}
	b.move(t, []int64{o.ID}, "保留")
	b.move(t, []int64{o.ID}, "出荷済み")
	b.inPhase(t, o.ID, "完了", aupay.LinkCompleted)
	events, err := b.srv.Store.ListOrderEvents(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		found = found || (e.Kind == order.EventLinkStatusSet && e.Actor == "operator" && strings.Contains(e.Message, "「空欄(未処理)」に変更"))
	}
	if !found {
		t.Fatalf("the change by hand is not in the order's history: %+v", events)
	}
	// 受注完了ステータス反映済み by hand, for an order completed in Wow! manager: complete skips it.
	p := orders[1]
	if err := orderops.SetLinkStatus(ctx, b.srv.Store, []int64{p.ID}, aupay.LinkCompleted, "operator"); err != nil {
		t.Fatal(err)
	}
	b.move(t, []int64{p.ID}, "出荷反映済み")
	storetest.AwaitIdle(t, 20*time.Second, b.srv.Queue) // the move's dispatch has run
	if b.sim.Sim.Counters.Snapshot().WriteRequests[p.Number] != 0 {
		t.Fatal("an order marked 受注完了ステータス反映済み by hand was sent")
	}
}

// 自動注文情報ステータス取得: orders still waiting for payment stay with their status stored; once
// au has them at 発送待ち they move on; a cancelled trade is 注文情報ステータス取得エラー and is not
// shipped until reset.
func TestAuPayStatusFetch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAuPay(t, aupaysim.Config{Seed: 24})
	p := b.phases
	orders := b.imported(t, aupaysim.GenerateOptions{Count: 3, Status: aupay.StatusAwaitingPayment, Settlement: "銀行振込"})
	fetch := b.rule(t, workflow.Rule{Kind: workflow.JobStatusFetch, TargetPhaseID: p["入金待ち"], SuccessPhaseID: p["出荷待ち"], ErrorPhaseID: p["エラー"], Interval: time.Hour})
	// The three kinds may not share a target phase (seed 000 §3-1).
	if _, err := b.srv.Store.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: p["入金待ち"], SuccessPhaseID: p["完了"], ErrorPhaseID: p["エラー"]}); err == nil {
		t.Fatal("two au PAY rules share a target phase")
	}
	ids := []int64{orders[0].ID, orders[1].ID, orders[2].ID}
	b.move(t, ids, "入金待ち")
	b.waitFor(t, orders[0].ID, "had its status fetched", func(o order.Order) bool { return strings.Contains(o.LinkMessage, "発送前入金待ち") })
	b.sim.SetStatus(orders[0].Number, aupay.StatusAwaitingShipment)
	b.sim.SetStatus(orders[1].Number, aupay.StatusCancelled)
	if _, err := b.srv.Queue.Client().Insert(ctx, jobs.DispatchArgs{RuleID: fetch.ID}, nil); err != nil {
		t.Fatal(err)
	}
	got := b.inPhase(t, orders[0].ID, "出荷待ち", workflow.LinkNone)
	if got.MarketplaceStatus != order.StatusAwaitingShipment {
		t.Fatalf("status not stored: %q", got.MarketplaceStatus)
	}
	got = b.inPhase(t, orders[1].ID, "エラー", aupay.LinkStatusFetchError)
	if !strings.HasPrefix(got.LinkMessage, aupay.MsgTradeCancelled) || !got.MarketplaceStatus.Cancelled() {
		t.Fatalf("cancelled: %q %q", got.LinkMessage, got.MarketplaceStatus)
	}
	if got := b.order(t, orders[2].ID); got.PhaseID != p["入金待ち"] || got.MarketplaceStatus != order.StatusAwaitingPayment {
		t.Fatalf("a trade still awaiting payment: phase %d status %q", got.PhaseID, got.MarketplaceStatus)
	}
	// The history of the status fetch names its job kind.
	calls, _ := b.srv.Store.ListCalls(ctx, store.CallQuery{ShopID: b.shop.ID, JobKind: string(workflow.JobStatusFetch), PageSize: 10})
	if len(calls) == 0 || calls[0].Operation != aupay.OpSearchTradeInfo {
		t.Fatalf("status fetch calls: %+v", calls)
	}
}

// Bundles and splits on au PAY (seed 000 §2): a bundle child is not a target and only its parent
// is reported, under its own number; a split's parent and child are both reported under the
// trade's number, the later tracking number overwriting the earlier, and the trade is completed
// once.
func TestAuPayBundleAndSplit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setupAuPay(t, aupaysim.Config{Seed: 25})
	b.shipAndComplete(t)
	orders := b.imported(t, aupaysim.GenerateOptions{Count: 3, Status: aupay.StatusAwaitingShipment})
	parent, child, whole := orders[0], orders[1], orders[2]
	// The simulator's buyers differ, so the bundle is made in the store directly; orderops
	// checks buyer and ship-to (tested there).
	if err := b.srv.Store.SetManagement(ctx, parent.ID, b.order(t, parent.ID).Version, store.Management{Class: order.BundleParent}); err != nil {
		t.Fatal(err)
	}
	if err := b.srv.Store.SetManagement(ctx, child.ID, b.order(t, child.ID).Version, store.Management{Class: order.BundleChild, BundleParentID: parent.ID}); err != nil {
		t.Fatal(err)
	}
	moves := []orderops.LineMove{{Line: 0, Quantity: 1}}
	if w := b.order(t, whole.ID); len(w.Lines) == 1 && w.Lines[0].Quantity == 1 {
		t.Skip("the generated trade has a single item; pick another seed")
	}
	if b.order(t, whole.ID).Lines[0].Quantity == 1 {
		moves = []orderops.LineMove{{Line: 1, Quantity: b.order(t, whole.ID).Lines[1].Quantity}}
	}
	split, err := orderops.Split(ctx, b.srv.Store, whole.ID, moves, "operator")
	if err != nil {
		t.Fatal(err)
	}
	yamato := order.Shipment{ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"}
	b.ship(t, parent, yamato)
	b.ship(t, child, yamato)
	b.ship(t, whole, yamato)
	b.ship(t, b.order(t, split.ID), order.Shipment{ShipDate: "2026-11-25", Carrier: "1002", TrackingNumber: "512547514334"})
	b.move(t, []int64{parent.ID, child.ID, whole.ID}, "出荷済み")
	b.inPhase(t, whole.ID, "完了", aupay.LinkCompleted)
	b.move(t, []int64{split.ID}, "出荷済み") // the child ships a day later
	got := b.inPhase(t, split.ID, "完了", aupay.LinkCompleted)
	b.inPhase(t, parent.ID, "完了", aupay.LinkCompleted)
	trade, _ := b.sim.Trade(whole.Number)
	if trade.ShippingNumber != "512547514334" || trade.ShipDate != "2026/11/25" || trade.OrderStatus != aupay.StatusCompleted {
		t.Fatalf("the split trade at au: %+v", trade)
	}
	if !strings.Contains(got.LinkMessage, "分割") {
		t.Fatalf("the later report of a split does not say it overwrote: %q", got.LinkMessage)
	}
	counts := b.sim.Sim.Counters.Snapshot()
	// Both shipments once each, and the completion once: the split child's completion found it done.
	if counts.Writes[whole.Number] != 3 || counts.DuplicateWrites[whole.Number] != 0 {
		t.Fatalf("split trade: %d writes (%d duplicate), want 2 shipments and 1 completion", counts.Writes[whole.Number], counts.DuplicateWrites[whole.Number])
	}
	if counts.WriteRequests[child.Number] != 0 {
		t.Fatal("a bundle child was reported")
	}
	if o := b.order(t, child.ID); o.PhaseID != b.phases["出荷済み"] || o.LinkStatus != "" {
		t.Fatalf("a bundle child was touched: phase %d link %q", o.PhaseID, o.LinkStatus)
	}
}

// A completion au refuses (the trade was cancelled after its shipment was reflected) goes to the
// error phase as 受注完了ステータス反映エラー, and one e-mail with the seed's subject names it.
func TestAuPayCompletionErrorMail(t *testing.T) {
	t.Parallel()
	b := setupAuPay(t, aupaysim.Config{Seed: 26})
	p := b.phases
	b.rule(t, workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: p["出荷済み"], SuccessPhaseID: p["出荷反映済み"], ErrorPhaseID: p["エラー"]})
	orders := b.imported(t, aupaysim.GenerateOptions{Count: 2, Status: aupay.StatusAwaitingShipment})
	for _, o := range orders {
		b.ship(t, o, order.Shipment{ShipDate: "2026-11-24", Carrier: "1001", TrackingNumber: "444413758703"})
	}
	b.move(t, []int64{orders[0].ID, orders[1].ID}, "出荷済み")
	b.inPhase(t, orders[0].ID, "出荷反映済み", aupay.LinkShipReported)
	b.inPhase(t, orders[1].ID, "出荷反映済み", aupay.LinkShipReported)
	b.sim.SetStatus(orders[1].Number, aupay.StatusCancelled)
	// The completion rule starts; the orders already waiting in its phase are swept.
	rule := b.rule(t, workflow.Rule{Kind: workflow.JobComplete, TargetPhaseID: p["出荷反映済み"], SuccessPhaseID: p["完了"], ErrorPhaseID: p["エラー"]})
	if _, err := b.srv.Queue.Client().Insert(context.Background(), jobs.DispatchArgs{RuleID: rule.ID}, nil); err != nil {
		t.Fatal(err)
	}
	b.inPhase(t, orders[0].ID, "完了", aupay.LinkCompleted)
	got := b.inPhase(t, orders[1].ID, "エラー", aupay.LinkCompleteError)
	if !strings.HasPrefix(got.LinkMessage, aupay.MsgTradeCancelled) {
		t.Fatalf("message: %q", got.LinkMessage)
	}
	b.inbox.Wait(10 * time.Second)
	storetest.AwaitIdle(t, 10*time.Second, b.srv.Queue) // a wrongly queued second e-mail would have arrived
	mails := b.inbox.Messages()
	if len(mails) != 1 || mails[0].Subject != "(ichigen) au PAY自動受注完了ステータス反映結果のお知らせ(エラー情報)" ||
		!strings.Contains(mails[0].Body, orders[1].Number) || !strings.Contains(mails[0].Body, aupay.MsgTradeCancelled) || strings.Contains(mails[0].Body, orders[0].Number) {
		t.Fatalf("e-mails: %+v", mails)
	}
}
