package web

import (
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// TestShipByDatesAreShownAndSearchable: 要対応 lists an order at 発送待ち near its 出荷期限 with
// the time left and what to do, linked to the order list; the list shows the date and the Prime
// mark and filters on both; the order page shows them.
func TestShipByDatesAreShownAndSearchable(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		now := time.Now()
		orders := storetest.MakeOrders(950, 2, now.Add(-time.Hour))
		for i := range orders {
			orders[i].MarketplaceStatus = order.StatusAwaitingShipment
		}
		orders[0].LatestShipDate, orders[0].Prime = now.Add(3*time.Hour+time.Minute), true
		orders[1].LatestShipDate = now.Add(72 * time.Hour)
		res, err := b.st.UpsertOrders(t.Context(), b.shop.ID, orders, store.UpsertOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ids := res.IDs
		s := b.loginAs(t, only(user.MenuOrders, user.View))

		page := htmlOf(s, "/attention")
		for _, want := range []string{`data-ship-by-orders="1"`, orders[0].Number, "(あと4時間)",
			"出荷期限までに梱包して発送し", "market=awaiting_shipment", "shipby="} {
			if !strings.Contains(page, want) {
				t.Errorf("要対応 lacks %q", want)
			}
		}
		if strings.Contains(page, orders[1].Number) {
			t.Error("要対応 lists the order due in three days")
		}

		list := htmlOf(s, "/orders?prime=1")
		if !strings.Contains(list, orders[0].Number) || strings.Contains(list, orders[1].Number) || !strings.Contains(list, "data-prime") {
			t.Error("the Prime filter does not find the Prime order only")
		}
		day := now.Add(24 * time.Hour).In(order.JST).Format("2006-01-02")
		list = htmlOf(s, "/orders?sort=ship_by&dir=asc&shipby="+day)
		if !strings.Contains(list, orders[0].Number) || strings.Contains(list, orders[1].Number) {
			t.Error("the 出荷期限 filter does not find the order due tomorrow only")
		}
		if !strings.Contains(list, order.FormatMinute(orders[0].LatestShipDate)) {
			t.Error("the list does not show the 出荷期限")
		}
		detail := htmlOf(s, idPath(ids[0]))
		if !strings.Contains(detail, "出荷期限") || !strings.Contains(detail, "data-prime") {
			t.Error("the order page does not show the 出荷期限 and Prime")
		}
	})
}
