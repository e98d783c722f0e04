package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten/rakutensim"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestAnOrderChangeReachesRMSOnceWithItsHistory: an operator's change of an imported order's
// ship-to, postage and a line reaches RMS in one updateOrderSender even when asked twice at once;
// the stored order then holds RMS's amounts and the new ship-to, and its history has one line
// with every value before and after. On both engines.
func TestAnOrderChangeReachesRMSOnceWithItsHistory(t *testing.T) {
	t.Parallel()
	onEachEngine(t, func(t *testing.T, db string) {
		ctx := context.Background()
		b := setupRakutenOn(t, rakutensim.Config{Seed: 5, AsyncDelay: -1}, db, 1)
		importRule := b.rule(t, workflow.Rule{Kind: workflow.JobImport, Interval: time.Hour})
		generated := b.sim.Generate(rakutensim.GenerateOptions{Count: 4, At: b.sim.Sim.Clock.Now().Add(-time.Hour)})
		runImport(t, b.srv, importRule)
		var o order.Order
		var number string
		for _, n := range generated {
			if got, err := b.srv.Store.GetOrderByNumber(ctx, b.shop.ID, n); err == nil {
				o, number = got, n
				break
			}
		}
		if number == "" {
			t.Fatal("no order imported")
		}
		postage := int64(1320)
		ch := order.Change{
			ShipTo:  &order.ShipTo{FamilyName: "楽天", FirstName: "花子", Zip: "140-0002", Prefecture: "東京都", City: "品川区", Street: "東品川4-12-3", Phone: "03-1234-5678"},
			Postage: &postage,
			Lines:   []order.LineChange{{Line: 0, Quantity: o.Lines[0].Quantity + 1, UnitPrice: o.Lines[0].UnitPrice}},
		}
		for range 2 { // a double click: the second is refused as waiting, or as no change once the first is done
			_, err := orderops.EditOne(ctx, b.srv.Store, b.srv.Queue, o.ID, ch, "operator")
			if err != nil && !errors.Is(err, jobs.ErrEditWaiting) && !apperror.Is(err, apperror.Invalid) {
				t.Fatal(err)
			}
		}
		var got order.Order
		if !storetest.Await(t, 30*time.Second, func() bool {
			got, _ = b.srv.Store.GetOrder(ctx, o.ID)
			return got.Amounts.Postage == order.YenOf(postage)
		}, b.srv.Queue) {
			t.Fatalf("order never changed: %v, %q", got.Amounts.Postage, got.LinkMessage)
		}
		storetest.AwaitIdle(t, 10*time.Second, b.srv.Queue)
		if n := b.sim.Sim.Counters.Snapshot().Operations["updateOrderSender"]; n != 1 {
			t.Fatalf("updateOrderSender sent %d times, want once", n)
		}
		m, _ := b.sim.Order(number)
		if got.Amounts.Total != order.YenOf(m.TotalPrice) || got.Lines[0].Quantity != o.Lines[0].Quantity+1 ||
			!strings.Contains(got.Packages[0].ShipTo.Address, "東品川4-12-3") {
			t.Fatalf("stored %v %+v %+v, RMS total %d", got.Amounts.Total, got.Lines[0], got.Packages[0].ShipTo, m.TotalPrice)
		}
		events, _ := b.srv.Store.ListOrderEvents(ctx, o.ID)
		var lines []string
		for _, e := range events {
			if e.Kind == order.EventEdited {
				lines = append(lines, e.Message)
			}
		}
		if len(lines) != 1 || !strings.Contains(lines[0], "送料: "+o.Amounts.Postage.String()+" → ¥1,320") || !strings.Contains(lines[0], "東品川4-12-3") ||
			!strings.Contains(lines[0], "請求金額: "+o.Amounts.Requested.String()+" → "+got.Amounts.Requested.String()) {
			t.Fatalf("history: %q", lines)
		}
	})
}
