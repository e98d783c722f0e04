package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// batchOf follows a bulk action's redirect to the list and returns the batch the list watches.
func (s *session) batchOf(t *testing.T, w interface{ Header() http.Header }) string {
	t.Helper()
	loc := w.Header().Get("Location")
	m := regexp.MustCompile(`watchbatch=(\d+)`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("the action goes to %q, which watches no batch", loc)
	}
	list := html.UnescapeString(s.do(http.MethodGet, loc, nil).Body.String())
	if !strings.Contains(list, "/orders/watch?back=%2Forders&batch="+m[1]) {
		t.Fatalf("the list after the action does not watch batch %s", m[1])
	}
	return m[1]
}

func (s *session) banner(batch string) string {
	return html.UnescapeString(s.do(http.MethodGet, "/orders/watch?"+url.Values{"batch": {batch}, "back": {"/orders"}}.Encode(), nil).Body.String())
}

// jobsOf are the ids of the queued jobs of a kind, oldest first.
func (b *testBundle) jobsOf(t *testing.T, kind string) []int64 {
	t.Helper()
	rows, err := b.st.DB().QueryContext(t.Context(), "SELECT id FROM river_job WHERE kind = '"+kind+"' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// settle ends a job as its worker would: completed, or cancelled (a marketplace refusal).
func (b *testBundle) settle(t *testing.T, job int64, state string) {
	t.Helper()
	q := "UPDATE river_job SET state = '" + state + "', finalized_at = CURRENT_TIMESTAMP WHERE id = " + strconv.FormatInt(job, 10)
	if _, err := b.st.DB().ExecContext(t.Context(), q); err != nil {
		t.Fatal(err)
	}
}

func wantBanner(t *testing.T, banner, label string, ok, failed, waiting int, tone string) {
	t.Helper()
	for _, want := range []string{label + ":", "成功 " + itoa(ok) + "件", "失敗 " + itoa(failed) + "件", "待ち " + itoa(waiting) + "件", `data-tone="` + tone + `"`} {
		if !strings.Contains(banner, want) {
			t.Fatalf("the banner lacks %q: %s", want, banner)
		}
	}
}

// TestEveryBulkActionEndsWithTheCountedBanner: a bulk action queued as jobs (再取得, メール送信,
// モールでキャンセル, 送料の反映) counts its orders as waiting (amber) until each order's job
// settles, then as succeeded or failed (red) from the job and the order's link status; one done
// at once (連携ステータス変更, 入金確認) counts at once; each banner names the action and its
// 「結果を表示」 lists exactly the batch. On both engines.
func TestEveryBulkActionEndsWithTheCountedBanner(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		s := b.loginAs(t, only(user.MenuOrders, user.Update))

		// 再取得 of two shops' orders: a job per shop; one completes, the other is given up.
		_, auOrder := b.auOrder(t)
		batch := s.batchOf(t, s.do(http.MethodPost, "/orders/refetch", url.Values{"id": {i64toa(b.orderID[0]), i64toa(b.orderID[1]), i64toa(auOrder.ID)}}))
		wantBanner(t, s.banner(batch), "再取得", 0, 0, 3, "waiting")
		refetches := b.jobsOf(t, "refetch")
		b.settle(t, refetches[0], "completed")
		wantBanner(t, s.banner(batch), "再取得", 2, 0, 1, "waiting")
		b.settle(t, refetches[1], "discarded")
		banner := s.banner(batch)
		wantBanner(t, banner, "再取得", 2, 1, 0, "failed")
		if !strings.Contains(banner, `role="alert"`) || strings.Contains(banner, "hx-get=") {
			t.Fatalf("a settled batch with a failure: %s", banner)
		}
		result := html.UnescapeString(s.do(http.MethodGet, "/orders?batch="+batch, nil).Body.String())
		for _, id := range []int64{b.orderID[0], b.orderID[1], auOrder.ID, b.orderID[2]} {
			if listed := strings.Contains(result, `data-row="`+i64toa(id)+`"`); listed != (id != b.orderID[2]) {
				t.Fatalf("order %d listed %v in the re-fetch's result", id, listed)
			}
		}

		// メール送信: the job completes, one order's mail was refused (メール送信エラー).
		templates, err := b.st.ListMailTemplates(ctx, b.shop.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.st.SaveMailSettings(ctx, buyermail.Settings{ShopID: b.shop.ID, Host: "127.0.0.1", Port: 25, TLS: buyermail.NoTLS, From: "shop@example.jp"}); err != nil {
			t.Fatal(err)
		}
		mailed := []int64{b.orderID[3], b.orderID[4]}
		batch = s.batchOf(t, s.do(http.MethodPost, "/orders/mail", url.Values{"id": {i64toa(mailed[0]), i64toa(mailed[1])}, "mail_template": {i64toa(templates[1].ID)}}))
		wantBanner(t, s.banner(batch), "メール送信", 0, 0, 2, "waiting")
		if err := b.st.SetLinkStatus(ctx, mailed[1:], store.Link{Status: string(workflow.LinkMailError), Message: "宛先が拒否されました"}); err != nil {
			t.Fatal(err)
		}
		wantBanner(t, s.banner(batch), "メール送信", 0, 0, 2, "waiting") // the job still runs
		b.settle(t, b.jobsOf(t, "send_mail")[0], "completed")
		wantBanner(t, s.banner(batch), "メール送信", 1, 1, 0, "failed")

		// モールでキャンセル and 送料の反映: a job per order; one refused, one done.
		var open, unfixed []int64
		for _, id := range b.orderID {
			o, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if o.LinkStatus != "" || o.MarketplaceStatus.Final() {
				continue
			}
			switch {
			case !o.Amounts.Postage.Fixed():
				unfixed = append(unfixed, id)
			case o.MarketplaceStatus == order.StatusUnconfirmed || o.MarketplaceStatus == order.StatusAwaitingShipment:
				open = append(open, id)
			}
		}
		if len(open) < 2 || len(unfixed) < 2 {
			t.Fatalf("the fixture has %d orders to cancel and %d waiting for postage", len(open), len(unfixed))
		}
		for _, c := range []struct {
			path, label, kind string
			form              url.Values
		}{
			{"/orders/cancel", "モールでキャンセル", "cancel_order", url.Values{"cancel_reason": {"1"}, "id": {i64toa(open[0]), i64toa(open[1])}, "confirm_count": {"2"}}},
			{"/orders/postage", "送料の反映", "set_postage", url.Values{"postage_amount": {"660"}, "id": {i64toa(unfixed[0]), i64toa(unfixed[1])}, "confirm_count": {"2"}}},
		} {
			batch := s.batchOf(t, s.do(http.MethodPost, c.path, c.form))
			wantBanner(t, s.banner(batch), c.label, 0, 0, 2, "waiting")
			queued := b.jobsOf(t, c.kind)
			b.settle(t, queued[0], "cancelled")
			wantBanner(t, s.banner(batch), c.label, 0, 1, 1, "failed")
			b.settle(t, queued[1], "completed")
			wantBanner(t, s.banner(batch), c.label, 1, 1, 0, "failed")
		}

		// 連携ステータス変更 is done at once: counted at once, green.
		batch = s.batchOf(t, s.do(http.MethodPost, "/orders/link-status", url.Values{"id": {i64toa(b.orderID[5]), i64toa(b.orderID[6])}, "link_status": {""}}))
		wantBanner(t, s.banner(batch), "連携ステータス変更", 2, 0, 0, "done")
	})
}

// TestChunkedJobsPairsEachOrderWithItsJob: orders are paired with the jobs queued for them, per
// shop in the selection's order and perJob orders a job, as the queue chunks them.
func TestChunkedJobsPairsEachOrderWithItsJob(t *testing.T) {
	t.Parallel()
	shops := []shop.Shop{{ID: 7}, {ID: 8}}
	ids := map[int64][]int64{7: {1, 2, 3, 4, 5}, 8: {6}}
	got := chunkedJobs(shops, ids, 2, []int64{100, 101, 102, 103})
	want := map[int64]int64{1: 100, 2: 100, 3: 101, 4: 101, 5: 102, 6: 103}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for _, e := range got {
		if want[e.OrderID] != e.JobID {
			t.Fatalf("order %d with job %d, want %d", e.OrderID, e.JobID, want[e.OrderID])
		}
	}
}
