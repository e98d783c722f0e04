package ownshop_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop/ownshopsim"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// TestEditingAnAuthorizedOrderChangesTheAmountAtWebcollect: editing the lines or the postage of
// an own-cart card order in 仮売上 changes the authorised amount (A07) in the same step, and the
// order and its cart payload carry the new amounts; after capture (決済完了) the edit is refused
// with the seed's words and nothing reaches webコレクト.
func TestEditingAnAuthorizedOrderChangesTheAmountAtWebcollect(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, ownshopsim.Config{}, ownshop.CarrierYamatoOnly)
	o := b.placed(t, 1, "", "")
	trade := ownshop.TradeOf(o)
	postage := int64(1100)
	line := o.Lines[0]
	ch := order.Change{Postage: &postage, Lines: []order.LineChange{{Line: 0, Quantity: line.Quantity + 1, UnitPrice: line.UnitPrice}}}
	oldPostage, _ := o.Amounts.Postage.Value()
	total, _ := o.Amounts.Total.Value()
	want := total + line.UnitPrice + postage - oldPostage

	got, err := b.client.EditOrder(ctx, o, ch)
	if err != nil {
		t.Fatal(err)
	}
	info, found, err := b.client.Gateway.TradeInfo(ctx, trade)
	if err != nil || !found || info.SettlePrice != want {
		t.Fatalf("webコレクト holds %d (found %v, %v), want %d", info.SettlePrice, found, err, want)
	}
	if got.Amounts.Requested != order.YenOf(want) || got.Lines[0].Quantity != line.Quantity+1 || got.PaymentStatus != order.CardAuthorized ||
		!strings.Contains(string(got.RawPayload), `"postage":1100`) || !got.MarketplaceUpdatedAt.After(o.MarketplaceUpdatedAt) {
		t.Fatalf("edited order: %v %+v %s", got.Amounts.Requested, got.Lines[0], got.PaymentStatus)
	}

	writes := b.sim.Sim.Counters.Snapshot().WriteRequests[trade]
	got.PaymentStatus = order.CardCaptured
	_, err = b.client.EditOrder(ctx, got, ch)
	var e *channel.Error
	if !errors.As(err, &e) || e.Class != channel.Rejected || e.Message != ownshop.MsgChangeCaptured {
		t.Fatalf("edit after capture: %v", err)
	}
	if n := b.sim.Sim.Counters.Snapshot().WriteRequests[trade]; n != writes {
		t.Fatalf("%d writes to webコレクト after capture, want none", n-writes)
	}
}
