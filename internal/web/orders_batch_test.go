package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestBulkMoveBannerCountsExactlyTheBatch: after a bulk move into a started rule's phase the
// banner counts the moved orders — waiting (amber), then succeeded and failed (red as soon as one
// failed) — asks the rows to refresh when the counts change, stops once none waits, and its
// 「結果を表示」 lists exactly the moved orders, on both engines.
func TestBulkMoveBannerCountsExactlyTheBatch(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		target, done, failed := b.phases["出荷待ち"].ID, b.phases["出荷済み"].ID, b.phases["エラー"].ID
		if _, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobShipReport, TargetPhaseID: target,
			SuccessPhaseID: done, ErrorPhaseID: failed, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		moved := b.orderID[:3]
		w := s.do(http.MethodPost, "/orders/move", url.Values{"id": {i64toa(moved[0]), i64toa(moved[1]), i64toa(moved[2])}, "phase_id": {i64toa(target)}})
		m := regexp.MustCompile(`watchbatch=(\d+)`).FindStringSubmatch(w.Header().Get("Location"))
		if m == nil {
			t.Fatalf("the move goes to %q, which watches no batch", w.Header().Get("Location"))
		}
		batch := m[1]
		list := html.UnescapeString(s.do(http.MethodGet, w.Header().Get("Location"), nil).Body.String())
		if !strings.Contains(list, "/orders/watch?back=%2Forders&batch="+batch) || !strings.Contains(list, `id="order-rows"`) {
			t.Fatalf("the list after the move does not watch batch %s or has no rows to refresh", batch)
		}
		ask := func(state string) (*http.Response, string) {
			t.Helper()
			q := url.Values{"batch": {batch}, "back": {"/orders"}}
			if state != "" {
				q.Set("s", state)
				q.Set("since", "1")
			}
			r := s.do(http.MethodGet, "/orders/watch?"+q.Encode(), nil)
			return r.Result(), html.UnescapeString(r.Body.String())
		}
		resp, banner := ask("")
		if !strings.Contains(banner, "成功 0件") || !strings.Contains(banner, "待ち 3件") || !strings.Contains(banner, `data-tone="waiting"`) ||
			!strings.Contains(banner, "hx-get=") || resp.Header.Get("HX-Trigger") != rowsEvent {
			t.Fatalf("while all three wait (trigger %q): %s", resp.Header.Get("HX-Trigger"), banner)
		}
		if resp, _ := ask("0-0-3"); resp.Header.Get("HX-Trigger") != "" {
			t.Fatal("an unchanged count asks the rows to refresh")
		}
		// The rule reports one and fails one; the third still waits.
		if _, err := b.st.MoveOrders(ctx, moved[:1], done, "system"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.MoveOrders(ctx, moved[1:2], failed, "system"); err != nil {
			t.Fatal(err)
		}
		resp, banner = ask("0-0-3")
		if !strings.Contains(banner, "成功 1件") || !strings.Contains(banner, "失敗 1件") || !strings.Contains(banner, "待ち 1件") ||
			!strings.Contains(banner, `data-tone="failed"`) || !strings.Contains(banner, `role="alert"`) || !strings.Contains(banner, "hx-get=") ||
			resp.Header.Get("HX-Trigger") != rowsEvent {
			t.Fatalf("after one reported and one failed (trigger %q): %s", resp.Header.Get("HX-Trigger"), banner)
		}
		if _, err := b.st.MoveOrders(ctx, moved[2:], done, "system"); err != nil {
			t.Fatal(err)
		}
		_, banner = ask("1-1-1")
		if !strings.Contains(banner, "成功 2件") || !strings.Contains(banner, "失敗 1件") || !strings.Contains(banner, "待ち 0件") ||
			!strings.Contains(banner, `data-tone="failed"`) || strings.Contains(banner, "hx-get=") || !strings.Contains(banner, `href="/orders?batch=`+batch+`"`) {
			t.Fatalf("once none waits: %s", banner)
		}
		result := html.UnescapeString(s.do(http.MethodGet, "/orders?batch="+batch, nil).Body.String())
		for i, id := range b.orderID[:5] {
			if listed := strings.Contains(result, `data-row="`+i64toa(id)+`"`); listed != (i < 3) {
				t.Fatalf("order %d listed %v in the batch's result", id, listed)
			}
		}
		if !strings.Contains(result, "3件") || !strings.Contains(result, "data-batch-chip") {
			t.Fatal("the batch's result does not count 3 orders or show its condition")
		}
	})
}

// TestPagerCountsHonestly: a capped count says 「10,000件以上」 and the pager, not knowing the last
// page, ends after the next one; a known count numbers its first, last and nearby pages.
func TestPagerCountsHonestly(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	if got := totalText(ctx, store.CountCap+1); got != "10,000件以上" {
		t.Fatalf("a capped count reads %q", got)
	}
	if got := totalText(ctx, 130); got != "130件" {
		t.Fatalf("130 reads %q", got)
	}
	str := func(ls []pageLink) string {
		var parts []string
		for _, l := range ls {
			switch {
			case l.Gap:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, "["+itoa(l.N)+"]")
			default:
				parts = append(parts, itoa(l.N))
			}
		}
		return strings.Join(parts, " ")
	}
	for _, c := range []struct {
		total      int64
		page, size int
		rows       int
		want       string
	}{
		{130, 1, 50, 50, "[1] 2 3"},
		{1000, 10, 50, 50, "1 … 8 9 [10] 11 12 … 20"},
		{1000, 20, 50, 50, "1 … 18 19 [20]"},
		{store.CountCap + 1, 7, 50, 50, "1 … 5 6 [7] 8 …"},
		{store.CountCap + 1, 300, 50, 10, "1 … 298 299 [300]"}, // a short page is the last
	} {
		page := store.OrderPage{Total: c.total, Page: c.page, PageSize: c.size}
		page.Orders = make([]order.Order, c.rows)
		if got := str(pageLinks(page)); got != c.want {
			t.Errorf("%d orders, page %d of %d: %q, want %q", c.total, c.page, c.size, got, c.want)
		}
	}
}
