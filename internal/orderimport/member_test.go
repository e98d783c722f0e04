package orderimport_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
)

// TestOwnCartCSVCarriesTheMemberID: an own cart's export with a 会員ID column stores each
// member's order under the member (the stored-card page finds it), a guest's under none, the
// key defaulting to the member id; a member id webコレクト would not take refuses the file whole.
func TestOwnCartCSVCarriesTheMemberID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.SQLite(t)
	_, phases := storetest.NewShop(t, st, "mall")
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: ownshop.Channel, Name: "自社カート", Code: "cart", Credentials: shop.Credentials{"cartSecret": "s", "traderCode": "888888709"}})
	if err != nil {
		t.Fatal(err)
	}
	m := cartMapping
	m.Trade.MemberID, m.Trade.AuthKey = "会員ID", "認証キー"
	if err := st.SetShopSetting(ctx, sh.ID, orderimport.SettingName, m, "t"); err != nil {
		t.Fatal(err)
	}
	header := strings.TrimSuffix(cartHeader, "\r\n") + ",会員ID,認証キー\r\n"
	broken := header + "W-1,2026/12/01 10:00,山田 太郎,煎茶,1080,2,550,,888888709,CSV0000001,2710,2026/12/01 10:01,会員 1,\r\n"
	_, err = orderimport.Import(ctx, st, sh.ID, phases["新規受付"].ID, strings.NewReader(broken), "tester")
	var fe *packing.FileError
	if !errors.As(err, &fe) || len(fe.Problems) != 1 || !strings.Contains(fe.Problems[0], "member_id(会員ID)") {
		t.Fatalf("a member id with a space: %v", err)
	}
	good := header +
		"W-1,2026/12/01 10:00,山田 太郎,煎茶,1080,2,550,,888888709,CSV0000001,2710,2026/12/01 10:01,M-0001,\r\n" +
		"W-2,2026/12/01 11:00,佐藤 花子,ほうじ茶,864,1,550,,888888709,CSV0000002,1414,2026/12/01 11:01,,\r\n"
	if _, err := orderimport.Import(ctx, st, sh.ID, phases["新規受付"].ID, strings.NewReader(good), "tester"); err != nil {
		t.Fatal(err)
	}
	ids, err := st.MemberOrders(ctx, sh.ID, "M-0001", 5)
	if err != nil || len(ids) != 1 {
		t.Fatalf("member orders %v, %v", ids, err)
	}
	o, err := st.GetOrder(ctx, ids[0])
	if err != nil || o.Number != "W-1" {
		t.Fatalf("the member's order: %s, %v", o.Number, err)
	}
	if mem, ok := ownshop.MemberOf(o); !ok || mem.ID != "M-0001" || mem.AuthenticationKey != "M-0001" {
		t.Fatalf("member of the order: %+v %v", mem, ok)
	}
	guest, err := st.GetOrderByNumber(ctx, sh.ID, "W-2")
	if _, ok := ownshop.MemberOf(guest); err != nil || ok {
		t.Fatalf("the guest's order has a member (%v)", err)
	}
}
