package demo

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// FileShop is a file-only channel's demo shop (the CSV shop): no simulator, its buyers' orders
// arrive as files the demo imports as an operator uploads them.
type FileShop struct {
	Spec *channel.Spec
	Shop shop.Shop
	next int // the next order's sequence number
}

// fileShops lists the file-only channels' demo shops, not made yet.
func fileShops() []*FileShop {
	var out []*FileShop
	for _, spec := range channel.All() {
		if spec.FileOnly && spec.FileDemo != nil {
			out = append(out, &FileShop{Spec: spec})
		}
	}
	return out
}

// setup makes sure the file shop exists with its settings (the column mapping, the shipment
// layout) and the mail rules every demo shop has.
func (f *FileShop) setup(ctx context.Context, st store.Store) (shop.Shop, error) {
	demo := f.Spec.FileDemo
	shops, err := st.ListShops(ctx)
	if err != nil {
		return shop.Shop{}, err
	}
	for _, sh := range shops {
		if sh.Name == demo.ShopName {
			return sh, nil
		}
	}
	sh, err := st.CreateShop(ctx, shop.Shop{Channel: shop.Channel(f.Spec.Name), Name: demo.ShopName, Code: demo.Code})
	if err != nil {
		return shop.Shop{}, err
	}
	for name, v := range demo.Settings {
		if err := st.SetShopSetting(ctx, sh.ID, name, v, "demo"); err != nil {
			return shop.Shop{}, err
		}
	}
	return sh, addMailRules(ctx, st, sh)
}

// importOrders has count buyers order at the file shop at at, and imports their file into the
// first phase, as the CSV upload does.
func (f *FileShop) importOrders(ctx context.Context, st store.Store, count int, at time.Time) error {
	phases, err := st.ListPhases(ctx)
	if err != nil || len(phases) == 0 {
		return fmt.Errorf("demo file shop: no phase to import into: %v", err)
	}
	if f.next == 0 {
		// A run after another keeps numbering after the orders already stored.
		page, err := st.SearchOrders(ctx, store.OrderQuery{ShopID: f.Shop.ID, PageSize: 1})
		if err != nil {
			return err
		}
		f.next = int(page.Total) + 1
	}
	file := f.Spec.FileDemo.Orders(count, f.next, at, rand.IntN)
	f.next += count
	_, err = orderimport.Import(ctx, st, f.Shop.ID, phases[0].ID, bytes.NewReader(file), "demo:csv")
	return err
}

// placeFileOrders is PlaceOrders' part for the file shops: a first file of a few orders, then
// now and then one more.
func (d *Demo) placeFileOrders(ctx context.Context, st store.Store, first bool) {
	for _, f := range d.Files {
		count, at := 1, time.Now()
		if first {
			count, at = 5, time.Now().Add(-30*time.Minute)
		} else if rand.IntN(3) != 0 {
			continue
		}
		if err := f.importOrders(ctx, st, count, at); err != nil && ctx.Err() == nil {
			slog.Error("demo CSV orders", "shop", f.Shop.Name, "error", err)
		}
	}
}
