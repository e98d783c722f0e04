package api

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestSearchFiltersSortsAndPages: the search takes the order list's filters (shop, channel,
// link status incl. 空欄, keyword, dates), its sort and paging, and shows 未確定 as null.
func TestSearchFiltersSortsAndPages(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		au, err := b.st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(aupay.Channel), Name: "au店"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.UpsertOrders(ctx, au.ID, storetest.MakeOrders(101, 3, base), store.UpsertOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := b.st.InTx(ctx, func(tx store.Tx) error {
			return tx.SetLinkStatus(ctx, b.orderID[:2], store.Link{Status: string(rakuten.LinkConfirmError), Message: "注文確認できませんでした"})
		}); err != nil {
			t.Fatal(err)
		}

		all := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?page_size=10", nil), http.StatusOK)
		if all.Total != 33 || len(all.Orders) != 10 || all.PageSize != 10 || all.Page != 1 {
			t.Fatalf("every order: total %d, %d on the page", all.Total, len(all.Orders))
		}
		if !all.Orders[0].OrderedAt.After(all.Orders[9].OrderedAt) {
			t.Error("the default sort is not newest first")
		}
		rakuten := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?channel=rakuten&page_size=1000", nil), http.StatusOK)
		if rakuten.Total != 30 {
			t.Errorf("channel filter: %d", rakuten.Total)
		}
		errs := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?link_status=rakuten_confirm_error", nil), http.StatusOK)
		if errs.Total != 2 || errs.Orders[0].LinkStatusLabel != "注文確認エラー" || errs.Orders[0].LinkMessage != "注文確認できませんでした" {
			t.Errorf("link status filter: %+v", errs)
		}
		blank := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?shop="+i64(b.shop.ID)+"&link_status=none", nil), http.StatusOK)
		if blank.Total != 28 || blank.Orders[0].LinkStatus != "" || blank.Orders[0].LinkStatusLabel != "空欄(未処理)" {
			t.Errorf("空欄 filter: total %d", blank.Total)
		}
		number := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?q=00000010", nil), http.StatusOK)
		if number.Total != 1 {
			t.Fatalf("keyword: %d", number.Total)
		}
		if tot := number.Orders[0].Total; tot.Fixed || tot.Yen != nil || tot.Text != "未確定" {
			t.Errorf("an unfixed total reads %+v, want null and 未確定", tot)
		}
		var raw map[string][]map[string]map[string]any
		_ = json.Unmarshal(b.do(t, token, http.MethodGet, "/orders?q=00000010", nil).Body.Bytes(), &raw)
		if v, ok := raw["orders"][0]["total"]["yen"]; !ok || v != nil {
			t.Errorf("未確定 must be written as \"yen\": null, got %v (present %v)", v, ok)
		}
		asc := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?shop="+i64(b.shop.ID)+"&sort=number&order=asc&page=2&page_size=5", nil), http.StatusOK)
		if len(asc.Orders) != 5 || !strings.HasSuffix(asc.Orders[0].Number, "00000006") {
			t.Errorf("sort by number, page 2: first %s", asc.Orders[0].Number)
		}
		day := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?ordered_from=2026-11-02&ordered_to=2026-11-02", nil), http.StatusOK)
		if day.Total != 0 {
			t.Errorf("orders of 11/02 (Japan time): %d, want none", day.Total)
		}
		p := problem(t, b.do(t, token, http.MethodGet, "/orders?ordered_from=yesterday", nil), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "送信された内容に誤りがあります") || len(p.Errors) == 0 || p.Errors[0].Location != "query.ordered_from" {
			t.Errorf("a bad date: %+v", p)
		}
		counts := decode[struct {
			Phases []PhaseCount `json:"phases"`
		}](t, b.do(t, token, http.MethodGet, "/orders/phase-counts?shop="+i64(b.shop.ID), nil), http.StatusOK)
		if len(counts.Phases) == 0 || counts.Phases[0].Name != "新規受付" || counts.Phases[0].Count != 30 ||
			len(counts.Phases[0].Shops) != 1 || counts.Phases[0].Shops[0].ShopID != b.shop.ID || counts.Phases[0].Shops[0].Count != 30 {
			t.Errorf("phase counts: %+v", counts)
		}
	})
}

// TestOrderDetailHasEverythingTheOrderPageShows: lines, amounts with 未確定 as null, link
// status with its label, events, the order's API calls, what may be set by hand.
func TestOrderDetailHasEverythingTheOrderPageShows(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only("orders", 1))
		id := b.orderID[9] // the 10th order's postage is 未確定
		if _, err := b.queue.MoveOrders(context.Background(), b.st, []int64{id}, b.phases["保留"].ID, "hanako"); err != nil {
			t.Fatal(err)
		}
		d := decode[OrderDetail](t, b.do(t, token, http.MethodGet, "/orders/"+i64(id), nil), http.StatusOK)
		if len(d.Lines) != 3 || d.Lines[1].Name != "湯呑み 波佐見焼" || d.Lines[1].Index != 1 {
			t.Errorf("lines %+v", d.Lines)
		}
		if d.Amounts.Postage.Yen != nil || d.Amounts.Postage.Text != "未確定" || d.Amounts.Goods.Yen == nil || *d.Amounts.Goods.Yen != 4470 {
			t.Errorf("amounts %+v", d.Amounts)
		}
		if d.PhaseName != "保留" || d.LinkStatusLabel != "空欄(未処理)" || d.ShopName != "tea" || d.Buyer.Name == "" {
			t.Errorf("summary %+v", d.OrderSummary)
		}
		if !slices.ContainsFunc(d.Events, func(e Event) bool {
			return e.Text == "処理フェーズ: 新規受付 → 保留" && e.Actor == "hanako"
		}) {
			t.Errorf("events %+v", d.Events)
		}
		if len(d.ManualLinkStatuses) != 3 || d.ManualLinkStatuses[1].Label != "注文確認済み" {
			t.Errorf("manual link statuses %+v", d.ManualLinkStatuses)
		}
		first := decode[OrderDetail](t, b.do(t, token, http.MethodGet, "/orders/"+i64(b.orderID[0]), nil), http.StatusOK)
		if len(first.Calls) != 1 || first.Calls[0].Operation != "confirmOrder" || first.Calls[0].OutcomeLabel != "拒否" {
			t.Errorf("the order's calls %+v", first.Calls)
		}
		p := problem(t, b.do(t, token, http.MethodGet, "/orders/999999", nil), http.StatusNotFound)
		if p.Detail != "注文が見つかりません。削除されたか、URLが誤っています。" {
			t.Errorf("404 detail %q", p.Detail)
		}
	})
}

// TestShipmentsOutsideTheOrderAreRefused: a ship date far ahead (2099-12-31 once reached
// Rakuten and completed the order) or before the order, and a package key the order has no
// package of, are 422s naming the field and the allowed values; nothing is saved.
func TestShipmentsOutsideTheOrderAreRefused(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		b.h.deps.Now = func() time.Time { return base.Add(4 * 24 * time.Hour) } // 2026/11/05 09:00 in Japan
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		id := b.orderID[0]
		d := decode[OrderDetail](t, b.do(t, token, http.MethodGet, "/orders/"+i64(id), nil), http.StatusOK)
		path := "/orders/" + i64(id) + "/shipments"
		for _, c := range []struct {
			key, date, location, detail string
		}{
			{"1", "2099-12-31", "body.shipments[0].ship_date", "発送日「2099/12/31」は受け付けられません。受け付けられるのは 2026/10/31 から 2026/11/12 までです"},
			{"1", "2026-10-01", "body.shipments[0].ship_date", "受け付けられるのは 2026/10/31 から 2026/11/12 までです"},
			{"9", "2026-11-03", "body.shipments[0].package_key", "送付先「9」はこの注文にありません。送付先 1 のどれかを指定してください。"},
		} {
			body := map[string]any{"version": d.Version, "shipments": []map[string]any{{"package_key": c.key, "ship_date": c.date, "carrier": "1001", "tracking_number": "444413758703"}}}
			p := problem(t, b.do(t, token, http.MethodPut, path, body), http.StatusUnprocessableEntity)
			if !strings.Contains(p.Detail, c.detail) || len(p.Errors) != 1 || p.Errors[0].Location != c.location {
				t.Errorf("%s %s: %+v", c.key, c.date, p)
			}
		}
		if o, _ := b.st.GetOrder(context.Background(), id); len(o.Shipments) != 0 {
			t.Fatal("a refused shipment was saved")
		}
		body := map[string]any{"version": d.Version, "shipments": []map[string]any{{"ship_date": "2026-11-12", "carrier": "1001", "tracking_number": "444413758703"}}}
		if saved := decode[OrderDetail](t, b.do(t, token, http.MethodPut, path, body), http.StatusOK); len(saved.Shipments) != 1 || saved.Shipments[0].PackageKey != "1" {
			t.Errorf("a week ahead on the order's one package: %+v", saved.Shipments)
		}
	})
}

// TestShipmentsAreCheckedPerCarrierAndStaleVersionsRefused: a wrong tracking number is refused
// with the carrier check's message and nothing is saved; a right one (full-width, hyphens) is
// saved normalised; a save based on an old version is a 409.
func TestShipmentsAreCheckedPerCarrierAndStaleVersionsRefused(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.admin(t)
		id := b.orderID[0]
		d := decode[OrderDetail](t, b.do(t, token, http.MethodGet, "/orders/"+i64(id), nil), http.StatusOK)
		path := "/orders/" + i64(id) + "/shipments"
		bad := map[string]any{"version": d.Version, "shipments": []map[string]any{{"package_key": "1", "ship_date": "2026-11-03", "carrier": "1001", "tracking_number": "444413758704"}}}
		p := problem(t, b.do(t, token, http.MethodPut, path, bad), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "ヤマト運輸の配送番号「444413758704」はチェックデジットが合いません。") || len(p.Errors) != 1 || p.Errors[0].Location != "body.shipments[0].tracking_number" {
			t.Errorf("bad tracking number: %+v", p)
		}
		noDate := map[string]any{"version": d.Version, "shipments": []map[string]any{{"package_key": "1", "ship_date": "", "carrier": "1001", "tracking_number": "444413758703"}}}
		if p := problem(t, b.do(t, token, http.MethodPut, path, noDate), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "発送日を入力してください。") {
			t.Errorf("no ship date: %q", p.Detail)
		}
		if o, _ := b.st.GetOrder(context.Background(), id); len(o.Shipments) != 0 {
			t.Fatal("a refused shipment was saved")
		}
		good := map[string]any{"version": d.Version, "shipments": []map[string]any{{"package_key": "1", "ship_date": "2026/11/03", "carrier": "1001", "tracking_number": "４４４４-１３７５-８７０３"}}}
		saved := decode[OrderDetail](t, b.do(t, token, http.MethodPut, path, good), http.StatusOK)
		if len(saved.Shipments) != 1 || saved.Shipments[0].TrackingNumber != "444413758703" || saved.Shipments[0].ShipDate != "2026-11-03" || saved.Shipments[0].CarrierName != "ヤマト運輸" {
			t.Errorf("saved %+v", saved.Shipments)
		}
		p = problem(t, b.do(t, token, http.MethodPut, path, good), http.StatusConflict)
		if !strings.Contains(p.Detail, "この注文は他の操作で更新されています。") {
			t.Errorf("stale version: %q", p.Detail)
		}
	})
}

// TestMoveQueuesThePhasesRuleInTheSameTransaction: moving orders into a started rule's target
// phase moves them and queues the rule's dispatch; selecting "every result of a search" moves
// all of them.
func TestMoveQueuesThePhasesRuleInTheSameTransaction(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		if err := b.st.SetRuleEnabled(ctx, b.ruleID, true); err != nil {
			t.Fatal(err)
		}
		target := b.phases["出荷待ち"]
		res := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/move", map[string]any{"ids": b.orderID[:3], "phase_id": target.ID}), http.StatusOK)
		if res.Count != 3 || res.Message != "3件の注文を「出荷待ち」に移動しました。" {
			t.Errorf("move: %+v", res)
		}
		if n := len(b.jobsOf(t, jobs.DispatchArgs{}.Kind())); n != 1 {
			t.Errorf("%d dispatch jobs queued, want the rule's one", n)
		}
		hold := b.phases["保留"].ID
		res = decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/move", map[string]any{"filter": map[string]any{"phase": b.phases["新規受付"].ID}, "phase_id": hold, "confirm_count": 27}), http.StatusOK)
		if res.Count != 27 {
			t.Errorf("every result of the search: moved %d, want 27", res.Count)
		}
		for _, id := range b.orderID[3:] {
			if o, _ := b.st.GetOrder(ctx, id); o.PhaseID != hold {
				t.Fatalf("order %d is not in 保留", id)
			}
		}
		p := problem(t, b.do(t, token, http.MethodPost, "/orders/move", map[string]any{"phase_id": hold}), http.StatusUnprocessableEntity)
		if !strings.HasPrefix(p.Detail, "注文が選択されていません。") {
			t.Errorf("no selection: %q", p.Detail)
		}
		p = problem(t, b.do(t, token, http.MethodPost, "/orders/move", map[string]any{"ids": b.orderID[:1], "phase_id": "保留"}), http.StatusUnprocessableEntity)
		if !strings.HasPrefix(p.Detail, "送信された内容に誤りがあります。") || len(p.Errors) != 1 || p.Errors[0].Location != "body.phase_id" {
			t.Errorf("a body that fails the schema: %+v", p)
		}
		if p := problem(t, b.do(t, token, http.MethodPost, "/orders/move", map[string]any{"ids": b.orderID[:1], "phase_id": 999999}), http.StatusNotFound); !strings.HasPrefix(p.Detail, "処理フェーズが見つかりません。") {
			t.Errorf("unknown phase: %q", p.Detail)
		}
	})
}

// TestConfirmMovesIntoTheConfirmRulesPhase: confirming is a move into the phase of the shop's
// started confirm rule, which queues it; without such a rule it is refused saying what to do.
func TestConfirmMovesIntoTheConfirmRulesPhase(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		body := map[string]any{"ids": b.orderID[:2]}
		if p := problem(t, b.do(t, token, http.MethodPost, "/orders/confirm", body), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "注文確認の自動処理がありません") {
			t.Errorf("no confirm rule: %q", p.Detail)
		}
		rule, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobConfirm, TargetPhaseID: b.phases["確認待ち"].ID,
			SuccessPhaseID: b.phases["入金待ち"].ID, ErrorPhaseID: b.phases["エラー"].ID})
		if err != nil {
			t.Fatal(err)
		}
		if p := problem(t, b.do(t, token, http.MethodPost, "/orders/confirm", body), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "停止中") {
			t.Errorf("stopped confirm rule: %q", p.Detail)
		}
		if err := b.st.SetRuleEnabled(ctx, rule.ID, true); err != nil {
			t.Fatal(err)
		}
		res := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/confirm", body), http.StatusOK)
		if res.Count != 2 || res.Message != "2件の注文を「確認待ち」に移動しました。" {
			t.Errorf("confirm: %+v", res)
		}
		jobsQueued := b.jobsOf(t, jobs.DispatchArgs{}.Kind())
		if len(jobsQueued) != 1 || !strings.Contains(string(jobsQueued[0].Args), i64(rule.ID)) {
			t.Errorf("queued %d dispatch jobs, want the confirm rule's", len(jobsQueued))
		}
	})
}

// TestLinkStatusOnlyToWhatTheChannelAllows: a Rakuten order takes 発送完了報告済み by hand, not an
// au PAY status; the refusal names the order and changes nothing.
func TestLinkStatusOnlyToWhatTheChannelAllows(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		p := problem(t, b.do(t, token, http.MethodPost, "/orders/link-status", map[string]any{"ids": b.orderID[:2], "link_status": string(aupay.LinkCompleted)}), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "連携ステータスを「受注完了ステータス反映済み」に変更できない注文が含まれています") {
			t.Errorf("au status on Rakuten orders: %q", p.Detail)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[0]); o.LinkStatus != "" {
			t.Fatal("a refused change was saved")
		}
		res := decode[BulkResult](t, b.do(t, token, http.MethodPost, "/orders/link-status", map[string]any{"ids": b.orderID[:2], "link_status": string(rakuten.LinkShipReported)}), http.StatusOK)
		if res.Count != 2 || res.Message != "2件の注文の連携ステータスを「発送完了報告済み」に変更しました。" {
			t.Errorf("set: %+v", res)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[1]); o.LinkStatus != string(rakuten.LinkShipReported) {
			t.Errorf("link status %q", o.LinkStatus)
		}
	})
}

// TestRefetchQueuesAJobPerShop: re-fetching the marketplace status queues the refetch job with
// the selected orders of each shop.
func TestRefetchQueuesAJobPerShop(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		w := b.do(t, b.admin(t), http.MethodPost, "/orders/refetch", map[string]any{"ids": b.orderID[:3]})
		res := decode[struct {
			Jobs []QueuedJob `json:"jobs"`
		}](t, w, http.StatusOK)
		if len(res.Jobs) != 1 || res.Jobs[0].ShopID != b.shop.ID || res.Jobs[0].Orders != 3 {
			t.Fatalf("queued %+v", res.Jobs)
		}
		queued := b.jobsOf(t, jobs.RefetchArgs{}.Kind())
		if len(queued) != 1 || queued[0].ID != res.Jobs[0].JobID {
			t.Fatalf("refetch jobs %+v", queued)
		}
		var args jobs.RefetchArgs
		if err := json.Unmarshal(queued[0].Args, &args); err != nil || args.ShopID != b.shop.ID || !slices.Equal(args.OrderIDs, b.orderID[:3]) {
			t.Errorf("job args %+v (%v)", args, err)
		}
	})
}

// TestBundleAndSplitAreUndoable: two orders of one buyer and ship-to bundle into the older one
// and come apart again; an order splits a quantity into <number>-1 and the split is undone.
func TestBundleAndSplitAreUndoable(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		pair := storetest.MakeOrders(201, 2, base)
		pair[1].Buyer, pair[1].Packages = pair[0].Buyer, pair[0].Packages
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, pair, store.UpsertOptions{PhaseID: b.phases["新規受付"].ID})
		if err != nil {
			t.Fatal(err)
		}
		parent := decode[OrderDetail](t, b.do(t, token, http.MethodPost, "/orders/bundle", map[string]any{"ids": []int64{res.IDs[1], res.IDs[0]}}), http.StatusOK)
		if parent.ID != res.IDs[0] || parent.ManagementClass != string(order.BundleParent) || parent.ManagementClassLabel != "同梱親" {
			t.Fatalf("bundle parent %+v", parent.OrderSummary)
		}
		if p := problem(t, b.do(t, token, http.MethodPost, "/orders/bundle", map[string]any{"ids": b.orderID[:2]}), http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "同梱できません") {
			t.Errorf("different buyers: %q", p.Detail)
		}
		decode[MessageResult](t, b.do(t, token, http.MethodPost, "/orders/"+i64(res.IDs[0])+"/unbundle", nil), http.StatusOK)
		if o, _ := b.st.GetOrder(ctx, res.IDs[1]); o.ManagementClass != order.Normal {
			t.Errorf("after unbundle the child is %s", o.ManagementClass)
		}

		id := b.orderID[4]
		split := decode[SplitResult](t, b.do(t, token, http.MethodPost, "/orders/"+i64(id)+"/split", map[string]any{"lines": []map[string]any{{"line": 0, "quantity": 1}}}), http.StatusCreated)
		if !strings.HasSuffix(split.Order.Number, "-1") || split.Order.SplitFromID != id || len(split.Order.Lines) != 1 || split.Order.Lines[0].Quantity != 1 {
			t.Fatalf("split child %+v", split.Order)
		}
		if split.Warning != "" {
			t.Errorf("a Rakuten split warns %q", split.Warning)
		}
		p := problem(t, b.do(t, token, http.MethodPost, "/orders/"+i64(id)+"/split", map[string]any{"lines": []map[string]any{{"line": 1, "quantity": 5}}}), http.StatusUnprocessableEntity)
		if p.Detail != "「湯呑み 波佐見焼」を分割できるのは1個までです。" {
			t.Errorf("too many: %q", p.Detail)
		}
		decode[MessageResult](t, b.do(t, token, http.MethodPost, "/orders/"+i64(id)+"/unsplit", nil), http.StatusOK)
		if o, _ := b.st.GetOrder(ctx, id); o.ManagementClass != order.Normal || o.Lines[0].Quantity != 2 {
			t.Errorf("after unsplit: %s, %d", o.ManagementClass, o.Lines[0].Quantity)
		}
	})
}

// TestAuPaySplitWarnsBeforeSplitting: an au PAY order's detail carries the one-tracking-number
// warning, so a client can show it before splitting.
func TestAuPaySplitWarnsBeforeSplitting(t *testing.T) {
	t.Parallel()
	b := setup(t, storetestSQLite)
	ctx := context.Background()
	au, err := b.st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(aupay.Channel), Name: "au店"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.st.UpsertOrders(ctx, au.ID, storetest.MakeOrders(301, 1, base), store.UpsertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := decode[OrderDetail](t, b.do(t, b.admin(t), http.MethodGet, "/orders/"+i64(res.IDs[0]), nil), http.StatusOK)
	if !strings.Contains(d.SplitWarning, "配送番号を1つしか登録できません") {
		t.Errorf("split warning %q", d.SplitWarning)
	}
}

// TestSearchFindsPrimeOrdersAndThoseDueToShip: the API has the order list's Prime and 出荷期限
// filters and its sort by ship-by date, and each order says its Prime mark and ship-by date.
func TestSearchFindsPrimeOrdersAndThoseDueToShip(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		token := b.admin(t)
		amz, err := b.st.CreateShop(ctx, shop.Shop{Channel: "amazon", Name: "Amazon店"})
		if err != nil {
			t.Fatal(err)
		}
		orders := storetest.MakeOrders(201, 3, base)
		due := []time.Time{time.Date(2026, 11, 20, 14, 59, 0, 0, time.UTC), time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC), {}} // 11/20 23:59 JST, 11/21 00:00 JST, none
		for i := range orders {
			orders[i].LatestShipDate, orders[i].Prime = due[i], i == 1
		}
		if _, err := b.st.UpsertOrders(ctx, amz.ID, orders, store.UpsertOptions{}); err != nil {
			t.Fatal(err)
		}
		prime := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?prime=true", nil), http.StatusOK)
		if prime.Total != 1 || !prime.Orders[0].Prime || !prime.Orders[0].LatestShipDate.Equal(due[1]) {
			t.Errorf("Prime orders: %d, want the one Prime order with its ship-by date", prime.Total)
		}
		byDay := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?shop="+i64(amz.ID)+"&ship_by=2026-11-20", nil), http.StatusOK)
		if byDay.Total != 1 || byDay.Orders[0].Number != orders[0].Number {
			t.Errorf("due by 11/20 (Japan time): %d orders, want only %s", byDay.Total, orders[0].Number)
		}
		sorted := decode[OrderPage](t, b.do(t, token, http.MethodGet, "/orders?shop="+i64(amz.ID)+"&ship_by=2026-11-21&sort=ship_by&order=asc", nil), http.StatusOK)
		if sorted.Total != 2 || sorted.Orders[0].Number != orders[0].Number || sorted.Orders[1].Number != orders[1].Number {
			t.Errorf("due by 11/21, soonest first: %d orders, want %s then %s", sorted.Total, orders[0].Number, orders[1].Number)
		}
		p := problem(t, b.do(t, token, http.MethodGet, "/orders?ship_by=tomorrow", nil), http.StatusUnprocessableEntity)
		if len(p.Errors) == 0 || p.Errors[0].Location != "query.ship_by" {
			t.Errorf("a bad ship-by day: %+v", p)
		}
	})
}
