package order

import "time"

// The card payment statuses of an own-cart order paid through クロネコwebコレクト, exactly as
// makeshop's manual names them (seed 004, クロネコwebコレクト カード決済ステータス). They are
// PaymentStatus values beside 未入金 and 入金済み, so the order list filters on them and the order
// page and the API show them.
const (
	// CardAuthorized: the card is authorised only (仮売上); the sale must be fixed within 58 days
	// of the order, or Yamato pays nothing.
	CardAuthorized PaymentStatus = "card_authorized"
	// CardCaptured: the sale is fixed (決済完了); the order can no longer be cancelled from ichigen.
	CardCaptured PaymentStatus = "card_captured"
	// CardCancelled: the authorisation is cancelled (注文キャンセル).
	CardCancelled PaymentStatus = "card_cancelled"
	// CardExpired: 58 days passed in 仮売上 (仮売上期限切れ).
	CardExpired PaymentStatus = "card_expired"
	// CardFailed: a payment operation failed (決済失敗).
	CardFailed PaymentStatus = "card_failed"
	// CardUnsettled: the card payment has not finished (要確認).
	CardUnsettled PaymentStatus = "card_unsettled"
)

// CardPaymentStatuses lists them in the seed's order.
var CardPaymentStatuses = []PaymentStatus{CardAuthorized, CardCaptured, CardCancelled, CardExpired, CardFailed, CardUnsettled}

var cardPaymentLabels = map[PaymentStatus]string{
	CardAuthorized: "仮売上", CardCaptured: "決済完了", CardCancelled: "注文キャンセル",
	CardExpired: "仮売上期限切れ", CardFailed: "決済失敗", CardUnsettled: "要確認",
}

// Card reports whether p is one of the card payment statuses.
func (p PaymentStatus) Card() bool {
	_, ok := cardPaymentLabels[p]
	return ok
}

// CardAuthorizationLife is how long a card authorisation (仮売上) can be captured: 58 days from
// the order (seed 004, 売上処理について).
const CardAuthorizationLife = 58 * 24 * time.Hour

// CaptureWarning is how long before the limit an authorised order is counted on 要対応.
const CaptureWarning = 7 * 24 * time.Hour

// CaptureDeadline is when an authorised order's 仮売上 lapses.
func (o Order) CaptureDeadline() time.Time { return o.OrderedAt.Add(CardAuthorizationLife) }
