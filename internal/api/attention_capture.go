package api

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// CaptureWaits are a shop's card orders still in 仮売上 whose 58 days end within 7 days: unless
// their sale is fixed (売上確定) in time, Yamato pays nothing.
type CaptureWaits struct {
	Count       int64         `json:"count" doc:"注文の件数 (10,000件を超えるときは10,000で、count_cappedがtrue)"`
	CountCapped bool          `json:"count_capped"`
	Orders      []CaptureWait `json:"orders" doc:"期限の近い順に最大20件"`
	Filter      OrderFilter   `json:"filter" doc:"これらの注文を含む検索条件 (仮売上の注文、注文日の終了つき): GET /orders のクエリにそのまま使えます"`
}

// CaptureWait is one authorised order with its countdown.
type CaptureWait struct {
	ID        int64     `json:"id"`
	Number    string    `json:"number"`
	OrderedAt time.Time `json:"ordered_at"`
	Deadline  time.Time `json:"deadline" doc:"仮売上が期限切れになる日時 (注文から58日)"`
	DaysLeft  int       `json:"days_left" doc:"期限までの日数 (1日未満も1日。過ぎていれば0以下)"`
}

func captureWaitsOf(s attention.Shop, now time.Time) CaptureWaits {
	e := s.ExpiringAuthorizations
	to := now.Add(order.CaptureWarning - order.CardAuthorizationLife).In(order.JST).Format(time.DateOnly)
	out := CaptureWaits{Count: min(e.Total, store.CountCap), CountCapped: store.Capped(e.Total), Orders: []CaptureWait{},
		Filter: OrderFilter{Shop: s.Shop.ID, PaymentStatus: string(order.CardAuthorized), OrderedTo: to}}
	for _, w := range e.Orders {
		out.Orders = append(out.Orders, CaptureWait{ID: w.Order.ID, Number: w.Order.Number, OrderedAt: w.Order.OrderedAt, Deadline: w.Deadline, DaysLeft: w.DaysLeft})
	}
	return out
}
