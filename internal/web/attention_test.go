package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// errorGroupLink finds the links of the error groups' counts on 要対応.
var errorGroupLink = regexp.MustCompile(`<a href="([^"]+)" data-error-group><strong>([^<]+)</strong>件</a>`)

// TestStartPageGroupsErrorsByCauseAndLinksToExactlyThem: 要対応 is the start page of whoever may
// view orders; it groups the orders in error by status and message with their count, and each
// group's link opens the order list of exactly its orders, whose 「検索結果すべて」 sends exactly
// them again.
func TestStartPageGroupsErrorsByCauseAndLinksToExactlyThem(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		const postcode, noShipDate = "送付先の郵便番号が正しくありません。", "「発送日」が登録されていません。"
		set := func(ids []int64, status workflow.LinkStatus, message string) {
			t.Helper()
			if err := b.st.SetLinkStatus(ctx, ids, store.Link{Status: string(status), Message: message}); err != nil {
				t.Fatal(err)
			}
		}
		set(b.orderID[0:5], rakuten.LinkShipReportError, postcode)
		set(b.orderID[5:7], rakuten.LinkShipReportError, noShipDate)
		set(b.orderID[7:8], rakuten.LinkConfirmError, postcode)
		set(b.orderID[8:9], rakuten.LinkConfirmError, "") // no message: a group too
		set(b.orderID[9:12], rakuten.LinkShipReported, "")

		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		w := s.do(http.MethodGet, "/", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("start page: %d to %q, want 要対応 itself", w.Code, w.Header().Get("Location"))
		}
		page := w.Body.String()
		if !strings.Contains(page, `href="/attention" class="active"`) {
			t.Error("the navigation does not show 要対応 as the current page")
		}
		if strings.Contains(page, "対応が必要なものはありません。") {
			t.Error("the page says nothing needs attention while orders are in error")
		}
		links := errorGroupLink.FindAllStringSubmatch(page, -1)
		if len(links) != 4 || links[0][2] != "5" || links[1][2] != "2" {
			t.Fatalf("error groups %v, want 4 with the largest (5, then 2) first", links)
		}
		text := html.UnescapeString(page)
		for _, want := range []string{"発送完了報告エラー", "注文確認エラー", postcode, noShipDate, "(メッセージなし)"} {
			if !strings.Contains(text, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(text, "発送完了報告済み") {
			t.Error("a status that is no error is shown as one")
		}

		// Each group's link lists exactly its orders.
		number := func(id int64) string {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return o.Number
		}
		groups := map[string][]int64{}
		for _, l := range links {
			target := html.UnescapeString(l[1])
			list := htmlOf(s, target)
			q, _ := url.ParseQuery(strings.TrimPrefix(target, "/orders?"))
			groups[q.Get("link")+" "+q.Get("msg")] = nil
			for _, id := range b.orderID {
				o, _ := b.st.GetOrder(ctx, id)
				in := strings.Contains(list, ">"+o.Number+"<")
				want := o.LinkStatus == q.Get("link") && (o.LinkMessage == q.Get("msg") || o.LinkMessage == "" && q.Get("msg") == linkBlank)
				if in != want {
					t.Errorf("the list of group %s %q shows order %s: %v, want %v", q.Get("link"), q.Get("msg"), o.Number, in, want)
				}
			}
			if !strings.Contains(list, `<strong>`+l[2]+`</strong>件`) {
				t.Errorf("the list of group %s %q does not count %s orders", q.Get("link"), q.Get("msg"), l[2])
			}
			if !strings.Contains(list, `name="msg" value="`+q.Get("msg")+`"`) {
				t.Errorf("the list of group %s %q does not carry the message in its forms", q.Get("link"), q.Get("msg"))
			}
		}
		if len(groups) != 4 {
			t.Fatalf("groups %v: two links lead to the same list", groups)
		}

		// 「検索結果すべて」 of the largest group sends exactly its five orders again (空欄).
		first, _ := url.ParseQuery(strings.TrimPrefix(html.UnescapeString(links[0][1]), "/orders?"))
		form := url.Values{"all": {"1"}, "link_status": {""}}
		for k, v := range first {
			form[k] = v
		}
		w = s.do(http.MethodPost, "/orders/link-status", form)
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "5件の注文の連携ステータスを「空欄(未処理)」に変更しました") {
			t.Fatalf("bulk retry of the group: %d, %q", w.Code, flash(w))
		}
		for i, id := range b.orderID[:8] {
			o, _ := b.st.GetOrder(ctx, id)
			if (o.LinkStatus == "") != (i < 5) {
				t.Errorf("order %s after the group's retry: %q", number(id), o.LinkStatus)
			}
		}
		if links := errorGroupLink.FindAllStringSubmatch(s.do(http.MethodGet, "/", nil).Body.String(), -1); len(links) != 3 {
			t.Fatalf("groups after the retry %v, want the other 3", links)
		}
	})
}

// TestStartPageSaysWhenNothingNeedsAttention: with no error, credentials set and far from
// expiry, and no stopped rule holding orders up, 要対応 says so plainly and shows the
// countdown; an auth error, a key about to expire and a stopped rule with orders waiting each
// bring the shop back.
func TestStartPageSaysWhenNothingNeedsAttention(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		if err := b.st.SetCredentialsExpiry(ctx, b.shop.ID, time.Now().Add(30*24*time.Hour-time.Hour)); err != nil {
			t.Fatal(err)
		}
		calm := storetest.MakeOrders(1, len(b.orderID), base) // the fixture's orders, ...
		for i := range calm {
			if !calm[i].Amounts.Postage.Fixed() { // ... none waiting for its postage
				calm[i].MarketplaceStatus, calm[i].MarketplaceStatusRaw = order.StatusCancelled, "900"
			}
		}
		if _, err := b.st.UpsertOrders(ctx, b.shop.ID, calm, store.UpsertOptions{}); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		page := htmlOf(s, "/attention")
		// The payment review rule is stopped, but nothing waits in its target phase.
		if !strings.Contains(page, "対応が必要なものはありません。") || !strings.Contains(page, "(あと30日)") ||
			!strings.Contains(page, "決済審査結果確認") {
			t.Fatalf("the page of a calm day lacks the all-clear, the countdown or the stopped rule:\n%s", page)
		}
		if strings.Contains(page, `href="/settings/shops/`) {
			t.Error("a group without the shop settings is sent to them")
		}
		if !strings.Contains(page, `data-calls="0"`) || !strings.Contains(page, "0回 (上限の0.0%)") {
			t.Error("the shop's calls of the last hour are not shown as none")
		}

		// The last hour's calls against RMS's quota of one a second; failures link to the history.
		for i := range 36 {
			call := channel.Call{At: time.Now().Add(-time.Duration(i+1) * time.Minute), ShopID: b.shop.ID, Operation: "getOrder", Outcome: channel.OutcomeOK, HTTPStatus: 200}
			if i == 0 {
				call.Outcome, call.HTTPStatus = channel.OutcomeRejected, 400
			}
			if _, err := b.st.RecordCall(ctx, call); err != nil {
				t.Fatal(err)
			}
		}
		page = htmlOf(s, "/attention")
		if !strings.Contains(page, "36回 (上限の1.0%)") || !strings.Contains(page, "失敗: 1回") {
			t.Errorf("the last hour's calls are not shown against the quota:\n%s", page)
		}
		history := `href="/history?shop=` + i64toa(b.shop.ID) + `">失敗: 1回`
		if strings.Contains(page, history) {
			t.Error("a group without 連携履歴 is sent to it")
		}
		if !strings.Contains(htmlOf(b.loginAs(t, user.AdminPermissions()), "/attention"), history) {
			t.Error("the failures do not link to the shop's 連携履歴")
		}

		if err := b.st.SetCredentialsExpiry(ctx, b.shop.ID, time.Now().Add(5*24*time.Hour-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.MarkAuthError(ctx, b.shop.ID, "licenseKeyが無効です。"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.MoveOrders(ctx, b.orderID[:3], b.phases["入金待ち"].ID, "tester"); err != nil {
			t.Fatal(err)
		}
		page = htmlOf(s, "/attention")
		for _, want := range []string{"licenseKeyが無効です。", "認証エラーのため、この店舗の自動処理は止まっています。", "まで、あと5日です。",
			"自動処理「決済審査結果確認」が停止中です。", "対象処理フェーズで3件の注文が待っています。"} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(page, "対応が必要なものはありません。") {
			t.Error("the page says nothing needs attention")
		}
		waiting := "/orders?phase=" + i64toa(b.phases["入金待ち"].ID) + "&shop=" + i64toa(b.shop.ID)
		if !strings.Contains(page, `href="`+waiting+`"`) {
			t.Errorf("the stopped rule does not link to its waiting orders (%s)", waiting)
		}
		admin := b.loginAs(t, user.AdminPermissions())
		if got := htmlOf(admin, "/attention"); !strings.Contains(got, `href="/settings/shops/`+i64toa(b.shop.ID)+`#credentials"`) ||
			!strings.Contains(got, `href="`+rulesPath(b.shop.ID)+`"`) {
			t.Error("an administrator is not sent to the shop and rule settings")
		}
	})
}

// TestStartPageOfOtherGroupsIsTheirFirstMenu: a group that may not view orders keeps going to
// its first menu, sees no 要対応, and is refused it.
func TestStartPageOfOtherGroupsIsTheirFirstMenu(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, only(user.MenuHistory, user.View))
		if w := s.do(http.MethodGet, "/", nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/history" {
			t.Fatalf("start page of a history group: %d to %q, want /history", w.Code, w.Header().Get("Location"))
		}
		if strings.Contains(s.do(http.MethodGet, "/history", nil).Body.String(), `href="/attention"`) {
			t.Error("要対応 is in the navigation of a group without orders")
		}
		if w := s.do(http.MethodGet, "/attention", nil); w.Code != http.StatusForbidden {
			t.Errorf("要対応 for a group without orders: %d, want 403", w.Code)
		}
	})
}

// TestOrderListFiltersByLinkMessageWhole: the link message filter matches the whole message,
// shows as a chip that removes it, and the CSV of the list carries it.
func TestOrderListFiltersByLinkMessageWhole(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		msg := "送付先の郵便番号が正しくありません。"
		if err := b.st.SetLinkStatus(ctx, b.orderID[:2], store.Link{Status: string(rakuten.LinkShipReportError), Message: msg}); err != nil {
			t.Fatal(err)
		}
		if err := b.st.SetLinkStatus(ctx, b.orderID[2:3], store.Link{Status: string(rakuten.LinkShipReportError), Message: msg + "(2)"}); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		list := htmlOf(s, "/orders?msg="+url.QueryEscape(msg))
		if !strings.Contains(list, "<strong>2</strong>件") || !strings.Contains(list, "「"+msg+"」") {
			t.Fatal("the list filtered by a message does not find exactly its 2 orders with the chip")
		}
		if !strings.Contains(list, `<a href="/orders" aria-label="この条件を外す"`) {
			t.Error("the chip does not link to the list without the message")
		}
		csv := s.do(http.MethodGet, "/orders/export.csv?msg="+url.QueryEscape(msg), nil).Body.String()
		if n := strings.Count(csv, "\r\n"); n != 3 {
			t.Errorf("the CSV of the list filtered by the message has %d lines, want a header and 2 orders", n)
		}
	})
}
