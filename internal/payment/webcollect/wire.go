package webcollect

import (
	"encoding/xml"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Endpoint is webコレクト's production base; a function's URL is Endpoint + "/" + its name.
const Endpoint = "https://api.kuronekoyamato.co.jp/api"

// Function is one webコレクト function: its code (function_div) and the path name it is posted to.
type Function struct{ Code, Name string }

// The functions ichigen and the demo cart call (marketplace-apis.md §5a.1).
var (
	FuncCreditToken       = Function{"A08", "creditToken"}       // token 与信
	FuncCreditInfoGet     = Function{"A03", "creditInfoGet"}     // お預かりカード照会
	FuncCreditInfoDelete  = Function{"A05", "creditInfoDelete"}  // お預かりカード削除
	FuncCreditCancel      = Function{"A06", "creditCancel"}      // 取消
	FuncCreditChangePrice = Function{"A07", "creditChangePrice"} // 金額変更
	FuncReAuth            = Function{"A11", "reAuth"}            // 再与信
	FuncShipmentEntry     = Function{"E01", "shipmentEntry"}     // 出荷情報登録 (売上確定)
	FuncShipmentCancel    = Function{"E02", "shipmentCancel"}    // 出荷情報取消
	FuncTradeInfo         = Function{"E04", "tradeInfo"}         // 取引情報照会
)

// Functions lists them, for the simulator's routes.
var Functions = []Function{FuncCreditToken, FuncCreditInfoGet, FuncCreditInfoDelete, FuncCreditCancel, FuncCreditChangePrice,
	FuncReAuth, FuncShipmentEntry, FuncShipmentCancel, FuncTradeInfo}

// IsWrite tells the functions that change a trade.
func IsWrite(name string) bool {
	switch name {
	case FuncCreditToken.Name, FuncCreditCancel.Name, FuncCreditChangePrice.Name, FuncReAuth.Name, FuncShipmentEntry.Name,
		FuncShipmentCancel.Name, FuncCreditInfoDelete.Name:
		return true
	}
	return false
}

// Delivery service codes of E01 (delivery_service_code).
const (
	DeliveryYamato = "00" // ヤマト配送: slip_no is the 12-digit 送り状番号
	DeliveryOther  = "99" // 他社配送 (運送オプション): slip_no is the shop's own value
)

// TradeStatus is a trade's 取引状況 (E04 statusInfo).
type TradeStatus string

// The trade statuses of a card trade (marketplace-apis.md §5a.5).
const (
	StatusAuthorized      TradeStatus = "4"  // 与信完了
	StatusChangeFailed    TradeStatus = "17" // 金額変更NG
	StatusAwaitingSettle  TradeStatus = "30" // 精算確定待ち (E01 done)
	StatusSettled         TradeStatus = "31" // 精算確定
	StatusCancelled       TradeStatus = "40" // 取消
	StatusBuyerError      TradeStatus = "11" // 購入者都合エラー
	StatusInterruptedAuth TradeStatus = "20" // 決済中断
)

// Label returns the status as webコレクト's screen names it.
func (s TradeStatus) Label() string {
	switch s {
	case StatusAuthorized:
		return "与信完了"
	case StatusChangeFailed:
		return "金額変更NG"
	case StatusAwaitingSettle:
		return "精算確定待ち"
	case StatusSettled:
		return "精算確定"
	case StatusCancelled:
		return "取消"
	case StatusBuyerError:
		return "購入者都合エラー"
	case StatusInterruptedAuth:
		return "決済中断"
	}
	return "取引状況" + string(s)
}

// Captured reports whether the shipment entry has fixed the sale (精算確定待ち or 精算確定).
func (s TradeStatus) Captured() bool { return s == StatusAwaitingSettle || s == StatusSettled }

// Reply is every function's answer: <return> with flat children. Fields a function does not send
// stay empty.
type Reply struct {
	XMLName    xml.Name `xml:"return"`
	ReturnCode string   `xml:"returnCode"` // 0 OK, 1 NG
	ErrorCode  string   `xml:"errorCode,omitempty"`
	ReturnDate string   `xml:"returnDate"` // YYYYMMDDHHMMSS
	// CreditErrorCode is the card network's code of a decline (G12, G54, …).
	CreditErrorCode string `xml:"creditErrorCode,omitempty"`
	// CrdCResCd is the authorisation's approval number (A08).
	CrdCResCd string `xml:"crdCResCd,omitempty"`
	// SlipURLPC is the parcel tracking page of a shipment entry (E01).
	SlipURLPC string `xml:"slipUrlPc,omitempty"`
	// ResultCount and ResultData are E04's trades.
	ResultCount string      `xml:"resultCount,omitempty"`
	ResultData  []TradeInfo `xml:"resultData,omitempty"`
	// CardUnit and CardData are A03's stored cards.
	CardUnit string     `xml:"cardUnit,omitempty"`
	CardData []CardData `xml:"cardData,omitempty"`
}

// OK reports whether the function succeeded.
func (r Reply) OK() bool { return r.ReturnCode == "0" }

// TradeInfo is one trade as E04 returns it (the fields ichigen reads; w2Commerce
// TradeInfoResponseData.cs and the EC-CUBE3 test fixture name them).
type TradeInfo struct {
	OrderNo             string      `xml:"orderNo"`
	SettleDate          string      `xml:"settleDate"` // YYYYMMDDHHMMSS
	SettlePrice         int64       `xml:"settlePrice"`
	SettleMethodDiv     string      `xml:"settleMethodDiv"` // 0 card
	StatusInfo          TradeStatus `xml:"statusInfo"`
	CrdCResCd           string      `xml:"crdCResCd"`
	CrdCResDate         string      `xml:"crdCResDate"` // YYYYMMDDHHMMSS: when authorised
	SlipNo              string      `xml:"slipNo"`
	DeliveryServiceCode string      `xml:"deliveryServiceCode"`
	SlipDate            string      `xml:"slipDate"`
	FinishDate          string      `xml:"finishDate"` // YYYYMMDD
	CancelDate          string      `xml:"cancelDate"`
	// AsOf is when webコレクト answered (the reply's returnDate): the gateway's own clock.
	AsOf time.Time `xml:"-"`
}

// AuthorizedAt is when the trade was authorised (crdCResDate), zero when unreadable.
func (t TradeInfo) AuthorizedAt() time.Time {
	at, _ := ParseDateTime(t.CrdCResDate)
	return at
}

// Lapsed reports whether the trade's authorisation has outlived AuthorizationLife by the
// gateway's clock: still 与信完了, 58 days or more after it was authorised.
func (t TradeInfo) Lapsed() bool {
	auth := t.AuthorizedAt()
	return t.StatusInfo == StatusAuthorized && !auth.IsZero() && !t.AsOf.IsZero() && !t.AsOf.Before(auth.Add(AuthorizationLife))
}

// DaysLeft is how many whole days the authorisation has left by the gateway's clock (0 when
// lapsed).
func (t TradeInfo) DaysLeft() int {
	left := t.AuthorizedAt().Add(AuthorizationLife).Sub(t.AsOf)
	if left <= 0 {
		return 0
	}
	return int(left / (24 * time.Hour))
}

// CardData is one stored card (A03): masked, never its number.
type CardData struct {
	CardKey        string `xml:"cardKey"`
	MaskingCardNo  string `xml:"maskingCardNo"`
	CardExp        string `xml:"cardExp"` // MMYY
	CardOwner      string `xml:"cardOwner"`
	LastCreditDate string `xml:"lastCreditDate"`
}

// DateTimeLayout is webコレクト's datetime format, in Japan time.
const DateTimeLayout = "20060102150405"

var jst = time.FixedZone("JST", 9*60*60)

// FormatDateTime writes t as webコレクト does.
func FormatDateTime(t time.Time) string { return t.In(jst).Format(DateTimeLayout) }

// ParseDateTime reads a webコレクト datetime.
func ParseDateTime(s string) (time.Time, error) {
	t, err := time.ParseInLocation(DateTimeLayout, s, jst)
	if err != nil {
		return time.Time{}, fmt.Errorf("webコレクトの日時 %q: %w", s, err)
	}
	return t, nil
}

// AuthorizationLife is how long an authorisation stays capturable: 58 days from the order
// (seed 004, 売上処理について).
const AuthorizationLife = order.CardAuthorizationLife
