package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestImportDialogQueuesADateRangeImport: 受注取込 offers the shop's date-range import from the
// order list with 同一注文を上書きする unticked; a range that ends before it starts, reaches into
// the future or further back than the marketplaces search is refused with what to enter and
// queues nothing; a good one queues jobs.ImportRangeArgs for the Japan-time days (the last up to
// now) and the banner says it is queued and where to watch it. A view level and a write
// without the session's token queue nothing.
func TestImportDialogQueuesADateRangeImport(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		s := b.loginAs(t, map[user.Menu]user.Level{user.MenuOrders: user.Update, user.MenuHistory: user.View})
		shopID := i64toa(b.shop.ID)
		queued := func() []jobs.ImportRangeArgs {
			t.Helper()
			var out []jobs.ImportRangeArgs
			for _, raw := range b.queued(t, jobs.ImportRangeArgs{}.Kind()) {
				var a jobs.ImportRangeArgs
				if err := json.Unmarshal([]byte(raw), &a); err != nil {
					t.Fatal(err)
				}
				out = append(out, a)
			}
			return out
		}

		if list := htmlOf(s, "/orders?shop="+shopID); !strings.Contains(list, `href="/orders/import?shop=`+shopID+`"`) {
			t.Fatal("the order list offers no 受注取込 for its shop")
		}
		page := htmlOf(s, "/orders/import?shop="+shopID)
		for _, want := range []string{`action="/orders/import"`, `<option value="` + shopID + `" selected>`, `name="overwrite" value="1">`,
			"同一注文を上書きする", `href="/history?kind=import&shop=` + shopID + `"`} {
			if !strings.Contains(page, want) {
				t.Fatalf("the import page does not show %q", want)
			}
		}

		now := time.Now().In(order.JST)
		day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
		for _, c := range []struct {
			from, to, want string
		}{
			{day(-1), day(-2), "取込期間の開始日(" + day(-1) + ")は終了日(" + day(-2) + ")以前にしてください。"},
			{day(-1), day(1), "取込期間の終了日に未来の日付は指定できません。今日(" + day(0) + ")までの日付を入力してください。"},
			{day(-800), day(0), "取込期間の開始日は" + earliestImportDay(time.Now()).Format(time.DateOnly) + "以降にしてください"},
			{"", day(0), "取込期間の開始日と終了日を入力してください。"},
			{"11/31", day(0), "取込期間の開始日「11/31」が読めません。"},
		} {
			w := s.do(http.MethodPost, "/orders/import", url.Values{"shop": {shopID}, "from": {c.from}, "to": {c.to}})
			if body := html.UnescapeString(w.Body.String()); w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) || !strings.Contains(body, `value="`+c.to+`"`) {
				t.Errorf("%s〜%s: %d, want 422 with %q and the dates kept", c.from, c.to, w.Code, c.want)
			}
		}
		if w := s.do(http.MethodPost, "/orders/import", url.Values{"from": {day(0)}, "to": {day(0)}}); !strings.Contains(html.UnescapeString(w.Body.String()), "取り込む店舗を選んでください。") {
			t.Errorf("no shop: %d", w.Code)
		}
		if got := queued(); len(got) != 0 {
			t.Fatalf("refused forms queued %+v", got)
		}

		w := s.do(http.MethodPost, "/orders/import", url.Values{"shop": {shopID}, "from": {day(-3)}, "to": {day(-1)}})
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "店舗「tea」の受注取込("+day(-3)+"〜"+day(-1)+")を登録しました。") ||
			!strings.Contains(flash(w), "上書きせず") || !strings.Contains(flash(w), "連携履歴(処理「受注取込」)で確認できます") {
			t.Fatalf("a good range: %d %q", w.Code, flash(w))
		}
		before := time.Now()
		w = s.do(http.MethodPost, "/orders/import", url.Values{"shop": {shopID}, "from": {day(0)}, "to": {day(0)}, "overwrite": {"1"}})
		if w.Code != http.StatusSeeOther || !strings.Contains(flash(w), "モールの内容で上書きします") {
			t.Fatalf("today with overwrite: %d %q", w.Code, flash(w))
		}
		got := queued()
		start := func(d int) time.Time {
			y, m, dd := now.AddDate(0, 0, d).Date()
			return time.Date(y, m, dd, 0, 0, 0, 0, order.JST)
		}
		if len(got) != 2 || got[0].ShopID != b.shop.ID || !got[0].From.Equal(start(-3)) || !got[0].To.Equal(start(0)) || got[0].Overwrite {
			t.Fatalf("queued %+v, want %s to %s without overwrite", got, start(-3), start(0))
		}
		if !got[1].From.Equal(start(0)) || got[1].To.Before(before) || got[1].To.After(time.Now()) || !got[1].Overwrite {
			t.Fatalf("today queued %+v, want from %s to now with overwrite", got[1], start(0))
		}

		viewer := b.loginAs(t, only(user.MenuOrders, user.View))
		if w := viewer.do(http.MethodPost, "/orders/import", url.Values{"shop": {shopID}, "from": {day(0)}, "to": {day(0)}}); w.Code != http.StatusForbidden {
			t.Errorf("a view level: %d, want 403", w.Code)
		}
		if list := htmlOf(viewer, "/orders"); strings.Contains(list, `href="/orders/import`) {
			t.Error("a view level is offered 受注取込")
		}
		noToken := &session{b: b, token: s.token}
		if w := noToken.do(http.MethodPost, "/orders/import", url.Values{"shop": {shopID}, "from": {day(0)}, "to": {day(0)}}); w.Code != http.StatusForbidden {
			t.Errorf("a write without the CSRF token: %d, want 403", w.Code)
		}
		if n := len(queued()); n != 2 {
			t.Fatalf("%d imports queued, want the 2 accepted", n)
		}
	})
}
