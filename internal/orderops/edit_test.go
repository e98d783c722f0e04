package orderops_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// editQueue records the changes queued.
type editQueue struct{ queued []order.Change }

func (q *editQueue) QueueEdit(_ context.Context, _, _ int64, ch order.Change, _ string) error {
	q.queued = append(q.queued, ch)
	return nil
}

// TestAnOrderChangeIsRefusedWhereTheMarketplaceForbidsIt: a Rakuten order is changed only before
// shipping, not when bundled or waiting for a ship report's outcome, and a change that changes
// nothing or is malformed is refused with what to enter; an au PAY order is refused with where to
// change it (au PAY has no API for it), and an own-cart card order after capture with the seed's
// words (004). Only the change that passes is queued. On both engines.
func TestAnOrderChangeIsRefusedWhereTheMarketplaceForbidsIt(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "edit")
			orders := storetest.MakeOrders(1, 4, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
			statuses := []order.MarketplaceStatus{order.StatusAwaitingShipment, order.StatusShipped, order.StatusAwaitingShipment, order.StatusUnconfirmed}
			for i := range orders {
				orders[i].MarketplaceStatus = statuses[i]
			}
			got := seed(t, st, sh.ID, phases["新規受付"].ID, orders...)
			if err := st.SetLinkStatus(ctx, []int64{got[2].ID}, store.Link{Status: string(rakuten.LinkShipReporting), Ref: "req-1"}); err != nil {
				t.Fatal(err)
			}
			postage := int64(770)
			ch := order.Change{Postage: &postage}
			q := &editQueue{}
			same, _ := got[3].Amounts.Postage.Value()
			for _, c := range []struct {
				id   int64
				ch   order.Change
				want string
			}{
				{got[1].ID, ch, "モールのステータスが「発送済み」の注文は変更できません。楽天では発送前"},
				{got[2].ID, ch, "モールへの送信結果を待っている注文(発送完了報告中)は変更できません"},
				{got[3].ID, order.Change{Postage: &same}, "この変更は注文の内容と同じです"},
				{got[3].ID, order.Change{Lines: []order.LineChange{{Line: 0, Quantity: 0, UnitPrice: 100}}}, "1 行目の数量 0 は入力できません"},
				{got[3].ID, order.Change{}, "変更する項目がありません"},
			} {
				if _, err := orderops.EditOne(ctx, st, q, c.id, c.ch, "op"); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), c.want) {
					t.Errorf("%+v: %v, want %q", c.ch, err, c.want)
				}
			}
			if _, err := orderops.EditOne(ctx, st, q, got[0].ID, ch, "op"); err != nil || len(q.queued) != 1 {
				t.Fatalf("edit: %v, queued %d", err, len(q.queued))
			}

			au := shop.Shop{Name: "au", Channel: shop.Channel(aupay.Channel)}
			if err := orderops.CheckEdit(got[0], au, ch); !apperror.Is(err, apperror.Invalid) || !strings.Contains(err.Error(), "au PAY マーケットの店舗管理画面") {
				t.Fatalf("au PAY: %v", err)
			}
			own := shop.Shop{Name: "自社", Channel: shop.Channel(ownshop.Channel)}
			captured := got[0]
			captured.PaymentStatus = order.CardCaptured
			if err := orderops.CheckEdit(captured, own, ch); !apperror.Is(err, apperror.Invalid) || apperror.MessageOf(err) != ownshop.MsgChangeCaptured {
				t.Fatalf("own cart after capture: %v", err)
			}
			captured.PaymentStatus = order.CardAuthorized
			if err := orderops.CheckEdit(captured, own, ch); err != nil {
				t.Fatalf("own cart in 仮売上: %v", err)
			}
			if orderops.Editable(got[0], au) || !orderops.Editable(got[0], sh) || orderops.Editable(got[1], sh) {
				t.Fatal("the order page offers the form where the marketplace refuses it")
			}
		})
	}
}
