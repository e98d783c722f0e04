package web

import (
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestSideBarCountsEachPhaseAcrossTheShops: the phases are every shop's (seed 000), so the order
// list's side bar lists each phase once with all shops' orders in it, and under it each shop's
// share, linking to that shop's orders of the phase. The phases page lists the phases once, with
// each shop's rule on them, and a rule's destination phases can be left out (移動しない).
func TestSideBarCountsEachPhaseAcrossTheShops(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		cup, phases := storetest.NewShop(t, b.st, "cup")
		if phases["新規受付"].ID != b.phases["新規受付"].ID {
			t.Fatal("the second shop has phases of its own")
		}
		if _, err := b.st.UpsertOrders(ctx, cup.ID, storetest.MakeOrders(1, 4, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)), store.UpsertOptions{PhaseID: b.phases["新規受付"].ID}); err != nil {
			t.Fatal(err)
		}
		s := b.loginAs(t, only(user.MenuOrders, user.View))
		bar := html.UnescapeString(s.do("GET", "/orders/phase-counts", nil).Body.String())
		inbox := i64toa(b.phases["新規受付"].ID)
		// The shared 新規受付: tea's 30 and cup's 4.
		for _, want := range []string{
			`data-phase="` + inbox + `"><a href="/orders?phase=` + inbox + `" hx-target="body"><span>新規受付</span> <span class="num">34</span>`,
			`data-shop="` + i64toa(b.shop.ID) + `"><a href="/orders?phase=` + inbox + `&amp;shop=` + i64toa(b.shop.ID) + `" hx-target="body"><span>tea</span> <span class="num">30</span>`,
			`data-shop="` + i64toa(cup.ID) + `"><a href="/orders?phase=` + inbox + `&amp;shop=` + i64toa(cup.ID) + `" hx-target="body"><span>cup</span> <span class="num">4</span>`,
		} {
			if !strings.Contains(bar, html.UnescapeString(want)) {
				t.Errorf("the side bar lacks %s:\n%s", want, bar)
			}
		}
		if n := strings.Count(bar, "<span>新規受付</span>"); n != 1 {
			t.Errorf("新規受付 is listed %d times, want once for every shop", n)
		}

		// cup's own rule on 入金待ち, where tea's payment review waits too, without a destination.
		editor := b.loginAs(t, only(user.MenuWorkflow, user.Update))
		form := url.Values{"shop_id": {i64toa(cup.ID)}, "kind": {string(workflow.JobConfirm)}, "target_phase_id": {i64toa(b.phases["入金待ち"].ID)},
			"success_phase_id": {""}, "error_phase_id": {""}, "enabled": {"1"}}
		if w := editor.do("POST", "/settings/rules", form); w.Code != 303 {
			t.Fatalf("a rule without destination on a phase another shop's rule takes from: %d %s", w.Code, w.Body)
		}
		rules, err := b.st.RulesTargeting(ctx, b.phases["入金待ち"].ID)
		if err != nil || len(rules) != 2 {
			t.Fatalf("rules on 入金待ち %+v: %v", rules, err)
		}
		page := html.UnescapeString(htmlOf(editor, phasesPath))
		if !strings.Contains(page, "tea: 決済審査結果確認") || !strings.Contains(page, "cup: 注文確認") {
			t.Errorf("the phases page does not name each shop's rule on 入金待ち")
		}
		if form := htmlOf(editor, rulesPath(cup.ID)); !strings.Contains(form, "移動しない") {
			t.Error("the rule form offers no way to leave the destination out")
		}
		// An order such a rule finished with and left in its phase says so in the list and on its page.
		if err := b.st.MarkPhaseDone(ctx, b.orderID[0], b.phases["新規受付"].ID); err != nil {
			t.Fatal(err)
		}
		list := html.UnescapeString(htmlOf(s, "/orders?shop="+i64toa(b.shop.ID)+"&phase="+inbox))
		if n := strings.Count(list, `class="tag phase-done"`); n != 1 {
			t.Errorf("%d orders of the list are marked 処理済み, want 1", n)
		}
		if page := htmlOf(s, "/orders/"+i64toa(b.orderID[0])); !strings.Contains(page, "自動処理は済んでいます。") {
			t.Error("the order page does not say the rule is done with the order")
		}
	})
}
