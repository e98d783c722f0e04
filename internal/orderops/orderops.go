// Package orderops holds what an operator does to orders beyond moving them between phases:
// setting the link status by hand (the retry path), bundling (同梱) and splitting (分割). The web
// UI, the REST API and the CLI all call these, so each rule is checked in one place.
package orderops

import (
	"context"
	"fmt"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// MaxBulk bounds the orders of one bulk operation (and of one CSV file): a larger search is
// narrowed first, so one click never ties up the database for minutes.
const MaxBulk = 100_000

// FindAll returns the ids of every order q finds, in q's order: the 「検索結果すべて」 of a bulk
// operation. A search finding none, or more than MaxBulk, is refused with what to do.
func FindAll(ctx context.Context, st store.Store, q store.OrderQuery) ([]int64, error) {
	ids, err := st.OrderIDs(ctx, q, MaxBulk+1)
	if err != nil {
		return nil, err
	}
	if len(ids) > MaxBulk {
		return nil, apperror.New(apperror.Invalid, "検索結果が%d件を超えるため一度に処理できません。条件で絞り込んでから実行してください。", MaxBulk)
	}
	if len(ids) == 0 {
		return nil, apperror.New(apperror.Invalid, "検索結果に注文がありません。条件を確認してください。")
	}
	return ids, nil
}

// SetLinkStatus sets the link status of orders by hand (連携ステータス変更), one order or many
// selected at once. Only the values each channel allows by hand may be set (au PAY: 空欄(未処理),
// 出荷情報反映済み, 受注完了ステータス反映済み, and only on au PAY orders); one order that may
// not take the value refuses the whole request, naming it. The link message and reference are
// cleared, and each order's history gets a line saying who changed what.
func SetLinkStatus(ctx context.Context, st store.Store, ids []int64, status workflow.LinkStatus, actor string) error {
	if len(ids) == 0 {
		return apperror.New(apperror.Invalid, "連携ステータスを変更する注文を選択してください。")
	}
	shops := map[int64]shop.Shop{}
	var refused []string
	events := make([]order.Event, 0, len(ids))
	for _, id := range ids {
		o, err := st.GetOrder(ctx, id)
		if err != nil {
			return err
		}
		sh, ok := shops[o.ShopID]
		if !ok {
			if sh, err = st.GetShop(ctx, o.ShopID); err != nil {
				return err
			}
			shops[o.ShopID] = sh
		}
		if err := sh.Channel.CheckManualLinkStatus(status); err != nil {
			if len(refused) < 5 {
				refused = append(refused, fmt.Sprintf("%s(%s)", o.Number, sh.Channel.Label()))
			}
			if len(refused) == 1 && len(ids) == 1 {
				return err
			}
			continue
		}
		events = append(events, order.Event{OrderID: id, Kind: order.EventLinkStatusSet, Actor: actor,
			Message: fmt.Sprintf("連携ステータスを「%s」から「%s」に変更", workflow.LinkStatus(o.LinkStatus).Label(), status.Label())})
	}
	if len(refused) > 0 {
		return apperror.New(apperror.Invalid, "連携ステータスを「%s」に変更できない注文が含まれています: %s。その店舗の注文では手動で選べない値です。店舗で絞り込んでから選び直してください。",
			status.Label(), strings.Join(refused, "、"))
	}
	return st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetLinkStatus(ctx, ids, store.Link{Status: string(status)}); err != nil {
			return err
		}
		return tx.AddOrderEvents(ctx, events)
	})
}
