package storetest

import (
	"context"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// A shop's settings (the labels' ご依頼主, the CSV shop's mapping) are kept per shop and name,
// replaced when saved again, and none is the zero value.
func init() {
	conformanceTests["ShopSettingsAreKeptPerShopAndName"] = func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		other, _ := NewShop(t, b.st, "other-settings")
		if s, err := b.st.ShopSender(ctx, other.ID); err != nil || s != (shop.Sender{}) {
			t.Fatalf("no sender saved: %+v %v", s, err)
		}
		first := shop.Sender{Name: "一元茶舗", Phone: "03-1111-2222", YamatoCustomerCode: "0311112222"}
		if err := b.st.SetShopSender(ctx, other.ID, first, "t"); err != nil {
			t.Fatal(err)
		}
		second := first
		second.Name = "一元茶舗 本店"
		if err := b.st.SetShopSender(ctx, other.ID, second, "t"); err != nil {
			t.Fatal(err)
		}
		if got, err := b.st.ShopSender(ctx, other.ID); err != nil || got != second {
			t.Fatalf("read back %+v %v", got, err)
		}
		var m map[string]string
		if saved, err := b.st.ShopSetting(ctx, other.ID, "csv_order_mapping", &m); err != nil || saved {
			t.Fatalf("another name is not the sender: %v %v", saved, err)
		}
		if err := b.st.SetShopSetting(ctx, other.ID, "csv_order_mapping", map[string]string{"number": "受注番号"}, "t"); err != nil {
			t.Fatal(err)
		}
		if saved, err := b.st.ShopSetting(ctx, other.ID, "csv_order_mapping", &m); err != nil || !saved || m["number"] != "受注番号" {
			t.Fatalf("mapping %v %v %v", m, saved, err)
		}
		if err := b.st.SetShopSender(ctx, 99999999, first, "t"); !apperror.Is(err, apperror.NotFound) {
			t.Fatalf("an unknown shop: %v", err)
		}
	}
}
