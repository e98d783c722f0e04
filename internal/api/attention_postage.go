package api

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// postageUnfixed is the order filter's value of 送料未確定.
const postageUnfixed = "unfixed"

// PostageWaits are a shop's orders at 注文確認待ち whose postage is not fixed (送料未確定): they
// cannot be confirmed until it is, and the marketplace cancels them when they stay unconfirmed.
// The fix: enter the postage in RMS (or in ichigen's order detail, which pushes it to RMS), then
// confirm them.
type PostageWaits struct {
	Count           int64         `json:"count" doc:"注文の件数 (10,000件を超えるときは10,000で、count_cappedがtrue)"`
	CountCapped     bool          `json:"count_capped"`
	CancelAfterDays int           `json:"cancel_after_days" doc:"注文日から何日でモールが注文確認のない注文をキャンセルするか (楽天: 14)。キャンセルしないモールは0"`
	Orders          []PostageWait `json:"orders" doc:"キャンセルの近い順に最大20件"`
	Filter          OrderFilter   `json:"filter" doc:"これらの注文すべてを探す検索条件: GET /orders のクエリ、または一括処理の filter にそのまま使えます"`
}

// PostageWait is one order waiting for its postage, with its countdown.
type PostageWait struct {
	ID        int64      `json:"id"`
	Number    string     `json:"number"`
	OrderedAt time.Time  `json:"ordered_at"`
	CancelAt  *time.Time `json:"cancel_at,omitempty" doc:"注文確認されないままならモールがキャンセルする日時"`
	DaysLeft  *int       `json:"days_left,omitempty" doc:"キャンセルまでの日数 (1日未満も1日。過ぎていれば0以下)"`
}

func postageWaitsOf(s attention.Shop) PostageWaits {
	u := s.UnfixedPostage
	out := PostageWaits{Count: min(u.Total, store.CountCap), CountCapped: store.Capped(u.Total), CancelAfterDays: int(u.CancelAfter.Hours() / 24),
		Orders: []PostageWait{}, Filter: OrderFilter{Shop: s.Shop.ID, Postage: postageUnfixed, MarketplaceStatus: string(order.StatusUnconfirmed)}}
	for _, w := range u.Orders {
		pw := PostageWait{ID: w.Order.ID, Number: w.Order.Number, OrderedAt: w.Order.OrderedAt}
		if u.CancelAfter > 0 {
			at, days := w.CancelAt, w.DaysLeft
			pw.CancelAt, pw.DaysLeft = &at, &days
		}
		out.Orders = append(out.Orders, pw)
	}
	return out
}
