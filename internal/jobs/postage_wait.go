package jobs

import (
	"context"
	"fmt"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// MsgPostageFixedAtMarketplace is the link message of an order whose postage the shop fixed at the
// marketplace (in RMS) while ichigen held it as 未確定: confirming it is the operator's next step.
const MsgPostageFixedAtMarketplace = "モールで送料が確定しました(送料 %d 円)。注文確認の処理フェーズに移動すると注文確認します。"

// refreshUnfixedPostage reads back from the marketplace the shop's stored orders at 注文確認待ち
// whose postage is not fixed (Rakuten -9999). The import's window, by order date, does not reach
// them again, yet the shop fixes their postage in RMS days later, and RMS cancels them 14 days
// after the order if they stay unconfirmed. An order the marketplace now holds with its postage
// is overwritten with the marketplace's version (its amounts; shipments entered in ichigen
// survive) and told to be confirmed; the others refresh their marketplace status, so that a
// cancelled one leaves 要対応. They are few: a handful of calls of up to 100 orders. It returns
// the numbers whose postage is now fixed.
func (d Deps) refreshUnfixedPostage(ctx context.Context, sh shop.Shop, fetcher Fetcher) (map[string]bool, error) {
	r, ok := fetcher.(Refetcher)
	if !ok {
		return nil, nil
	}
	stored := map[string]order.Order{}
	var numbers []string
	for page := 1; ; page++ {
		found, err := d.Store.SearchOrders(ctx, store.OrderQuery{ShopID: sh.ID, PostageUnfixed: true, MarketplaceStatus: order.StatusUnconfirmed,
			Ascending: true, Page: page, PageSize: store.MaxPageSize})
		if err != nil {
			return nil, fmt.Errorf("orders of shop %d waiting for postage: %w", sh.ID, err)
		}
		for _, o := range found.Orders {
			stored[o.Number] = o
			numbers = append(numbers, o.Number)
		}
		if len(found.Orders) < store.MaxPageSize {
			break
		}
	}
	if len(numbers) == 0 {
		return nil, nil
	}
	fresh, err := r.Refetch(ctx, numbers)
	if err != nil {
		return nil, fmt.Errorf("re-read orders of shop %d waiting for postage: %w", sh.ID, err)
	}
	var fixed, still []order.Order
	for _, o := range fresh {
		// A bundle or a split holds lines of ichigen's own making: only the marketplace status
		// of those refreshes, and the operator undoes them to take the marketplace's amounts.
		if _, ok := o.Amounts.Postage.Value(); ok && stored[o.Number].ManagementClass == order.Normal {
			fixed = append(fixed, o)
		} else {
			still = append(still, o)
		}
	}
	done := map[string]bool{}
	err = d.Store.InTx(ctx, func(tx store.Tx) error {
		if len(still) > 0 {
			if _, err := tx.UpsertOrders(ctx, sh.ID, still, store.UpsertOptions{Actor: "system:import"}); err != nil {
				return err
			}
		}
		if len(fixed) == 0 {
			return nil
		}
		if _, err := tx.UpsertOrders(ctx, sh.ID, fixed, store.UpsertOptions{Overwrite: true, Actor: "system:import"}); err != nil {
			return err
		}
		for _, o := range fixed {
			was := stored[o.Number]
			postage, _ := o.Amounts.Postage.Value()
			if err := tx.SetLinkStatus(ctx, []int64{was.ID}, store.Link{Status: was.LinkStatus, Message: fmt.Sprintf(MsgPostageFixedAtMarketplace, postage)}); err != nil {
				return err
			}
			done[o.Number] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store orders of shop %d whose postage was fixed: %w", sh.ID, err)
	}
	return done, nil
}
