package web

import (
	"context"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/packing"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// The order page as an operator reads it (issue 20 item 4): no internal codes — a job as
// 自動処理「注文確認」, a destination as お届け先1, the marketplace's status by its own name —
// and what a split order's amounts are.

// actorText is an order history's actor in the request's language: a person's login, or the
// job that acted (自動処理「注文確認」).
func actorText(ctx context.Context, actor string) string {
	label, ok := workflow.SystemActor(actor)
	switch {
	case !ok:
		return actor
	case label == "":
		return t(ctx, "自動処理")
	}
	return tf(ctx, "自動処理「%s」", t(ctx, label))
}

// packageTitle names one of the order's destinations: お届け先, or お届け先1, 2… for several.
func (v orderView) packageTitle(key string) string { return packing.PackageTitle(v.Order, key) }

// marketplaceStatusName is the order's marketplace status by the marketplace's own name (楽天処理中),
// and the raw code when it differs from the name, for a hint.
func (v orderView) marketplaceStatusName() (name, code string) {
	raw := v.Order.MarketplaceStatusRaw
	name = v.Shop.Channel.StatusName(raw)
	if name != raw {
		code = raw
	}
	return name, code
}

// amountsNote says in one line what the order's amounts are where they are not simply its own
// lines': a split order's are the whole order's, a split child has none, a bundle parent's are its
// own only. "" for a normal order.
func (v orderView) amountsNote() string {
	switch {
	case v.Order.ManagementClass == order.Split && v.Order.SplitFromID != 0:
		return "分割先の注文には金額がありません。送料・手数料・請求金額は分割元の注文にまとめて残っています(モールへの請求は分割元の1件です)。"
	case v.Order.ManagementClass == order.Split:
		return "分割元の金額は分割前の注文全体の金額です(分割先へ移した商品を含みます)。上の商品一覧は分割元に残った商品だけのため、商品の合計とは一致しません。"
	case v.Order.ManagementClass == order.BundleParent:
		return "同梱親の金額はこの注文だけの金額です。同梱子の金額は含みません(モールへの請求は注文ごとです)。"
	}
	return ""
}

// slipShows says whether a slip prints an amount that is often nothing (a fee, a coupon,
// points): a fixed zero is left off.
func slipShows(y order.Yen) bool {
	v, ok := y.Value()
	return !ok || v != 0
}

// negative writes an amount taken off a total: -¥300.
func negative(y order.Yen) string {
	if v, ok := y.Value(); ok && v > 0 {
		return order.YenOf(-v).String()
	}
	return y.String()
}

// orNone is s, or 指定なし for nothing.
func orNone(ctx context.Context, s string) string {
	if s == "" {
		return t(ctx, "指定なし")
	}
	return s
}
