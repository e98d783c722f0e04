package web

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestStartPageExplainsABacklog: with 250 orders waiting for a started 決済審査結果確認 (Rakuten:
// getOrder reads 100 a call, one call a second), 要対応 says how many wait, that one look takes
// 3 calls and about 3 seconds at the quota, that the oldest go first, and links to the list,
// oldest first. On both engines.
func TestStartPageExplainsABacklog(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		review := b.phases["確認待ち"]
		orders := storetest.MakeOrders(900, 250, time.Now().Add(-48*time.Hour))
		if _, err := b.st.UpsertOrders(t.Context(), b.shop.ID, orders, store.UpsertOptions{PhaseID: review.ID}); err != nil {
			t.Fatal(err)
		}
		perms := only(user.MenuOrders, user.View)
		viewer := loginUntil(t, b, perms, time.Now().Add(time.Hour))
		if page := htmlOf(viewer, "/attention"); strings.Contains(page, "data-backlog-rule") {
			t.Fatal("要対応 shows a backlog with no polling rule started")
		}
		if _, err := b.st.SaveRule(t.Context(), workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobPaymentReview, TargetPhaseID: review.ID, Enabled: true, Interval: 5 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(htmlOf(viewer, "/attention"))
		waiting, err := b.st.SearchOrders(t.Context(), store.OrderQuery{ShopID: b.shop.ID, PhaseID: review.ID, PageSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		calls := (waiting.Total + 99) / 100
		for _, want := range []string{
			`data-backlog-rule="payment_review" data-waiting="` + i64toa(waiting.Total) + `" data-calls="` + i64toa(calls) + `"`,
			"自動処理「決済審査結果確認」の対象処理フェーズ「確認待ち」で" + count(waiting.Total) + "件の注文が待っています。",
			"全件を1回確認するには" + count(calls) + "回の呼び出し(1回100件)が必要で、上限(1秒に1回)で約" + i64toa(calls) + "秒かかります。",
			"古い注文から順に確認するため、新しい注文は古い注文の後になります",
			"dir=asc",
		} {
			if !strings.Contains(page, want) {
				t.Fatalf("要対応 lacks %q:\n%s", want, page)
			}
		}
	})
}
