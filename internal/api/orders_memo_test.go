package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestOrderMemoIsSetThroughTheAPI: PUT /orders/{id}/memo saves the shop's memo and answers the
// order with it and its line of history (the actor's label beside the raw one); a stale version
// is a 409, a memo too long a 422 with what to do, and a viewer may not write one. A job's line
// of history is labelled as the page labels it.
func TestOrderMemoIsSetThroughTheAPI(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		id := b.orderID[0]
		path := "/orders/" + i64(id) + "/memo"
		if err := b.st.AddOrderEvents(context.Background(), []order.Event{{OrderID: id, Kind: order.EventUpdated, Actor: "system:confirm", Message: "注文確認しました"}}); err != nil {
			t.Fatal(err)
		}
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))
		problem(t, b.do(t, viewer, http.MethodPut, path, map[string]any{"memo": "x"}), http.StatusForbidden)
		token := b.tokenFor(t, only(user.MenuOrders, user.Update))
		d := decode[OrderDetail](t, b.do(t, token, http.MethodPut, path, map[string]any{"memo": "  再送分。\r\n伝票は手書き  "}), http.StatusOK)
		if d.Memo != "再送分。\n伝票は手書き" {
			t.Fatalf("memo %q", d.Memo)
		}
		var memoLine, jobLine bool
		for _, e := range d.Events {
			memoLine = memoLine || e.Kind == string(order.EventMemo) && e.Text == "メモを変更しました: 「再送分。…」"
			jobLine = jobLine || e.Actor == "system:confirm" && e.ActorLabel == "自動処理「注文確認」"
		}
		if !memoLine || !jobLine {
			t.Fatalf("history: memo line %v, job labelled %v: %+v", memoLine, jobLine, d.Events)
		}
		problem(t, b.do(t, token, http.MethodPut, path, map[string]any{"memo": "古い版", "version": d.Version - 1}), http.StatusConflict)
		p := problem(t, b.do(t, token, http.MethodPut, path, map[string]any{"memo": strings.Repeat("長", order.MemoMaxRunes+1)}), http.StatusUnprocessableEntity)
		if !strings.Contains(p.Detail, "2000文字まで") {
			t.Errorf("too long: %q", p.Detail)
		}
		if d.MarketplaceStatusName != "注文確認待ち" || d.MarketplaceStatusRaw != "100" {
			t.Errorf("status name %q of %q", d.MarketplaceStatusName, d.MarketplaceStatusRaw)
		}
	})
}
