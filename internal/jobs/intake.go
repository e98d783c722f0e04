package jobs

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// StoreOrders stores orders a channel received rather than fetched (the own cart posts them) as
// an import stores them: new ones land in the shop's first phase, whose rule is queued in the
// same transaction; known ones are overwritten only when overwrite is set, else only their
// marketplace-owned fields refresh.
func (q *Queue) StoreOrders(ctx context.Context, st store.Store, sh shop.Shop, orders []order.Order, overwrite bool, actor string) (store.UpsertResult, error) {
	return Deps{Store: st}.storeImported(ctx, q.client, sh, orders, overwrite, actor)
}
