package ownshop_test

import (
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/order"
)

func TestMethodChangeFollowsTheSeedTable(t *testing.T) {
	t.Parallel()
	cancelled := order.Order{PaymentMethod: "クロネコwebコレクト クレジット", PaymentStatus: order.CardCancelled, MarketplaceStatus: order.StatusCancelled,
		Amounts: order.Amounts{Goods: order.YenOf(3000), PaymentFee: order.YenOf(330), Total: order.YenOf(3330), Requested: order.YenOf(3330)}}
	for _, c := range []struct {
		target  string
		npByCSV bool
		ok      bool
	}{
		{ownshop.TargetBankTransfer, false, true}, {ownshop.TargetOptional, false, true}, {ownshop.TargetCOD, false, true},
		{ownshop.TargetAtobaraiCom, false, true}, {ownshop.TargetNPAtobarai, false, false}, {ownshop.TargetNPAtobarai, true, true},
		{"クロネコwebコレクト クレジット", true, false},
	} {
		got, err := ownshop.ChangeMethod(cancelled, c.target, c.npByCSV)
		if (err == nil) != c.ok {
			t.Errorf("%s (NP by CSV %v): %v", c.target, c.npByCSV, err)
			continue
		}
		if !c.ok {
			if !apperror.Is(err, apperror.Invalid) || got.PaymentMethod != cancelled.PaymentMethod {
				t.Errorf("%s refused, but %v / %s", c.target, err, got.PaymentMethod)
			}
			continue
		}
		if got.PaymentMethod != c.target || got.Amounts.PaymentFee != order.YenOf(0) || got.Amounts.Total != order.YenOf(3000) ||
			got.MarketplaceStatus != order.StatusAwaitingShipment || got.PaymentStatus != order.Unpaid {
			t.Errorf("%s: %+v", c.target, got)
		}
	}
	for _, p := range []order.PaymentStatus{order.CardAuthorized, order.CardCaptured, order.CardUnsettled, order.CardExpired} {
		o := cancelled
		o.PaymentStatus = p
		if _, err := ownshop.ChangeMethod(o, ownshop.TargetBankTransfer, false); !apperror.Is(err, apperror.Conflict) {
			t.Errorf("change from %s before the cancel: %v", p.Label(), err)
		}
	}
}
