package order

import (
	"strconv"
	"strings"
	"time"
)

// Order is one marketplace order as ichigen stores it. Number is the marketplace's order number,
// unique per shop; ID is ichigen's own.
type Order struct {
	ID        int64
	ShopID    int64
	Number    string
	OrderedAt time.Time

	Buyer    Person
	Packages []Package
	Lines    []Line
	Amounts  Amounts

	PaymentMethod string
	Settlement    Settlement

	// Remarks is what the buyer wrote with the order at the marketplace (備考欄), as received;
	// Memo is the shop's own note on the order (備考・メモ), which only an operator writes: an
	// import never touches it.
	Remarks string
	Memo    string

	MarketplaceStatusRaw string
	MarketplaceStatus    MarketplaceStatus
	PaymentStatus        PaymentStatus
	// PaidOn is the day an operator confirmed the payment by hand (入金確認, YYYY-MM-DD in Japan
	// time); "" when nobody did. While it is set the order stays 入金済み whatever the marketplace
	// says, since a payment the shop collects itself (選択制決済) is never reported by it.
	PaidOn string

	// LatestShipDate is the moment the marketplace wants the order shipped by (Amazon's
	// LatestShipDate); zero when it names none. Prime marks an order the marketplace promised a
	// fast delivery for (Amazon Prime).
	LatestShipDate time.Time
	Prime          bool

	ManagementClass ManagementClass
	BundleParentID  int64 // set on a bundle child: the parent it was merged into
	SplitFromID     int64 // set on a split child: the order it was split from

	PhaseID int64
	// PhaseDone says the rule of the order's phase finished with it and left it there, having
	// no phase to move it to (seed 000: the destination phase is optional); the rule does not
	// take it again until it is moved.
	PhaseDone bool
	// PhaseEnteredAt is when the order came into its phase (imported into it, or moved); zero
	// when unknown.
	PhaseEnteredAt time.Time
	LinkStatus     string // channel-specific link status code; "" is 空欄(未処理)
	LinkMessage    string // the last link error's message, for the operator
	// LinkRef is the marketplace's reference for a link still in progress (報告中), such as
	// Rakuten's requestId of an async shipping update.
	LinkRef string

	Shipments []Shipment

	// RawPayload is the marketplace's answer for this order, kept as received for audit.
	RawPayload []byte

	// Version increases with every change; updates carry the version they read.
	Version int64

	MarketplaceUpdatedAt time.Time
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// Person is a buyer or a recipient.
type Person struct {
	Name    string `json:"name"`
	Kana    string `json:"kana,omitempty"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Zip     string `json:"zip,omitempty"`
	Address string `json:"address,omitempty"` // prefecture, city and street as one line
}

// Package is one destination of an order (Rakuten's basket). Lines and shipments name their
// package by Key.
type Package struct {
	Key    string `json:"key"`
	ShipTo Person `json:"ship_to"`
	// DeliveryDate is the day the buyer asked the parcel to arrive on (お届け希望日, 2026-11-05),
	// and DeliveryTime the time of day (お届け時間帯, 午前, 14時〜16時), as words; "" is none.
	DeliveryDate string `json:"delivery_date,omitempty"`
	DeliveryTime string `json:"delivery_time,omitempty"`
}

// Line is one ordered item.
type Line struct {
	PackageKey string
	SKU        string
	Name       string
	Options    string // the buyer's selected choices, as the marketplace wrote them
	UnitPrice  int64  // tax included, yen
	Quantity   int64
	TaxRate    int64 // percent: 10, 8 or 0
}

// Amounts are the order's money fields in integer yen.
type Amounts struct {
	Goods      Yen // 商品合計
	Tax        Yen // 消費税
	Postage    Yen // 送料
	PaymentFee Yen // 決済手数料 / 代引料
	Discount   Yen // クーポン等の値引き
	Points     Yen // 利用ポイント
	Total      Yen // 合計金額
	Requested  Yen // 請求金額
}

// Shipment is one parcel's report: ship date, carrier and tracking number.
type Shipment struct {
	PackageKey     string
	ShipDate       string // YYYY-MM-DD in Japan time; "" when not yet shipped
	Carrier        string // ichigen carrier code, see the channel package
	TrackingNumber string
	MarketplaceRef string // the marketplace's id for this shipment (Rakuten shippingDetailId)
}

// Settlement is the settlement family of a payment method. Rakuten Pay imports common
// settlement orders from 注文確認待ち and selective ones only from 発送待ち.
type Settlement string

// The settlement families.
const (
	SettlementCommon    Settlement = "common"    // 楽天共通決済: card, bank transfer, convenience prepay
	SettlementSelective Settlement = "selective" // 選択制決済: 代金引換, 後払い
)

// MarketplaceStatus is the marketplace's order status normalised across channels; the raw
// value is kept beside it.
type MarketplaceStatus string

// The normalised marketplace statuses.
const (
	StatusUnconfirmed      MarketplaceStatus = "unconfirmed"       // 注文確認待ち / 新規受付
	StatusInReview         MarketplaceStatus = "in_review"         // 楽天処理中 / 与信待ち
	StatusAwaitingPayment  MarketplaceStatus = "awaiting_payment"  // 発送前入金待ち
	StatusAwaitingShipment MarketplaceStatus = "awaiting_shipment" // 発送待ち
	StatusChanging         MarketplaceStatus = "changing"          // 変更確定待ち
	StatusShipped          MarketplaceStatus = "shipped"           // 発送済 / 発送後入金待ち
	StatusCompleted        MarketplaceStatus = "completed"         // 支払手続き済 / 完了
	StatusOnHold           MarketplaceStatus = "on_hold"           // 保留
	StatusCancelPending    MarketplaceStatus = "cancel_pending"    // キャンセル確定待ち
	StatusCancelled        MarketplaceStatus = "cancelled"         // キャンセル
	StatusUnknown          MarketplaceStatus = "unknown"
)

// Label returns the status in Japanese.
func (s MarketplaceStatus) Label() string {
	switch s {
	case StatusUnconfirmed:
		return "注文確認待ち"
	case StatusInReview:
		return "審査中"
	case StatusAwaitingPayment:
		return "入金待ち"
	case StatusAwaitingShipment:
		return "発送待ち"
	case StatusChanging:
		return "変更確定待ち"
	case StatusShipped:
		return "発送済み"
	case StatusCompleted:
		return "完了"
	case StatusOnHold:
		return "保留"
	case StatusCancelPending:
		return "キャンセル確定待ち"
	case StatusCancelled:
		return "キャンセル"
	}
	return "不明"
}

// Cancelled reports whether the marketplace has cancelled the order or is about to.
func (s MarketplaceStatus) Cancelled() bool {
	return s == StatusCancelled || s == StatusCancelPending
}

// Final reports whether the order is finished on the marketplace: completed (完了) or cancelled
// (キャンセル, or about to be). A bulk action leaves such orders alone unless the operator
// includes them explicitly; each channel maps its own statuses onto these.
func (s MarketplaceStatus) Final() bool {
	return s == StatusCompleted || s.Cancelled()
}

// PaymentStatus says whether the buyer's payment has arrived.
type PaymentStatus string

// The payment statuses.
const (
	Unpaid PaymentStatus = "unpaid" // 未入金
	Paid   PaymentStatus = "paid"   // 入金済み
)

// Label returns the status in Japanese.
func (p PaymentStatus) Label() string {
	if l, ok := cardPaymentLabels[p]; ok {
		return l
	}
	if p == Paid {
		return "入金済み"
	}
	return "未入金"
}

// MarketplaceNumber is the number the marketplace knows the order by: a split child carries its
// original's number with "-<n>" appended (SplitChildNumber), and is reported under the original.
func (o Order) MarketplaceNumber() string {
	if o.SplitFromID != 0 {
		if i := strings.LastIndex(o.Number, "-"); i > 0 {
			return o.Number[:i]
		}
	}
	return o.Number
}

// SplitChildNumber is the number of an order's n-th split child (分割).
func SplitChildNumber(number string, n int) string { return number + "-" + strconv.Itoa(n) }

// ManagementClass is 管理区分: whether an order stands alone, was bundled or was split.
type ManagementClass string

// The management classes.
const (
	Normal       ManagementClass = "normal"        // 通常
	BundleParent ManagementClass = "bundle_parent" // 同梱親
	BundleChild  ManagementClass = "bundle_child"  // 同梱子
	Split        ManagementClass = "split"         // 分割
)

// Label returns the class in Japanese.
func (m ManagementClass) Label() string {
	switch m {
	case BundleParent:
		return "同梱親"
	case BundleChild:
		return "同梱子"
	case Split:
		return "分割"
	}
	return "通常"
}

// Reportable reports whether an order of this class is ever sent to the marketplace: a bundle
// child is not, its parent is sent under its own number.
func (m ManagementClass) Reportable() bool { return m != BundleChild }

// NormaliseTrackingNumber turns full-width digits, letters and hyphens into half-width and drops
// hyphens and spaces, so "４４４４-１３７５-８７０３" and "444413758703" are the same number.
func NormaliseTrackingNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r >= 'Ａ' && r <= 'Ｚ':
			b.WriteRune('A' + (r - 'Ａ'))
		case r >= 'ａ' && r <= 'ｚ':
			b.WriteRune('A' + (r - 'ａ'))
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r == '-' || r == '－' || r == 'ー' || r == '‐' || r == ' ' || r == '　':
			// separators carry no meaning in a tracking number
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
