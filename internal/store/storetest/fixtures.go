package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// NewShop creates a Rakuten shop and returns it with the phases by name (the default ones, made
// with the store's first shop, are every shop's).
func NewShop(tb testing.TB, st store.Store, name string) (shop.Shop, map[string]workflow.Phase) {
	tb.Helper()
	ctx := context.Background()
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(rakuten.Name), Name: name, Code: "shop-" + name,
		Credentials: shop.Credentials{"serviceSecret": "SP-secret-" + name, "licenseKey": "SL-license-" + name}})
	if err != nil {
		tb.Fatal(err)
	}
	phases, err := st.ListPhases(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	byName := make(map[string]workflow.Phase, len(phases))
	for _, p := range phases {
		byName[p.Name] = p
	}
	return sh, byName
}

var (
	familyNames = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"}
	givenNames  = []string{"太郎", "花子", "一郎", "美咲", "健太", "陽菜", "翔", "さくら"}
	prefectures = []string{"東京都千代田区", "大阪府大阪市北区", "北海道札幌市中央区", "福岡県福岡市博多区", "愛知県名古屋市中区"}
)

// MakeOrders returns n orders of 3 lines each, numbered from start in Rakuten's format, ordered one
// minute apart from base.
func MakeOrders(start, n int, base time.Time) []order.Order {
	out := make([]order.Order, n)
	for i := range out {
		k := start + i
		name := familyNames[k%len(familyNames)] + " " + givenNames[k%len(givenNames)]
		buyer := order.Person{Name: name, Email: fmt.Sprintf("buyer%d@example.jp", k), Phone: "03-1234-5678",
			Zip: "100-0001", Address: prefectures[k%len(prefectures)] + fmt.Sprintf("%d-%d-%d", k%9+1, k%5+1, k%20+1)}
		lines := []order.Line{
			{PackageKey: "1", SKU: fmt.Sprintf("TEA-%03d", k%50), Name: "静岡煎茶 100g", UnitPrice: 1080, Quantity: 2, TaxRate: 8},
			{PackageKey: "1", SKU: "CUP-01", Name: "湯呑み 波佐見焼", Options: "色:藍", UnitPrice: 2200, Quantity: 1, TaxRate: 10},
			{PackageKey: "1", SKU: "BAG-01", Name: "ギフト袋", UnitPrice: 110, Quantity: 1, TaxRate: 10},
		}
		postage := order.YenOf(660)
		if k%10 == 0 {
			postage = order.Unfixed() // Rakuten's -9999: 送料未確定
		}
		goods := order.YenOf(1080*2 + 2200 + 110)
		status, settlement := order.StatusUnconfirmed, order.SettlementCommon
		if k%4 == 0 {
			status, settlement = order.StatusAwaitingShipment, order.SettlementSelective
		}
		out[i] = order.Order{
			Number:    fmt.Sprintf("338005-%s-%08d", base.Format("20060102"), k),
			OrderedAt: base.Add(time.Duration(k) * time.Minute),
			Buyer:     buyer,
			Packages:  []order.Package{{Key: "1", ShipTo: buyer}},
			Lines:     lines,
			Amounts: order.Amounts{Goods: goods, Tax: order.YenOf(370), Postage: postage, PaymentFee: order.YenOf(0),
				Discount: order.YenOf(0), Points: order.YenOf(0), Total: order.Add(goods, postage), Requested: order.Add(goods, postage)},
			PaymentMethod:        "クレジットカード",
			Settlement:           settlement,
			MarketplaceStatusRaw: "100",
			MarketplaceStatus:    status,
			PaymentStatus:        order.Unpaid,
			RawPayload:           []byte(fmt.Sprintf(`{"orderNumber":"338005-%08d"}`, k)),
		}
	}
	return out
}
