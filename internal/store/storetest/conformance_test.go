package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

var base = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

type testBundle struct {
	st     store.Store
	shop   shop.Shop
	phases map[string]workflow.Phase
}

// TestConformance runs every store rule on both engines.
func TestConformance(t *testing.T) {
	t.Parallel()
	for _, engine := range Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			setup := func(t *testing.T) *testBundle {
				t.Helper()
				st := engine.Open(t)
				sh, phases := NewShop(t, st, "tea")
				return &testBundle{st: st, shop: sh, phases: phases}
			}
			for name, test := range conformanceTests {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					test(t, setup(t))
				})
			}
		})
	}
}

func expectCode(t *testing.T, err error, code apperror.Code) {
	t.Helper()
	if apperror.CodeOf(err) != code {
		t.Fatalf("want %s error, got %v", code, err)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

var conformanceTests = map[string]func(t *testing.T, b *testBundle){
	"GetOrdersReadsABatchAsGetOrderDoes": func(t *testing.T, b *testBundle) {
		// One read for a dispatcher's batch: each order as GetOrder gives it, lines and
		// shipments included, in the order asked; a deleted order is left out.
		ctx := context.Background()
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 6, base), store.UpsertOptions{PhaseID: b.phases["出荷待ち"].ID}))
		for i, id := range res.IDs[:4] {
			o := must[order.Order](t)(b.st.GetOrder(ctx, id))
			var shipments []order.Shipment
			for n := range i % 3 {
				shipments = append(shipments, order.Shipment{PackageKey: "1", ShipDate: "2026-11-0" + fmt.Sprint(n+2), Carrier: "1001", TrackingNumber: fmt.Sprintf("44441375870%d", n)})
			}
			if err := b.st.UpdateShipments(ctx, id, o.Version, shipments, "packer"); err != nil {
				t.Fatal(err)
			}
		}
		ids := slices.Clone(res.IDs)
		slices.Reverse(ids)
		ids = slices.Insert(ids, 2, 1<<40) // no such order
		got := must[[]order.Order](t)(b.st.GetOrders(ctx, ids))
		var want []order.Order
		for _, id := range ids {
			if o, err := b.st.GetOrder(ctx, id); err == nil {
				want = append(want, o)
			}
		}
		if len(got) != len(res.IDs) || !reflect.DeepEqual(got, want) {
			t.Fatalf("GetOrders\n%+v\nwant as GetOrder\n%+v", got, want)
		}
		if len(got[0].Lines) != 3 || len(got[len(got)-3].Shipments) != 2 {
			t.Fatalf("lines %d, shipments %d", len(got[0].Lines), len(got[len(got)-3].Shipments))
		}
		if none := must[[]order.Order](t)(b.st.GetOrders(ctx, nil)); len(none) != 0 {
			t.Fatalf("no ids: %d orders", len(none))
		}
		if _, err := b.st.GetOrders(ctx, make([]int64, store.MaxPageSize+1)); err == nil {
			t.Fatal("more ids than a page were read")
		}
	},
	"OrderListCountsStopAtTheCap": func(t *testing.T, b *testBundle) {
		// Past CountCap the total and the phase's count say "more", and the pages still come.
		ctx := context.Background()
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, store.CountCap+50, base), store.UpsertOptions{PhaseID: b.phases["完了"].ID}))
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(store.CountCap+100, 7, base), store.UpsertOptions{PhaseID: b.phases["保留"].ID}))
		page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: b.phases["完了"].ID, Page: 3, PageSize: 100}))
		if !store.Capped(page.Total) || len(page.Orders) != 100 {
			t.Fatalf("total %d (capped %v), %d rows", page.Total, store.Capped(page.Total), len(page.Orders))
		}
		counts := must[store.PhaseCounts](t)(b.st.CountOrdersByPhase(ctx, store.OrderQuery{ShopID: b.shop.ID}))
		if !store.Capped(counts.Total(b.phases["完了"].ID)) || counts.Total(b.phases["保留"].ID) != 7 || counts.Total(b.phases["新規受付"].ID) != 0 {
			t.Fatalf("counts %v", counts)
		}
		// Past the capped count the pages go on, as an export of every result reads them.
		deep := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: b.phases["完了"].ID, Page: 1003, PageSize: 10}))
		if len(deep.Orders) != 10 { // orders 10,021–10,030 of 10,050
			t.Fatalf("a page past the cap holds %d orders, want 10", len(deep.Orders))
		}
		exact := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, PhaseID: b.phases["保留"].ID}))
		if exact.Total != 7 || store.Capped(exact.Total) {
			t.Fatalf("a small result: total %d", exact.Total)
		}
	},
	"MoveOrderFromMovesWhatIsStillThere": func(t *testing.T, b *testBundle) {
		// A job's move succeeds whatever else changed the order (an import refreshing it), and
		// leaves an order the operator moved elsewhere where they put it.
		ctx := context.Background()
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 2, time.Now()), store.UpsertOptions{PhaseID: b.phases["出荷済み"].ID}))
		refreshed, movedAway := res.IDs[0], res.IDs[1]
		if err := b.st.SetLinkStatus(ctx, []int64{refreshed}, store.Link{Status: "x"}); err != nil {
			t.Fatal(err)
		}
		if !must[bool](t)(b.st.MoveOrderFrom(ctx, refreshed, b.phases["出荷済み"].ID, b.phases["完了"].ID, "system:complete")) {
			t.Fatal("a refreshed order was not moved")
		}
		must[[]int64](t)(b.st.MoveOrders(ctx, []int64{movedAway}, b.phases["保留"].ID, "operator"))
		if must[bool](t)(b.st.MoveOrderFrom(ctx, movedAway, b.phases["出荷済み"].ID, b.phases["完了"].ID, "system:complete")) {
			t.Fatal("an order the operator moved away was moved")
		}
		for id, want := range map[int64]string{refreshed: "完了", movedAway: "保留"} {
			if o := must[order.Order](t)(b.st.GetOrder(ctx, id)); o.PhaseID != b.phases[want].ID {
				t.Fatalf("order %d in phase %d, want %s", id, o.PhaseID, want)
			}
		}
		events := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, refreshed))
		if last := events[len(events)-1]; last.Kind != order.EventPhaseMoved || last.Actor != "system:complete" || last.FromPhaseID != b.phases["出荷済み"].ID {
			t.Fatalf("event: %+v", last)
		}
	},
	"RuleKindsFollowTheShopsChannel": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		_, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobComplete, TargetPhaseID: b.phases["出荷済み"].ID,
			SuccessPhaseID: b.phases["完了"].ID, ErrorPhaseID: b.phases["エラー"].ID})
		expectCode(t, err, apperror.Invalid) // RMS has no completion status
		rules := must[[]workflow.Rule](t)(b.st.ListRules(ctx, b.shop.ID))
		if len(rules) != 0 {
			t.Fatalf("a refused rule was saved: %+v", rules)
		}
	},
	"CallSlotsSpaceConcurrentCallers": func(t *testing.T, b *testBundle) {
		// Five callers reserve at once with a one-second step: each gets its own slot, a step
		// after the one before, whichever connection asks first.
		const callers, step = 5, time.Second
		waits := make([]time.Duration, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				w, err := b.st.ReserveCall(context.Background(), "rakuten:abc", step)
				if err != nil {
					t.Error(err)
				}
				waits[i] = w
			})
		}
		wg.Wait()
		slices.Sort(waits)
		for i, w := range waits {
			if want := time.Duration(i) * step; w < want-step/2 || w > want+step/2 {
				t.Fatalf("waits %v: slot %d should come about %v from now", waits, i, want)
			}
		}
		// Another credential has slots of its own.
		if w := must[time.Duration](t)(b.st.ReserveCall(context.Background(), "rakuten:other", step)); w != 0 {
			t.Fatalf("a fresh credential waits %v", w)
		}
	},
	"CallClaimsKeepTheirDistance": func(t *testing.T, b *testBundle) {
		// A call is claimed as it leaves: of callers that claim at once, one wins and the others
		// wait a floor from it; a call noted as sent later than its claim pushes the next claim.
		ctx := context.Background()
		const floor = time.Hour
		if w := must[time.Duration](t)(b.st.ClaimCall(ctx, "aupay:unreserved", floor)); w != 0 {
			t.Fatalf("a credential with no slot reserved waits %v to claim", w)
		}
		must[time.Duration](t)(b.st.ReserveCall(ctx, "aupay:abc", floor))
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				w, err := b.st.ClaimCall(ctx, "aupay:abc", floor)
				switch {
				case err != nil:
					t.Error(err)
				case w == 0:
					wins.Add(1)
				case w < floor-time.Minute || w > floor+time.Minute:
					t.Errorf("a refused claim waits %v, want about %v", w, floor)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("%d of 5 concurrent claims won, want 1", n)
		}
		// The call left two hours after its claim (a stalled process): the next claim waits for
		// a floor after that.
		if err := b.st.MarkCallSent(ctx, "aupay:abc", time.Now().Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if w := must[time.Duration](t)(b.st.ClaimCall(ctx, "aupay:abc", floor)); w < 3*time.Hour-time.Minute || w > 3*time.Hour+time.Minute {
			t.Fatalf("after a late send the next claim waits %v, want about 3h", w)
		}
		// A note of an earlier send never pulls the last call back.
		if err := b.st.MarkCallSent(ctx, "aupay:abc", time.Now()); err != nil {
			t.Fatal(err)
		}
		if w := must[time.Duration](t)(b.st.ClaimCall(ctx, "aupay:abc", floor)); w < 3*time.Hour-time.Minute {
			t.Fatalf("an earlier send note pulled the last call back: the next claim waits %v", w)
		}
	},
	"NewShopGetsDefaultPhasesInOrder": func(t *testing.T, b *testBundle) {
		phases := must[[]workflow.Phase](t)(b.st.ListPhases(context.Background()))
		var names []string
		for _, p := range phases {
			names = append(names, p.Name)
		}
		if got, want := strings.Join(names, ","), strings.Join(workflow.DefaultPhaseNames, ","); got != want {
			t.Fatalf("phases %s, want %s", got, want)
		}
	},

	"CredentialsAreEncryptedAtRest": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		var raw []byte
		if err := b.st.DB().QueryRowContext(ctx, "SELECT credentials FROM shops WHERE id = "+fmt.Sprint(b.shop.ID)).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if len(raw) == 0 || strings.Contains(string(raw), "SL-license-tea") || strings.Contains(string(raw), "licenseKey") {
			t.Fatalf("credentials stored readable: %q", raw)
		}
		got := must[shop.Shop](t)(b.st.GetShop(ctx, b.shop.ID))
		if got.Credentials["licenseKey"] != "SL-license-tea" {
			t.Fatalf("credentials do not round-trip: %v", got.Credentials)
		}
		expire := base.Add(90 * 24 * time.Hour)
		if err := b.st.SetShopStatus(ctx, b.shop.ID, shop.AuthError, "ES01-01"); err != nil {
			t.Fatal(err)
		}
		if err := b.st.SetShopCredentials(ctx, b.shop.ID, shop.Credentials{"licenseKey": "SL-new"}, expire); err != nil {
			t.Fatal(err)
		}
		got = must[shop.Shop](t)(b.st.GetShop(ctx, b.shop.ID))
		if got.Credentials["licenseKey"] != "SL-new" || !got.CredentialsExpireAt.Equal(expire) || got.Status != shop.Active {
			t.Fatalf("renewed credentials not kept or auth error not cleared: %+v", got)
		}
	},

	"UpsertNeverDuplicatesAndKeepsOrderWhenOverwriteIsOff": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(1, 3, base)
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{}))
		if res.Inserted != 3 || len(res.IDs) != 3 {
			t.Fatalf("first import: %+v", res)
		}
		again := MakeOrders(1, 3, base)
		again[0].Buyer.Name = "変更 後"
		again[0].MarketplaceStatus, again[0].MarketplaceStatusRaw = order.StatusAwaitingShipment, "300"
		again[0].PaymentStatus = order.Paid
		again[1].Buyer.Name = "変更 後"
		res = must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, again, store.UpsertOptions{}))
		if res.Inserted != 0 || res.Refreshed != 1 || res.Unchanged != 2 {
			t.Fatalf("second import: %+v", res)
		}
		page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID}))
		if page.Total != 3 {
			t.Fatalf("want 3 orders after re-import, got %d", page.Total)
		}
		got := must[order.Order](t)(b.st.GetOrderByNumber(ctx, b.shop.ID, orders[0].Number))
		if got.Buyer.Name == "変更 後" {
			t.Fatal("buyer overwritten although overwrite same order is off")
		}
		if got.MarketplaceStatus != order.StatusAwaitingShipment || got.MarketplaceStatusRaw != "300" || got.PaymentStatus != order.Paid {
			t.Fatalf("marketplace-owned fields not refreshed: %s %s %s", got.MarketplaceStatus, got.MarketplaceStatusRaw, got.PaymentStatus)
		}
		if got.Version != 2 {
			t.Fatalf("refresh must bump the version once, got %d", got.Version)
		}
		events := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, got.ID))
		if len(events) != 1 || events[0].Kind != order.EventMarketplaceStatus {
			t.Fatalf("want one status-change event, got %+v", events)
		}
	},

	"UpsertOverwritesWhenAsked": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(1, 1, base)
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{}))
		stored := must[order.Order](t)(b.st.GetOrderByNumber(ctx, b.shop.ID, orders[0].Number))
		if err := b.st.UpdateShipments(ctx, stored.ID, stored.Version, []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-02", Carrier: "1001", TrackingNumber: "444413758703"}}, "tester"); err != nil {
			t.Fatal(err)
		}
		again := MakeOrders(1, 1, base)
		again[0].Buyer.Name = "上書き 後"
		again[0].Lines = again[0].Lines[:1]
		again[0].Amounts.Postage = order.YenOf(880)
		again[0].RawPayload = []byte(`{"orderNumber":"changed"}`)
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, again, store.UpsertOptions{Overwrite: true}))
		if res.Overwritten != 1 {
			t.Fatalf("want 1 overwritten, got %+v", res)
		}
		got := must[order.Order](t)(b.st.GetOrderByNumber(ctx, b.shop.ID, orders[0].Number))
		if v, _ := got.Amounts.Postage.Value(); got.Buyer.Name != "上書き 後" || len(got.Lines) != 1 || v != 880 {
			t.Fatalf("overwrite did not replace the order: %+v", got)
		}
		if len(got.Shipments) != 1 || got.Shipments[0].TrackingNumber != "444413758703" {
			t.Fatalf("overwrite must keep the shop's shipments, got %+v", got.Shipments)
		}
	},

	"SameNumberTwiceInOneImportIsOneOrder": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		for _, overwrite := range []bool{false, true} {
			orders := append(MakeOrders(1, 2, base), MakeOrders(1, 1, base)...)
			orders[2].Lines = orders[2].Lines[:2]
			orders[2].RawPayload = []byte(`{"lines":2}`)
			res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{Overwrite: overwrite}))
			if res.IDs[0] != res.IDs[2] || len(res.IDs) != 3 {
				t.Fatalf("overwrite=%v: ids %v", overwrite, res.IDs)
			}
			got := must[order.Order](t)(b.st.GetOrder(ctx, res.IDs[0]))
			if want := map[bool]int{false: 3, true: 2}[overwrite]; len(got.Lines) != want {
				t.Fatalf("overwrite=%v: %d lines, want %d", overwrite, len(got.Lines), want)
			}
		}
		if page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID})); page.Total != 2 {
			t.Fatalf("%d orders, want 2", page.Total)
		}
	},

	"OlderSnapshotOrSameSnapshotChangesNothing": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		newer := MakeOrders(1, 1, base)
		newer[0].MarketplaceUpdatedAt = base.Add(2 * time.Hour)
		newer[0].MarketplaceStatus, newer[0].MarketplaceStatusRaw = order.StatusShipped, "500"
		id := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, newer, store.UpsertOptions{})).IDs[0]
		older := MakeOrders(1, 1, base)
		older[0].MarketplaceUpdatedAt = base.Add(time.Hour)
		for _, overwrite := range []bool{false, true} {
			res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, older, store.UpsertOptions{Overwrite: overwrite}))
			if res.Unchanged != 1 {
				t.Fatalf("overwrite=%v: an older snapshot was applied: %+v", overwrite, res)
			}
		}
		// The same snapshot again, even with overwrite on, leaves the version alone: a periodic
		// import must not make the operator's edits stale.
		for range 3 {
			must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, newer, store.UpsertOptions{Overwrite: true}))
		}
		got := must[order.Order](t)(b.st.GetOrder(ctx, id))
		if got.MarketplaceStatus != order.StatusShipped || got.Version != 1 {
			t.Fatalf("status %s version %d", got.MarketplaceStatus, got.Version)
		}
	},

	"RulesStayWithTheirShop": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		other, phases := NewShop(t, b.st, "other")
		_, err := b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 1, base), store.UpsertOptions{PhaseID: 999999})
		expectCode(t, err, apperror.NotFound)
		rule := must[workflow.Rule](t)(b.st.SaveRule(ctx, workflow.Rule{ShopID: other.ID, Kind: workflow.JobConfirm,
			TargetPhaseID: phases["確認待ち"].ID, SuccessPhaseID: phases["入金待ち"].ID, ErrorPhaseID: phases["エラー"].ID}))
		// Saving another shop's rule id under this shop must not take that rule.
		_, err = b.st.SaveRule(ctx, workflow.Rule{ID: rule.ID, ShopID: b.shop.ID, Kind: workflow.JobConfirm,
			TargetPhaseID: phases["新規受付"].ID, SuccessPhaseID: phases["入金待ち"].ID, ErrorPhaseID: phases["エラー"].ID})
		expectCode(t, err, apperror.NotFound)
		if rules := must[[]workflow.Rule](t)(b.st.ListRules(ctx, other.ID)); rules[0].TargetPhaseID != phases["確認待ち"].ID {
			t.Fatal("another shop's save moved the rule")
		}
	},

	"ConcurrentImportsOfOneShopAllSucceed": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				_, err := b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 200, base), store.UpsertOptions{})
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID})); page.Total != 200 {
			t.Fatalf("%d orders, want 200", page.Total)
		}
	},

	"UnfixedAmountRoundTrips": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(10, 1, base) // every tenth order has postage 未確定
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{}))
		got := must[order.Order](t)(b.st.GetOrderByNumber(ctx, b.shop.ID, orders[0].Number))
		if got.Amounts.Postage.Fixed() || got.Amounts.Total.Fixed() || got.Amounts.Postage.String() != "未確定" {
			t.Fatalf("unfixed postage lost: %v %v", got.Amounts.Postage, got.Amounts.Total)
		}
		if v, ok := got.Amounts.Goods.Value(); !ok || v != 4470 {
			t.Fatalf("goods %v", got.Amounts.Goods)
		}
		if len(got.Lines) != 3 || got.Lines[1].Options != "色:藍" || got.Lines[0].TaxRate != 8 {
			t.Fatalf("lines %+v", got.Lines)
		}
		if len(got.Packages) != 1 || got.Packages[0].ShipTo.Name != orders[0].Buyer.Name {
			t.Fatalf("packages %+v", got.Packages)
		}
		if !got.OrderedAt.Equal(orders[0].OrderedAt) {
			t.Fatalf("ordered at %v, want %v", got.OrderedAt, orders[0].OrderedAt)
		}
	},

	"PhaseMoveWritesEventInSameTransaction": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 1, base), store.UpsertOptions{}))
		id, from, to := res.IDs[0], b.phases["新規受付"].ID, b.phases["出荷待ち"].ID
		// A move in a transaction that then fails leaves neither the move nor its event.
		boom := errors.New("boom")
		err := b.st.InTx(ctx, func(tx store.Tx) error {
			if err := tx.MoveOrder(ctx, id, 1, to, "tester"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("want boom, got %v", err)
		}
		got := must[order.Order](t)(b.st.GetOrder(ctx, id))
		if got.PhaseID != from || len(must[[]order.Event](t)(b.st.ListOrderEvents(ctx, id))) != 0 {
			t.Fatal("rolled-back move left a trace")
		}
		if err := b.st.MoveOrder(ctx, id, got.Version, to, "tester"); err != nil {
			t.Fatal(err)
		}
		events := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, id))
		if len(events) != 1 || events[0].Kind != order.EventPhaseMoved || events[0].FromPhaseID != from || events[0].ToPhaseID != to || events[0].Actor != "tester" {
			t.Fatalf("events %+v", events)
		}
		if got := must[order.Order](t)(b.st.GetOrder(ctx, id)); got.PhaseID != to || got.Version != 2 {
			t.Fatalf("after move: phase %d version %d", got.PhaseID, got.Version)
		}
	},

	"StaleVersionIsRefused": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 1, base), store.UpsertOptions{}))
		id := res.IDs[0]
		if err := b.st.MoveOrder(ctx, id, 1, b.phases["確認待ち"].ID, "a"); err != nil {
			t.Fatal(err)
		}
		expectCode(t, b.st.MoveOrder(ctx, id, 1, b.phases["保留"].ID, "b"), apperror.Conflict)
		expectCode(t, b.st.UpdateShipments(ctx, id, 1, []order.Shipment{{TrackingNumber: "1"}}, "b"), apperror.Conflict)
		if got := must[order.Order](t)(b.st.GetOrder(ctx, id)); got.PhaseID != b.phases["確認待ち"].ID || len(got.Shipments) != 0 {
			t.Fatal("a stale write changed the order")
		}
		expectCode(t, b.st.MoveOrder(ctx, id+1000, 1, b.phases["保留"].ID, "b"), apperror.NotFound)
		expectCode(t, b.st.MoveOrder(ctx, id, 2, 999999, "b"), apperror.NotFound)
	},

	"BulkPhaseMove": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		const n = 2500 // more than one statement's worth of ids
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, n, base), store.UpsertOptions{}))
		other, _ := NewShop(t, b.st, "other")
		otherRes := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, other.ID, MakeOrders(1, 5, base), store.UpsertOptions{}))
		target := b.phases["出荷待ち"].ID
		// Ten orders are already there and do not move again.
		must[[]int64](t)(b.st.MoveOrders(ctx, res.IDs[:10], target, "tester"))
		// The phases are every shop's: one move takes both shops' orders.
		moved := must[[]int64](t)(b.st.MoveOrders(ctx, append(append([]int64{}, res.IDs...), otherRes.IDs...), target, "tester"))
		if len(moved) != n-10+5 {
			t.Fatalf("moved %d, want %d", len(moved), n-10+5)
		}
		page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{PhaseID: target}))
		if page.Total != n+5 {
			t.Fatalf("%d orders in target phase, want %d", page.Total, n+5)
		}
		otherPage := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: other.ID}))
		for _, o := range otherPage.Orders {
			if o.PhaseID != target {
				t.Fatal("an order of the other shop was not moved")
			}
		}
		if events := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, res.IDs[n-1])); len(events) != 1 || events[0].ToPhaseID != target {
			t.Fatalf("events of a bulk-moved order: %+v", events)
		}
		if events := must[[]order.Event](t)(b.st.ListOrderEvents(ctx, res.IDs[0])); len(events) != 1 {
			t.Fatalf("an order already in the phase got a second event: %+v", events)
		}
	},

	"Search": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(1, 30, base)
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{}))
		other, _ := NewShop(t, b.st, "other")
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, other.ID, MakeOrders(100, 5, base), store.UpsertOptions{}))
		hold := b.phases["保留"].ID
		must[[]int64](t)(b.st.MoveOrders(ctx, res.IDs[:4], hold, "tester"))
		if err := b.st.SetLinkStatus(ctx, res.IDs[2:6], store.Link{Status: "ship_error", Message: "「発送日」が登録されていません。"}); err != nil {
			t.Fatal(err)
		}
		o := must[order.Order](t)(b.st.GetOrder(ctx, res.IDs[7]))
		if err := b.st.UpdateShipments(ctx, o.ID, o.Version, []order.Shipment{{PackageKey: "1", ShipDate: "2026-11-02", Carrier: "1001", TrackingNumber: "４４４４-１３７５-８７０３"}}, "tester"); err != nil {
			t.Fatal(err)
		}
		linkErr, blank := "ship_error", ""
		cases := []struct {
			name string
			q    store.OrderQuery
			want int64
		}{
			{"shop", store.OrderQuery{ShopID: b.shop.ID}, 30},
			{"all shops", store.OrderQuery{}, 35},
			{"phase", store.OrderQuery{PhaseID: hold}, 4},
			{"link status", store.OrderQuery{LinkStatus: &linkErr}, 4},
			{"blank link status", store.OrderQuery{ShopID: b.shop.ID, LinkStatus: &blank}, 26},
			{"phase and link status", store.OrderQuery{PhaseID: hold, LinkStatus: &linkErr}, 2},
			{"marketplace status", store.OrderQuery{ShopID: b.shop.ID, MarketplaceStatus: order.StatusAwaitingShipment}, 7},
			{"date range", store.OrderQuery{ShopID: b.shop.ID, OrderedFrom: base.Add(10 * time.Minute), OrderedTo: base.Add(20 * time.Minute)}, 10},
			{"keyword order number", store.OrderQuery{Keyword: "-00000012"}, 1},
			{"keyword buyer", store.OrderQuery{ShopID: b.shop.ID, Keyword: "佐藤"}, 3},
			{"keyword tracking number", store.OrderQuery{Keyword: "444413758703"}, 1},
			{"keyword tracking number as typed", store.OrderQuery{Keyword: "4444-1375-8703"}, 1},
			{"keyword inside a buyer name", store.OrderQuery{ShopID: b.shop.ID, Keyword: "藤 花子"}, 1}, // 加藤 花子
			{"keyword: an order number's tail", store.OrderQuery{Keyword: "0000001"}, 1},             // …-00000001
			{"keyword: the middle of an order number", store.OrderQuery{Keyword: "2026110"}, 0},      // digits find tails only
			{"keyword with a LIKE wildcard", store.OrderQuery{Keyword: "%"}, 0},
			{"keyword with a long LIKE wildcard", store.OrderQuery{Keyword: "%_%"}, 0},
			{"keyword with a full-text quote", store.OrderQuery{Keyword: `"佐藤`}, 0},
			{"nothing", store.OrderQuery{Keyword: "存在しない"}, 0},
		}
		for _, c := range cases {
			page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, c.q))
			if page.Total != c.want || int64(len(page.Orders)) != min(c.want, store.DefaultPageSize) {
				t.Errorf("%s: total %d, rows %d, want %d", c.name, page.Total, len(page.Orders), c.want)
			}
		}
		p2 := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, Page: 2, PageSize: 7}))
		if p2.Total != 30 || len(p2.Orders) != 7 || p2.Orders[0].Number != orders[30-1-7].Number {
			t.Fatalf("page 2: total %d rows %d first %s", p2.Total, len(p2.Orders), p2.Orders[0].Number)
		}
		for i := 1; i < len(p2.Orders); i++ {
			if p2.Orders[i].OrderedAt.After(p2.Orders[i-1].OrderedAt) {
				t.Fatal("results are not newest first")
			}
		}
		// The keyword index follows a deleted order.
		found := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, Keyword: "藤 花子"}))
		if err := b.st.DeleteOrder(ctx, found.Orders[0].ID); err != nil {
			t.Fatal(err)
		}
		if gone := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, Keyword: "藤 花子"})); gone.Total != 0 {
			t.Fatalf("a deleted order is still found: %d", gone.Total)
		}
	},

	"KeywordFindsTheReadingAsTyped": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		orders := MakeOrders(1, 6, base)
		for i, kana := range []string{"サトウ ハナコ", "サトウ タロウ", "スズキ ハナコ", "サイトウ ケン", "", ""} {
			orders[i].Buyer.Kana = kana
		}
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{}))
		for _, c := range []struct {
			keyword string
			want    int64
		}{
			{"サ", 3},       // the first kana typed: readings that start with it
			{"さと", 2},      // hiragana as typed finds the katakana reading
			{"サトウ", 2},     // three characters: the reading contains it
			{"はなこ", 2},     // the given name's reading, inside the reading
			{"サトウ タロウ", 1}, // the whole reading
			{"ハナ", 0},      // one or two characters find readings from their start only
		} {
			page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, Keyword: c.keyword}))
			if page.Total != c.want || int64(len(page.Orders)) != c.want {
				t.Errorf("%s: total %d, rows %d, want %d", c.keyword, page.Total, len(page.Orders), c.want)
			}
		}
	},

	"KeywordPagesOfACommonNameAreTheNewestMatches": func(t *testing.T, b *testBundle) {
		// More matches than denseMatches, so that SQLite takes the path that reads the list's
		// index in order; order dates shuffled against the ids, so that neither the ids' order
		// nor the import's can pass for the list's.
		ctx := context.Background()
		const n = 3_100
		orders := MakeOrders(1, n, base)
		rnd := rand.New(rand.NewPCG(1, 2))
		for i, k := range rnd.Perm(n) {
			orders[i].OrderedAt = base.Add(time.Duration(k) * time.Minute)
			orders[i].Buyer.Kana = "サトウ タロウ"
			if i%3 == 0 {
				orders[i].Buyer.Kana = "スズキ ハナコ"
			}
		}
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, orders, store.UpsertOptions{}))
		var matches []order.Order
		for _, o := range orders {
			if o.Buyer.Kana == "サトウ タロウ" {
				matches = append(matches, o)
			}
		}
		slices.SortFunc(matches, func(x, y order.Order) int { return y.OrderedAt.Compare(x.OrderedAt) }) // newest first
		want := make([]string, len(matches))
		for i, o := range matches {
			want[i] = o.Number
		}
		for _, keyword := range []string{"サトウ", "さと"} {
			for page := 1; page <= 3; page++ {
				got := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{ShopID: b.shop.ID, Keyword: keyword, Page: page, PageSize: 40}))
				if got.Total != int64(len(want)) {
					t.Fatalf("%s: total %d, want %d", keyword, got.Total, len(want))
				}
				for i, o := range got.Orders {
					if w := want[(page-1)*40+i]; o.Number != w {
						t.Fatalf("%s page %d row %d: %s, want %s", keyword, page, i, o.Number, w)
					}
				}
			}
		}
	},

	"OnePhaseIsTheTargetOfOneJobKindOnly": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		ship := workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: b.phases["出荷待ち"].ID,
			SuccessPhaseID: b.phases["出荷済み"].ID, ErrorPhaseID: b.phases["エラー"].ID}
		saved := must[workflow.Rule](t)(b.st.SaveRule(ctx, ship))
		confirm := workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobConfirm, TargetPhaseID: b.phases["出荷待ち"].ID,
			SuccessPhaseID: b.phases["入金待ち"].ID, ErrorPhaseID: b.phases["エラー"].ID}
		_, err := b.st.SaveRule(ctx, confirm)
		expectCode(t, err, apperror.Conflict)
		if !strings.Contains(apperror.MessageOf(err), "「出荷待ち」は既にこの店舗の自動処理「出荷情報反映」の対象です") {
			t.Fatalf("message does not say which rule holds the phase: %s", apperror.MessageOf(err))
		}
		confirm.TargetPhaseID = b.phases["確認待ち"].ID
		confirm = must[workflow.Rule](t)(b.st.SaveRule(ctx, confirm))
		// Moving an existing rule onto a taken phase is refused too.
		confirm.TargetPhaseID = b.phases["出荷待ち"].ID
		_, err = b.st.SaveRule(ctx, confirm)
		expectCode(t, err, apperror.Conflict)
		bad := ship
		bad.ID, bad.Kind, bad.TargetPhaseID = 0, workflow.JobComplete, 999999
		_, err = b.st.SaveRule(ctx, bad)
		expectCode(t, err, apperror.Invalid)
		// Another shop's rule may take its own orders from the same phase (seed 000), and the
		// database agrees.
		other, _ := NewShop(t, b.st, "other")
		theirs := confirm
		theirs.ID, theirs.ShopID, theirs.TargetPhaseID = 0, other.ID, b.phases["出荷待ち"].ID
		must[workflow.Rule](t)(b.st.SaveRule(ctx, theirs))
		if err := b.st.SetRuleEnabled(ctx, saved.ID, true); err != nil {
			t.Fatal(err)
		}
		rules := must[[]workflow.Rule](t)(b.st.ListRules(ctx, b.shop.ID))
		if len(rules) != 2 || !rules[0].Enabled || rules[0].Interval != workflow.DefaultPollInterval || rules[1].TargetPhaseID != b.phases["確認待ち"].ID {
			t.Fatalf("rules %+v", rules)
		}
	},

	"PhasesChangeWhileOrdersFlow": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 5, base), store.UpsertOptions{}))
		first := b.phases["新規受付"].ID
		if err := b.st.RenamePhase(ctx, first, "受注受付"); err != nil {
			t.Fatal(err)
		}
		added := must[workflow.Phase](t)(b.st.CreatePhase(ctx, "ギフト確認"))
		_, err := b.st.CreatePhase(ctx, "ギフト確認")
		expectCode(t, err, apperror.Conflict)
		expectCode(t, b.st.RenamePhase(ctx, added.ID, " "), apperror.Invalid)
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(6, 5, base), store.UpsertOptions{}))
		page := must[store.OrderPage](t)(b.st.SearchOrders(ctx, store.OrderQuery{PhaseID: first}))
		if page.Total != 10 {
			t.Fatalf("%d orders in the renamed first phase, want 10", page.Total)
		}
		phases := must[[]workflow.Phase](t)(b.st.ListPhases(ctx))
		ids := []int64{added.ID}
		for _, p := range phases {
			if p.ID != added.ID {
				ids = append(ids, p.ID)
			}
		}
		if err := b.st.ReorderPhases(ctx, ids); err != nil {
			t.Fatal(err)
		}
		expectCode(t, b.st.ReorderPhases(ctx, ids[1:]), apperror.Invalid)
		phases = must[[]workflow.Phase](t)(b.st.ListPhases(ctx))
		if phases[0].ID != added.ID || phases[1].Name != "受注受付" || len(phases) != 10 {
			t.Fatalf("order after reorder: %+v", phases[:2])
		}
		// The import into an explicit phase still works after the reorder.
		must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(20, 1, base), store.UpsertOptions{PhaseID: first}))
	},

	"UsersGroupsAndCallHistory": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		g := must[user.Group](t)(b.st.CreateGroup(ctx, user.Group{Name: "出荷担当", Permissions: map[user.Menu]user.Level{user.MenuOrders: user.Update, user.MenuHistory: user.View}}))
		u := must[user.User](t)(b.st.CreateUser(ctx, user.User{Login: "sato", Name: "佐藤", PasswordHash: "$argon2id$x", GroupID: g.ID}))
		_, err := b.st.CreateUser(ctx, user.User{Login: "sato", PasswordHash: "x", GroupID: g.ID})
		expectCode(t, err, apperror.Conflict)
		got := must[user.User](t)(b.st.GetUserByLogin(ctx, "sato"))
		gg := must[user.Group](t)(b.st.GetGroup(ctx, got.GroupID))
		if got.ID != u.ID || !gg.Allows(user.MenuOrders, user.Update) || gg.Allows(user.MenuHistory, user.Update) || gg.Allows(user.MenuUsers, user.View) {
			t.Fatalf("user %+v group %+v", got, gg)
		}
		_, err = b.st.GetUserByLogin(ctx, "nobody")
		expectCode(t, err, apperror.NotFound)

		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 1, base), store.UpsertOptions{}))
		for i, outcome := range []channel.Outcome{channel.OutcomeOK, channel.OutcomeRejected, channel.OutcomeOK} {
			must[int64](t)(b.st.RecordCall(ctx, channel.Call{At: base.Add(time.Duration(i) * time.Minute), ShopID: b.shop.ID, OrderID: res.IDs[0],
				JobKind: "ship_report", Operation: "updateOrderShippingAsync", Outcome: outcome, HTTPStatus: 200, Duration: 120 * time.Millisecond,
				Request: `{"orderNumber":"x"}`, Response: `{}`}))
		}
		calls := must[[]channel.Call](t)(b.st.ListCalls(ctx, store.CallQuery{ShopID: b.shop.ID, Outcome: channel.OutcomeOK}))
		if len(calls) != 2 || calls[0].At.Before(calls[1].At) || calls[0].Duration != 120*time.Millisecond || calls[0].OrderID != res.IDs[0] {
			t.Fatalf("calls %+v", calls)
		}
		if n := len(must[[]channel.Call](t)(b.st.ListCalls(ctx, store.CallQuery{From: base.Add(time.Minute)}))); n != 2 {
			t.Fatalf("calls from a time: %d", n)
		}
	},

	"JobEnqueuedInRolledBackTransactionNeverRuns": func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		var ran atomic.Int64
		var ranOrder atomic.Int64
		workers := river.NewWorkers()
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, j *river.Job[probeArgs]) error {
			ran.Add(1)
			ranOrder.Store(j.Args.OrderID)
			return nil
		}))
		q, err := jobs.New(ctx, b.st, jobs.Config{Workers: workers, FetchPollInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		res := must[store.UpsertResult](t)(b.st.UpsertOrders(ctx, b.shop.ID, MakeOrders(1, 2, base), store.UpsertOptions{}))
		boom := errors.New("boom")
		err = b.st.InTx(ctx, func(tx store.Tx) error {
			if _, err := tx.MoveOrders(ctx, res.IDs[:1], b.phases["出荷待ち"].ID, "tester"); err != nil {
				return err
			}
			if err := q.InsertTx(ctx, tx, probeArgs{OrderID: res.IDs[0]}, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		err = b.st.InTx(ctx, func(tx store.Tx) error {
			if _, err := tx.MoveOrders(ctx, res.IDs[1:], b.phases["出荷待ち"].ID, "tester"); err != nil {
				return err
			}
			return q.InsertTx(ctx, tx, probeArgs{OrderID: res.IDs[1]}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := q.Stop(stopCtx); err != nil {
				t.Error(err)
			}
		})
		Await(t, 20*time.Second, func() bool { return ran.Load() > 0 }, q)
		list, err := q.Client().JobList(ctx, river.NewJobListParams().Kinds(probeArgs{}.Kind()).States(
			"available", "running", "completed", "retryable", "scheduled", "cancelled", "discarded", "pending"))
		if err != nil {
			t.Fatal(err)
		}
		if ran.Load() != 1 || ranOrder.Load() != res.IDs[1] || len(list.Jobs) != 1 {
			t.Fatalf("ran %d (order %d), %d jobs stored; want only the committed job for order %d", ran.Load(), ranOrder.Load(), len(list.Jobs), res.IDs[1])
		}
		if err := q.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	},
}

type probeArgs struct {
	OrderID int64 `json:"order_id"`
}

func (probeArgs) Kind() string { return "storetest_probe" }

func TestPanicInTransactionReleasesTheWriter(t *testing.T) {
	t.Parallel()
	for _, engine := range Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			st := engine.Open(t)
			NewShop(t, st, "tea")
			func() {
				defer func() { _ = recover() }()
				_ = st.InTx(context.Background(), func(tx store.Tx) error { panic("boom") })
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if _, err := st.CreatePhase(ctx, "after panic"); err != nil {
				t.Fatalf("write after a panicked transaction: %v", err)
			}
		})
	}
}
