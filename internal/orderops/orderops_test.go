package orderops_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel/aupay"
	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

func buyer(name string) (order.Person, []order.Package) {
	p := order.Person{Name: name, Phone: "03-1234-5678", Zip: "150-0001", Address: "東京都渋谷区神宮前1-2-3"}
	return p, []order.Package{{Key: "1", ShipTo: p}}
}

func seed(t *testing.T, st store.Store, shopID, phaseID int64, orders ...order.Order) []order.Order {
	t.Helper()
	ctx := context.Background()
	res, err := st.UpsertOrders(ctx, shopID, orders, store.UpsertOptions{PhaseID: phaseID, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]order.Order, len(res.IDs))
	for i, id := range res.IDs {
		if out[i], err = st.GetOrder(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Bundling takes orders of one buyer and ship-to, makes the oldest the parent, and is undone
// whole; other buyers, other addresses, and orders already reported are refused with the reason.
func TestBundleAndUnbundle(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "bundle")
			at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
			hanako, pk := buyer("山田 花子")
			taro, tpk := buyer("佐藤 太郎")
			moved := pk[0].ShipTo
			moved.Address = "大阪府大阪市北区梅田1-1-1"
			line := []order.Line{{PackageKey: "1", SKU: "TEA-1", Name: "煎茶", UnitPrice: 1080, Quantity: 2, TaxRate: 8}}
			orders := seed(t, st, sh.ID, phases["新規受付"].ID,
				order.Order{Number: "B-2", OrderedAt: at.Add(time.Hour), Buyer: hanako, Packages: pk, Lines: line},
				order.Order{Number: "B-1", OrderedAt: at, Buyer: hanako, Packages: pk, Lines: line},
				order.Order{Number: "B-3", OrderedAt: at, Buyer: taro, Packages: tpk, Lines: line},
				order.Order{Number: "B-4", OrderedAt: at, Buyer: hanako, Packages: []order.Package{{Key: "1", ShipTo: moved}}, Lines: line},
				order.Order{Number: "B-5", OrderedAt: at.Add(2 * time.Hour), Buyer: hanako, Packages: pk, Lines: line},
			)
			b2, b1, b3, b4, b5 := orders[0], orders[1], orders[2], orders[3], orders[4]
			for _, tc := range []struct {
				ids  []int64
				want string
			}{
				{[]int64{b1.ID}, "2件以上"},
				{[]int64{b1.ID, b3.ID}, "注文者が異なる"},
				{[]int64{b1.ID, b4.ID}, "お届け先が異なる"},
			} {
				if _, err := orderops.Bundle(ctx, st, tc.ids, "operator"); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("bundle %v: %v, want %q", tc.ids, err, tc.want)
				}
			}
			if err := st.SetLinkStatus(ctx, []int64{b5.ID}, store.Link{Status: string(rakuten.LinkShipReported)}); err != nil {
				t.Fatal(err)
			}
			if _, err := orderops.Bundle(ctx, st, []int64{b1.ID, b5.ID}, "operator"); err == nil || !strings.Contains(err.Error(), "連携済み") ||
				!strings.Contains(err.Error(), "この注文は同梱せずに出荷してください。") {
				t.Fatalf("a reported order was bundled, or the refusal says not what to do: %v", err)
			}
			// Seed 003: confirm, then bundle. A confirmed order and a reviewed one bundle.
			if err := st.SetLinkStatus(ctx, []int64{b1.ID}, store.Link{Status: string(rakuten.LinkConfirmed)}); err != nil {
				t.Fatal(err)
			}
			if err := st.SetLinkStatus(ctx, []int64{b2.ID}, store.Link{Status: string(rakuten.LinkPaymentReviewed)}); err != nil {
				t.Fatal(err)
			}
			parent, err := orderops.Bundle(ctx, st, []int64{b2.ID, b1.ID}, "operator")
			if err != nil {
				t.Fatal(err)
			}
			child, _ := st.GetOrder(ctx, b2.ID)
			if parent.ID != b1.ID || parent.ManagementClass != order.BundleParent || child.ManagementClass != order.BundleChild || child.BundleParentID != b1.ID {
				t.Fatalf("parent %s %q, child %q of %d", parent.Number, parent.ManagementClass, child.ManagementClass, child.BundleParentID)
			}
			if child.ManagementClass.Reportable() {
				t.Fatal("a bundle child would be reported")
			}
			if err := orderops.Unbundle(ctx, st, b2.ID, "operator"); err == nil {
				t.Fatal("unbundled from a child")
			}
			if err := orderops.Unbundle(ctx, st, b1.ID, "operator"); err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{b1.ID, b2.ID} {
				if o, _ := st.GetOrder(ctx, id); o.ManagementClass != order.Normal || o.BundleParentID != 0 {
					t.Fatalf("after undo: %s %q parent %d", o.Number, o.ManagementClass, o.BundleParentID)
				}
			}
			events, _ := st.ListOrderEvents(ctx, b2.ID)
			if len(events) < 2 || !strings.Contains(events[len(events)-1].Message, "同梱を解除") || events[len(events)-1].Actor != "operator" {
				t.Fatalf("events: %+v", events)
			}
		})
	}
}

// Splitting moves quantities to a child numbered after the original, reported under the
// original's marketplace number; au PAY orders warn first; undoing puts every line back.
func TestSplitAndUnsplit(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "split")
			hanako, pk := buyer("山田 花子")
			lines := []order.Line{
				{PackageKey: "1", SKU: "TEA-1", Name: "煎茶", UnitPrice: 1080, Quantity: 3, TaxRate: 8},
				{PackageKey: "1", SKU: "CUP-1", Name: "湯呑み", UnitPrice: 2200, Quantity: 1, TaxRate: 10},
			}
			o := seed(t, st, sh.ID, phases["出荷待ち"].ID, order.Order{Number: "338005-20261124-10000001", OrderedAt: time.Now(), Buyer: hanako, Packages: pk, Lines: lines})[0]
			if _, err := orderops.Split(ctx, st, o.ID, []orderops.LineMove{{Line: 0, Quantity: 4}}, "operator"); err == nil || !strings.Contains(err.Error(), "3個まで") {
				t.Fatalf("more than the line holds: %v", err)
			}
			if _, err := orderops.Split(ctx, st, o.ID, []orderops.LineMove{{Line: 0, Quantity: 3}, {Line: 1, Quantity: 1}}, "operator"); err == nil {
				t.Fatal("split everything away")
			}
			child, err := orderops.Split(ctx, st, o.ID, []orderops.LineMove{{Line: 0, Quantity: 2}}, "operator")
			if err != nil {
				t.Fatal(err)
			}
			parent, _ := st.GetOrder(ctx, o.ID)
			if child.Number != "338005-20261124-10000001-1" || child.MarketplaceNumber() != o.Number || child.SplitFromID != o.ID ||
				child.PhaseID != o.PhaseID || len(child.Lines) != 1 || child.Lines[0].Quantity != 2 {
				t.Fatalf("child: %+v", child)
			}
			if parent.ManagementClass != order.Split || parent.Lines[0].Quantity != 1 || len(parent.Lines) != 2 || parent.MarketplaceNumber() != o.Number {
				t.Fatalf("parent: %q %+v", parent.ManagementClass, parent.Lines)
			}
			second, err := orderops.Split(ctx, st, o.ID, []orderops.LineMove{{Line: 1, Quantity: 1}}, "operator")
			if err != nil || second.Number != "338005-20261124-10000001-2" {
				t.Fatalf("second split: %v %s", err, second.Number)
			}
			if shop.Channel(aupay.Channel).SplitWarning() == "" || shop.Channel(rakuten.Name).SplitWarning() != "" {
				t.Fatal("the overwrite warning belongs to au PAY only")
			}
			if err := orderops.Unsplit(ctx, st, child.ID, "operator"); err != nil {
				t.Fatal(err)
			}
			back, _ := st.GetOrder(ctx, o.ID)
			if back.ManagementClass != order.Normal || len(back.Lines) != 2 || back.Lines[0].Quantity != 3 || back.Lines[1].Quantity != 1 {
				t.Fatalf("after undo: %q %+v", back.ManagementClass, back.Lines)
			}
			if _, err := st.GetOrder(ctx, child.ID); err == nil {
				t.Fatal("the split child survived the undo")
			}
		})
	}
}

// TestSplitFollowsTheChannelsSplittableStatuses: a Rakuten order confirmed (注文確認済み: nothing
// shipped) still splits; one whose shipment was reported does not, and says why.
func TestSplitFollowsTheChannelsSplittableStatuses(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			sh, phases := storetest.NewShop(t, st, "splittable")
			hanako, pk := buyer("山田 花子")
			lines := []order.Line{{PackageKey: "1", SKU: "TEA-1", Name: "煎茶", UnitPrice: 1080, Quantity: 3, TaxRate: 8}}
			orders := seed(t, st, sh.ID, phases["出荷待ち"].ID,
				order.Order{Number: "338005-20261124-10000011", OrderedAt: time.Now(), Buyer: hanako, Packages: pk, Lines: lines},
				order.Order{Number: "338005-20261124-10000012", OrderedAt: time.Now(), Buyer: hanako, Packages: pk, Lines: lines})
			for i, status := range []workflow.LinkStatus{rakuten.LinkConfirmed, rakuten.LinkShipReported} {
				if err := st.InTx(ctx, func(tx store.Tx) error {
					return tx.SetLinkStatus(ctx, []int64{orders[i].ID}, store.Link{Status: string(status)})
				}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := orderops.Split(ctx, st, orders[0].ID, []orderops.LineMove{{Line: 0, Quantity: 1}}, "operator"); err != nil {
				t.Errorf("a confirmed order: %v", err)
			}
			if _, err := orderops.Split(ctx, st, orders[1].ID, []orderops.LineMove{{Line: 0, Quantity: 1}}, "operator"); err == nil || !strings.Contains(err.Error(), "既にモールと連携済み(発送完了報告済み)") {
				t.Errorf("a reported order: %v", err)
			}
		})
	}
}
