package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestAnOrderIsChangedFromItsPageAfterAConfirmation: an order RMS lets change offers the
// 注文内容修正 form on its page, a viewer does not see it; the form first shows what will be sent,
// before and after, and queues nothing; confirmed, one job carries exactly the change (the lines
// left as they were are not in it); a change that changes nothing is refused with what to do.
func TestAnOrderIsChangedFromItsPageAfterAConfirmation(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		var o order.Order
		for _, id := range b.orderID {
			got, err := b.st.GetOrder(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.MarketplaceStatus == order.StatusAwaitingShipment && len(got.Lines) > 0 && (got.ManagementClass == order.Normal || got.ManagementClass == "") {
				o = got
				break
			}
		}
		if o.ID == 0 {
			t.Fatal("the fixture has no order at 発送待ち")
		}
		viewer := b.loginAs(t, only(user.MenuOrders, user.View))
		if strings.Contains(htmlOf(viewer, idPath(o.ID)), `action="`+idPath(o.ID)+`/edit"`) {
			t.Fatal("a viewer is offered the change form")
		}
		s := b.loginAs(t, only(user.MenuOrders, user.Update))
		if !strings.Contains(htmlOf(s, idPath(o.ID)), `action="`+idPath(o.ID)+`/edit"`) {
			t.Fatal("an order RMS lets change offers no change form")
		}
		form := url.Values{"postage": {"１，２１０円"}, "ship_family_name": {"楽天"}, "ship_first_name": {"花子"}, "ship_zip": {"140-0002"},
			"ship_prefecture": {"東京都"}, "ship_city": {"品川区"}, "ship_street": {"東品川4-12-3"}, "ship_phone": {"03-1234-5678"}}
		for i, l := range o.Lines {
			form.Set("qty_"+strconv.Itoa(i), i64toa(l.Quantity))
			form.Set("price_"+strconv.Itoa(i), i64toa(l.UnitPrice))
		}
		form.Set("qty_0", i64toa(o.Lines[0].Quantity+1))
		w := s.do(http.MethodPost, idPath(o.ID)+"/edit", form)
		page := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusOK || !strings.Contains(page, "送料: "+o.Amounts.Postage.String()+" → ¥1,210") || !strings.Contains(page, "→ 楽天 花子 〒140-0002 東京都品川区東品川4-12-3") ||
			!strings.Contains(page, `name="confirm" value="1"`) {
			t.Fatalf("confirmation %d:\n%s", w.Code, page)
		}
		if n := len(b.queued(t, jobs.EditOrderArgs{}.Kind())); n != 0 {
			t.Fatalf("%d jobs before the change was confirmed", n)
		}
		form.Set("confirm", "1")
		if msg := flash(s.do(http.MethodPost, idPath(o.ID)+"/edit", form)); !strings.Contains(msg, "注文内容の変更を受け付けました") {
			t.Fatalf("confirmed: %q", msg)
		}
		queued := b.queued(t, jobs.EditOrderArgs{}.Kind())
		var args jobs.EditOrderArgs
		if len(queued) != 1 || json.Unmarshal([]byte(queued[0]), &args) != nil || args.OrderID != o.ID || args.Change.Postage == nil || *args.Change.Postage != 1210 ||
			len(args.Change.Lines) != 1 || args.Change.Lines[0].Quantity != o.Lines[0].Quantity+1 || args.Change.ShipTo == nil || args.Change.ShipTo.Street != "東品川4-12-3" {
			t.Fatalf("queued %v", queued)
		}
		same := url.Values{"qty_0": {i64toa(o.Lines[0].Quantity)}, "price_0": {i64toa(o.Lines[0].UnitPrice)}}
		if msg := flash(s.do(http.MethodPost, idPath(o.ID)+"/edit", same)); !strings.Contains(msg, "変更する項目がありません") {
			t.Fatalf("no change: %q", msg)
		}
	})
}
