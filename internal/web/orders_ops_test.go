package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// auOrder stores an au PAY shop with one order of two lines (2 and 1 pieces) and returns them.
func (b *testBundle) auOrder(t *testing.T) (shop.Shop, order.Order) {
	t.Helper()
	ctx := t.Context()
	au, err := b.st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(aupay.Channel), Name: "au店"})
	if err != nil {
		t.Fatal(err)
	}
	o := storetest.MakeOrders(500, 1, base)[0]
	o.Number, o.Lines = "900000001", o.Lines[:2]
	res, err := b.st.UpsertOrders(ctx, au.ID, []order.Order{o}, store.UpsertOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.st.GetOrder(ctx, res.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	return au, got
}

func (b *testBundle) queued(t *testing.T, kind string) []string {
	t.Helper()
	args := "CAST(args AS TEXT)"
	if b.st.Engine() == store.EngineSQLite {
		args = "json(args)" // River's SQLite driver keeps args as JSONB
	}
	rows, err := b.st.DB().QueryContext(t.Context(), "SELECT "+args+" FROM river_job WHERE kind = '"+kind+"' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var args string
		if err := rows.Scan(&args); err != nil {
			t.Fatal(err)
		}
		out = append(out, args)
	}
	return out
}

// TestBulkConfirmMovesIntoTheConfirmRulesPhase: 一括注文確認 refuses a shop without a started
// confirm rule and a selection with another channel's order, moving nothing; with the rule it
// moves the selected Rakuten orders into the rule's target phase and queues the rule.
func TestBulkConfirmMovesIntoTheConfirmRulesPhase(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		form := url.Values{"id": {i64toa(b.orderID[0]), i64toa(b.orderID[1])}}
		w := s.do(http.MethodPost, "/orders/confirm", form)
		if msg := flash(w); !strings.Contains(msg, "開始している「注文確認」の自動処理がありません") {
			t.Fatalf("without a confirm rule: %q", msg)
		}
		target := b.phases["確認待ち"].ID
		rule, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobConfirm, TargetPhaseID: target,
			SuccessPhaseID: b.phases["入金待ち"].ID, ErrorPhaseID: b.phases["エラー"].ID})
		if err != nil {
			t.Fatal(err)
		}
		if msg := flash(s.do(http.MethodPost, "/orders/confirm", form)); !strings.Contains(msg, "開始している") {
			t.Fatalf("with a stopped confirm rule: %q", msg)
		}
		if err := b.st.SetRuleEnabled(ctx, rule.ID, true); err != nil {
			t.Fatal(err)
		}
		_, au := b.auOrder(t)
		mixed := url.Values{"id": {i64toa(b.orderID[0]), i64toa(au.ID)}}
		if msg := flash(s.do(http.MethodPost, "/orders/confirm", mixed)); !strings.Contains(msg, "以外の注文が含まれています: 「au店」") {
			t.Fatalf("with an au PAY order: %q", msg)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[0]); o.PhaseID == target {
			t.Fatal("a refused confirm moved an order")
		}
		w = s.do(http.MethodPost, "/orders/confirm", form)
		if msg := flash(w); !strings.Contains(msg, "2件の注文を「確認待ち」に移動しました") || !strings.Contains(msg, "注文確認") {
			t.Fatalf("confirm: %q", msg)
		}
		if loc := w.Header().Get("Location"); !strings.Contains(loc, "watch="+i64toa(target)) {
			t.Fatalf("confirm goes back to %q, want the list watching 確認待ち", loc)
		}
		for _, id := range b.orderID[:2] {
			if o, _ := b.st.GetOrder(ctx, id); o.PhaseID != target {
				t.Fatalf("order %d not in 確認待ち", id)
			}
		}
		if len(b.queued(t, "dispatch")) == 0 {
			t.Fatal("the confirm rule was not queued with the move")
		}
	})
}

// TestRefetchQueuesAJobPerShop: 再取得 queues one re-fetch job per shop with the selected orders,
// and refuses a shop stopped by an auth error.
func TestRefetchQueuesAJobPerShop(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		au, auOrder := b.auOrder(t)
		w := s.do(http.MethodPost, "/orders/refetch", url.Values{"id": {i64toa(b.orderID[0]), i64toa(b.orderID[1]), i64toa(auOrder.ID)}})
		if msg := flash(w); !strings.Contains(msg, "3件の注文のモールステータス再取得を受け付けました") {
			t.Fatalf("refetch: %q", msg)
		}
		got := map[int64][]int64{}
		for _, raw := range b.queued(t, "refetch") {
			var args jobs.RefetchArgs
			if err := json.Unmarshal([]byte(raw), &args); err != nil {
				t.Fatal(err)
			}
			got[args.ShopID] = append(got[args.ShopID], args.OrderIDs...)
		}
		if len(got) != 2 || len(got[b.shop.ID]) != 2 || len(got[au.ID]) != 1 || got[au.ID][0] != auOrder.ID {
			t.Fatalf("queued re-fetches %v", got)
		}
		if _, err := b.st.MarkAuthError(ctx, au.ID, "expired"); err != nil {
			t.Fatal(err)
		}
		w = s.do(http.MethodPost, "/orders/refetch", url.Values{"all": {"1"}, "shop": {i64toa(au.ID)}})
		if msg := flash(w); !strings.Contains(msg, "認証エラーで止まっているため再取得できません") {
			t.Fatalf("refetch of a stopped shop: %q", msg)
		}
		if n := len(b.queued(t, "refetch")); n != 2 {
			t.Fatalf("%d re-fetch jobs, want no new one", n)
		}
	})
}

// TestBundleAndUnbundleFromTheUI: two orders of one buyer and ship-to bundle into the older; the
// child's page links its parent, the parent's lists the child and undoes the bundle; orders of
// different buyers are refused with orderops' message.
func TestBundleAndUnbundleFromTheUI(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		pair := storetest.MakeOrders(200, 2, base)
		pair[1].Buyer, pair[1].Packages = pair[0].Buyer, pair[0].Packages
		res, err := b.st.UpsertOrders(ctx, b.shop.ID, pair, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		older, newer := res.IDs[0], res.IDs[1]
		if msg := flash(s.do(http.MethodPost, "/orders/bundle", url.Values{"id": {i64toa(older), i64toa(b.orderID[3])}})); !strings.Contains(msg, "注文者が異なるため同梱できません") {
			t.Fatalf("bundle of two buyers: %q", msg)
		}
		msg := flash(s.do(http.MethodPost, "/orders/bundle", url.Values{"id": {i64toa(newer), i64toa(older)}}))
		if !strings.Contains(msg, "2件の注文を同梱しました。同梱親は注文 "+pair[0].Number) {
			t.Fatalf("bundle: %q", msg)
		}
		child := s.do(http.MethodGet, idPath(newer), nil).Body.String()
		if !strings.Contains(child, `href="`+idPath(older)+`"`) || !strings.Contains(child, "data-bundle-parent") || !strings.Contains(child, "同梱子") {
			t.Fatal("the bundle child's page does not link its parent")
		}
		parent := s.do(http.MethodGet, idPath(older), nil).Body.String()
		if !strings.Contains(parent, pair[1].Number) || !strings.Contains(parent, `action="`+idPath(older)+`/unbundle"`) {
			t.Fatal("the bundle parent's page does not list its child and offer 同梱解除")
		}
		if msg := flash(s.do(http.MethodPost, idPath(older)+"/unbundle", url.Values{})); !strings.Contains(msg, "同梱を解除しました") {
			t.Fatalf("unbundle: %q", msg)
		}
		for _, id := range []int64{older, newer} {
			if o, _ := b.st.GetOrder(ctx, id); o.ManagementClass != order.Normal {
				t.Fatalf("order %d is %s after 同梱解除", id, o.ManagementClass)
			}
		}
		if msg := flash(s.do(http.MethodPost, idPath(older)+"/unbundle", url.Values{})); !strings.Contains(msg, "同梱親ではありません") {
			t.Fatalf("unbundle of a normal order: %q", msg)
		}
	})
}

// TestSplitWarnsOnAuPayFirst: on au PAY the split form shows the channel's warning with a
// checkbox, and the server refuses a split without it; with it the child is made, links its
// origin, and 分割解除 from the child brings the lines back.
func TestSplitWarnsOnAuPayFirst(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		_, o := b.auOrder(t)
		page := html.UnescapeString(s.do(http.MethodGet, idPath(o.ID), nil).Body.String())
		if !strings.Contains(page, "配送番号を1つしか登録できません") || !strings.Contains(page, `name="accept_warning"`) {
			t.Fatal("the au PAY order's split form does not warn")
		}
		split := url.Values{"qty": {"1", "0"}}
		if msg := flash(s.do(http.MethodPost, idPath(o.ID)+"/split", split)); !strings.Contains(msg, "確認したことをチェック") {
			t.Fatalf("a split without the confirmation: %q", msg)
		}
		split.Set("accept_warning", "1")
		msg := flash(s.do(http.MethodPost, idPath(o.ID)+"/split", split))
		if !strings.Contains(msg, "注文 900000001-1 を作成しました") {
			t.Fatalf("split: %q", msg)
		}
		child, err := b.st.GetOrderByNumber(ctx, o.ShopID, "900000001-1")
		if err != nil || child.SplitFromID != o.ID || len(child.Lines) != 1 || child.Lines[0].Quantity != 1 {
			t.Fatalf("child %+v, %v", child, err)
		}
		childPage := s.do(http.MethodGet, idPath(child.ID), nil).Body.String()
		if !strings.Contains(childPage, "data-split-origin") || !strings.Contains(childPage, `href="`+idPath(o.ID)+`"`) {
			t.Fatal("the split child's page does not link its origin")
		}
		if msg := flash(s.do(http.MethodPost, idPath(o.ID)+"/split", url.Values{"qty": {"9"}, "accept_warning": {"1"}})); !strings.Contains(msg, "までです") {
			t.Fatalf("too many pieces: %q", msg)
		}
		w := s.do(http.MethodPost, idPath(child.ID)+"/unsplit", url.Values{})
		if loc := w.Header().Get("Location"); loc != idPath(o.ID) || !strings.Contains(flash(w), "分割を解除しました") {
			t.Fatalf("unsplit from the child: to %q, %q", loc, flash(w))
		}
		back, _ := b.st.GetOrder(ctx, o.ID)
		if back.ManagementClass != order.Normal || back.Lines[0].Quantity != 2 {
			t.Fatalf("after 分割解除: %s, %+v", back.ManagementClass, back.Lines)
		}
		// Rakuten keeps a parcel per order: no warning, no confirmation needed.
		if msg := flash(s.do(http.MethodPost, idPath(b.orderID[1])+"/split", url.Values{"qty": {"1"}})); !strings.Contains(msg, "を作成しました") {
			t.Fatalf("a Rakuten split: %q", msg)
		}
	})
}

// TestWatchSaysWhenTheRuleIsDone: after a move into a started rule's phase, the list watches
// the phase; the banner asks again while orders wait there and says done once they left.
func TestWatchSaysWhenTheRuleIsDone(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	ctx := t.Context()
	target := b.phases["出荷待ち"].ID
	if _, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: target,
		SuccessPhaseID: b.phases["出荷済み"].ID, ErrorPhaseID: b.phases["エラー"].ID, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	s := b.loginAs(t, only(user.MenuOrders, user.Update))
	w := s.do(http.MethodPost, "/orders/move", url.Values{"id": {i64toa(b.orderID[0])}, "phase_id": {i64toa(target)}})
	loc := w.Header().Get("Location")
	list := s.do(http.MethodGet, loc, nil).Body.String()
	if !strings.Contains(list, "/orders/watch?back=%2Forders&amp;batch=") {
		t.Fatalf("the list after the move (%s) does not watch the move's batch", loc)
	}
	// A page that watches the phase alone (an order page's move) asks about the phase.
	start := "/orders/watch?back=%2Forders&phase=" + i64toa(target)
	running := s.do(http.MethodGet, start, nil).Body.String()
	if !strings.Contains(running, "残り1件") || !strings.Contains(running, "hx-get=") {
		t.Fatalf("while the order waits: %s", running)
	}
	if _, err := b.st.MoveOrders(ctx, []int64{b.orderID[0]}, b.phases["出荷済み"].ID, "system"); err != nil {
		t.Fatal(err)
	}
	done := s.do(http.MethodGet, start, nil).Body.String()
	if !strings.Contains(done, "自動処理「出荷情報反映」が終わりました") || strings.Contains(done, "hx-get=") {
		t.Fatalf("after the order left: %s", done)
	}
	if plain := s.do(http.MethodPost, "/orders/move", url.Values{"id": {i64toa(b.orderID[1])}, "phase_id": {i64toa(b.phases["保留"].ID)}}); strings.Contains(plain.Header().Get("Location"), "watch=") {
		t.Fatal("a move into a phase without a rule is watched")
	}
}
