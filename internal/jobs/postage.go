package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// PostageSetter sets an order's postage at the marketplace and returns the order as it then
// holds it (Rakuten's fix for postage -9999).
type PostageSetter = channel.PostageSetter

// SetPostageArgs pushes the postage an operator entered to the marketplace ([入力内容を反映する]):
// the fix path of an order refused with 「送料が未設定の注文です」. The order's amounts then
// follow the marketplace; confirming it is the operator's next step.
type SetPostageArgs struct {
	ShopID  int64 `json:"shop_id"`
	OrderID int64 `json:"order_id"`
	Postage int64 `json:"postage"`
}

// Kind implements river.JobArgs.
func (SetPostageArgs) Kind() string { return "set_postage" }

type setPostageWorker struct {
	river.WorkerDefaults[SetPostageArgs]
	deps Deps
}

func (w *setPostageWorker) Work(ctx context.Context, job *river.Job[SetPostageArgs]) error {
	st := w.deps.Store
	sh, setter, err := operatorClient[PostageSetter](ctx, w.deps, job.Args.ShopID, "set postage")
	if err != nil {
		return err
	}
	o, err := st.GetOrder(ctx, job.Args.OrderID)
	if err != nil || o.ShopID != sh.ID {
		return river.JobCancel(fmt.Errorf("order %d of shop %d: %w", job.Args.OrderID, sh.ID, err))
	}
	got, err := setter.SetPostage(channel.WithCall(ctx, "set_postage", o.ID), o.Number, job.Args.Postage)
	switch {
	case err == nil:
	case channel.ClassOf(err) == channel.Auth:
		return w.deps.authFailed(ctx, river.ClientFromContext[dbTx](ctx), sh, err)
	case channel.ClassOf(err) == channel.Rejected:
		// Nothing to retry: tell the operator on the order.
		if serr := st.SetLinkStatus(ctx, []int64{o.ID}, store.Link{Status: o.LinkStatus, Message: "送料をRMSに反映できませんでした: " + errorMessage(err)}); serr != nil {
			return serr
		}
		return river.JobCancel(err)
	default:
		return err
	}
	return st.InTx(ctx, func(tx store.Tx) error {
		// The marketplace's amounts are the truth now; shipments entered in ichigen survive.
		if _, err := tx.UpsertOrders(ctx, sh.ID, []order.Order{got}, store.UpsertOptions{Overwrite: true, Actor: "operator:set_postage"}); err != nil {
			return err
		}
		return tx.SetLinkStatus(ctx, []int64{o.ID}, store.Link{Status: o.LinkStatus,
			Message: fmt.Sprintf("送料 %d 円をRMSに反映しました。注文確認の処理フェーズに移動すると注文確認します。", job.Args.Postage)})
	})
}
