package web

import (
	"bytes"
	"encoding/csv"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// flash is the message a redirect leaves for the next page.
func flash(w interface{ Result() *http.Response }) string {
	for _, c := range w.Result().Cookies() {
		if c.Name == flashCookie && c.MaxAge > 0 {
			return decodeFlash(c.Value)
		}
	}
	return ""
}

// TestBulkMoveQueuesThePhasesRuleInTheSameTransaction: moving orders into a rule's target phase
// from the list queues the rule's dispatch with the move.
func TestBulkMoveQueuesThePhasesRuleInTheSameTransaction(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		target := b.phases["出荷待ち"].ID
		if _, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: target,
			SuccessPhaseID: b.phases["出荷済み"].ID, ErrorPhaseID: b.phases["エラー"].ID, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		form := url.Values{"id": {i64toa(b.orderID[0]), i64toa(b.orderID[1]), i64toa(b.orderID[2])}, "phase_id": {i64toa(target)}, "shop": {i64toa(b.shop.ID)}}
		w := s.do(http.MethodPost, "/orders/move", form)
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/orders?shop="+i64toa(b.shop.ID)+"&watch="+i64toa(target)+"&watchbatch=") {
			t.Fatalf("move: %d to %q, want back to the list with its filter, watching the rule's phase", w.Code, w.Header().Get("Location"))
		}
		if msg := flash(w); !strings.Contains(msg, "3件の注文を「出荷待ち」に移動しました") {
			t.Fatalf("message %q", msg)
		}
		for _, id := range b.orderID[:3] {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil || o.PhaseID != target {
				t.Fatalf("order %d in phase %d, %v", id, o.PhaseID, err)
			}
		}
		var queued int
		if err := b.st.DB().QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE kind = 'dispatch'").Scan(&queued); err != nil {
			t.Fatal(err)
		}
		if queued == 0 {
			t.Fatal("no dispatch queued for the target phase's rule")
		}
	})
}

// TestBulkActionOnEveryResult: "検索結果すべて" acts on every order the filter finds, not just
// the page shown.
func TestBulkActionOnEveryResult(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		hold := b.phases["保留"].ID
		w := s.do(http.MethodPost, "/orders/move", url.Values{"all": {"1"}, "market": {string(order.StatusAwaitingShipment)}, "size": {"2"}, "phase_id": {i64toa(hold)}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("move all: %d", w.Code)
		}
		if msg := flash(w); !strings.Contains(msg, "7件の注文") { // MakeOrders: every fourth awaits shipment
			t.Fatalf("message %q, want 7 orders moved", msg)
		}
		list := s.do(http.MethodGet, "/orders?phase="+i64toa(hold), nil).Body.String()
		if !strings.Contains(list, "<strong>7</strong>") {
			t.Fatal("the list of the phase does not count 7 orders")
		}
	})
}

// TestLinkStatusOnlyToWhatTheChannelAllows: a Rakuten order's link status can be set back to
// 空欄 by hand, never to an error state.
func TestLinkStatusOnlyToWhatTheChannelAllows(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		id := i64toa(b.orderID[4])
		w := s.do(http.MethodPost, "/orders/link-status", url.Values{"id": {id}, "link_status": {string(rakuten.LinkConfirmError)}})
		if msg := flash(w); !strings.Contains(msg, "手動で") {
			t.Fatalf("an error state set by hand: %q", msg)
		}
		if o, _ := b.st.GetOrder(ctx, b.orderID[4]); o.LinkStatus != "" {
			t.Fatalf("link status became %q", o.LinkStatus)
		}
		s.do(http.MethodPost, "/orders/"+id+"/link-status", url.Values{"link_status": {string(rakuten.LinkShipReported)}})
		if o, _ := b.st.GetOrder(ctx, b.orderID[4]); o.LinkStatus != string(rakuten.LinkShipReported) {
			t.Fatalf("link status %q, want 発送完了報告済み", o.LinkStatus)
		}
		page := s.do(http.MethodGet, "/orders/"+id, nil).Body.String()
		if !strings.Contains(page, "発送完了報告済み") || !strings.Contains(page, s.login) {
			t.Fatal("the order page does not show the new status and who set it")
		}
	})
}

// TestShipmentOutsideTheOrderIsRefused: the order page refuses a ship date far ahead or before
// the order with the range it takes, and a package the order does not have; nothing is saved.
func TestShipmentOutsideTheOrderIsRefused(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		b.h.deps.Now = func() time.Time { return base.Add(4 * 24 * time.Hour) }
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		o, err := b.st.GetOrder(ctx, b.orderID[6])
		if err != nil {
			t.Fatal(err)
		}
		path := "/orders/" + i64toa(o.ID) + "/shipments"
		for _, c := range []struct{ key, date, want string }{
			{"1", "2099-12-31", "受け付けられるのは 2026/10/31 から 2026/11/12 までです"},
			{"1", "2026-10-30", "受け付けられるのは 2026/10/31 から 2026/11/12 までです"},
			{"7", "2026-11-02", "送付先「7」はこの注文にありません。"},
		} {
			form := url.Values{"version": {i64toa(o.Version)}, "package_key": {c.key}, "ref": {""}, "ship_date": {c.date}, "carrier": {"1001"}, "tracking": {"444413758703"}}
			w := s.do(http.MethodPost, path, form)
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(w.Body.String()), c.want) {
				t.Errorf("%s %s: %d, want 422 saying %q", c.key, c.date, w.Code, c.want)
			}
		}
		if got, _ := b.st.GetOrder(ctx, o.ID); len(got.Shipments) != 0 {
			t.Fatal("a refused shipment was saved")
		}
	})
}

// TestShipmentTrackingNumberIsChecked: a Yamato number with a wrong check digit is refused
// with the carrier check's message and nothing is saved; a right one typed in full width is
// saved normalised.
func TestShipmentTrackingNumberIsChecked(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		o, err := b.st.GetOrder(ctx, b.orderID[5])
		if err != nil {
			t.Fatal(err)
		}
		path := "/orders/" + i64toa(o.ID) + "/shipments"
		bad := url.Values{"version": {i64toa(o.Version)}, "package_key": {"1"}, "ref": {""}, "ship_date": {"2026-11-02"}, "carrier": {"1001"}, "tracking": {"444413758704"}}
		w := s.do(http.MethodPost, path, bad)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(w.Body.String()), "チェックデジットが合いません") {
			t.Fatalf("bad tracking number: %d", w.Code)
		}
		if got, _ := b.st.GetOrder(ctx, o.ID); len(got.Shipments) != 0 {
			t.Fatal("a refused shipment was saved")
		}
		good := bad
		good.Set("tracking", "４４４４－１３７５－８７０３")
		if w := s.do(http.MethodPost, path, good); w.Code != http.StatusSeeOther {
			t.Fatalf("good tracking number: %d\n%s", w.Code, w.Body.String())
		}
		got, _ := b.st.GetOrder(ctx, o.ID)
		if len(got.Shipments) != 1 || got.Shipments[0].TrackingNumber != "444413758703" || got.Shipments[0].ShipDate != "2026-11-02" {
			t.Fatalf("saved %+v", got.Shipments)
		}
		if w := s.do(http.MethodPost, path, good); w.Code != http.StatusConflict {
			t.Fatalf("a save from a stale page: %d, want 409", w.Code)
		}
	})
}

// TestOrderPagesShowUnfixedAmounts: an amount the marketplace has not fixed reads 未確定, in
// the list and on the order.
func TestOrderPagesShowUnfixedAmounts(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	s := b.loginAs(t, only(user.MenuOrders, user.View))
	unfixed := b.orderID[9] // MakeOrders: every tenth has its postage unfixed
	page := s.do(http.MethodGet, "/orders/"+i64toa(unfixed), nil)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "未確定") {
		t.Fatalf("order page: %d, no 未確定", page.Code)
	}
	list := s.do(http.MethodGet, "/orders?q=-00000010", nil).Body.String()
	if !strings.Contains(list, "<strong>1</strong>") || !strings.Contains(list, "未確定") {
		t.Fatal("keyword search does not find the order with its 未確定 total")
	}
	if w := s.do(http.MethodGet, "/orders?from=2026-13-01", nil); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "2026-11-01 の形で") {
		t.Fatalf("unreadable date: %d", w.Code)
	}
}

// TestCSVInShiftJIS: the export in Shift_JIS reads back with every order of the search.
func TestCSVInShiftJIS(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite)
	s := b.loginAs(t, only(user.MenuOrders, user.View))
	w := s.do(http.MethodGet, "/orders/export.csv?enc=sjis&shop="+i64toa(b.shop.ID), nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "shift_jis") {
		t.Fatalf("export: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	utf8, err := io.ReadAll(japanese.ShiftJIS.NewDecoder().Reader(bytes.NewReader(w.Body.Bytes())))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(utf8)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 31 || rows[0][1] != "注文番号" || rows[1][4] == "" {
		t.Fatalf("%d rows, header %v, first %v", len(rows), rows[0], rows[1])
	}
	picked := s.do(http.MethodGet, "/orders/export.csv?ids="+i64toa(b.orderID[0])+","+i64toa(b.orderID[1]), nil)
	if n := strings.Count(picked.Body.String(), "\r\n"); n != 3 {
		t.Fatalf("export of two picked orders has %d lines", n)
	}
}

// TestHistoryShowsTheRecordedCall: 連携履歴 lists the call and opens its request and response.
func TestHistoryShowsTheRecordedCall(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, only(user.MenuHistory, user.View))
		list := s.do(http.MethodGet, "/history?outcome=rejected&shop="+i64toa(b.shop.ID), nil).Body.String()
		if !strings.Contains(list, "confirmOrder") || !strings.Contains(list, "E105") {
			t.Fatal("the call is not listed")
		}
		if none := s.do(http.MethodGet, "/history?outcome=ok", nil).Body.String(); strings.Contains(none, "confirmOrder") {
			t.Fatal("the outcome filter does not filter")
		}
		detail := html.UnescapeString(s.do(http.MethodGet, "/history/"+i64toa(b.callID), nil).Body.String())
		if !strings.Contains(detail, `{"orderNumberList":["x"]}`) {
			t.Fatal("the request is not shown")
		}
		if w := s.do(http.MethodGet, "/history/999999", nil); w.Code != http.StatusNotFound {
			t.Fatalf("unknown call: %d", w.Code)
		}
	})
}
