package aupay

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Channel names au PAY Market in errors and the API call history.
const Channel = "aupay"

// PathPrefix is where every operation lives: https://api.manager.wowma.jp/wmshopapi/<proc>.
const PathPrefix = "/wmshopapi/"

// The operations (procs) ichigen uses.
const (
	OpSearchTradeInfoList = "searchTradeInfoListProc" // GET: trades of a date range, paged
	OpSearchTradeInfo     = "searchTradeInfoProc"     // GET: one trade by orderId
	OpUpdateTradeInfo     = "updateTradeInfoProc"     // POST: shippingDate, shippingCarrier, shippingNumber
	OpUpdateTradeSts      = "updateTradeStsProc"      // POST: orderStatus (a Japanese label)
	OpCancelTrade         = "cancelTradeProc"         // POST: cancelReason, cancelComment
)

// IsWrite reports whether an operation changes the trade; a timeout on one is an unknown outcome.
func IsWrite(op string) bool {
	return op == OpUpdateTradeInfo || op == OpUpdateTradeSts || op == OpCancelTrade
}

// The order status labels (orderStatus), as clients of the API list them (marketplace-apis.md §2).
const (
	StatusNew                  = "新規受付"
	StatusNewReservation       = "新規予約"
	StatusReserved             = "予約中"
	StatusAwaitingPayment      = "発送前入金待ち"
	StatusAwaitingCredit       = "与信待ち"
	StatusAwaitingShipment     = "発送待ち"
	StatusAwaitingPaymentAfter = "発送後入金待ち" // shipped, the buyer pays afterwards
	StatusCompleted            = "完了"
	StatusOnHold               = "保留"
	StatusCancelled            = "キャンセル"
)

// SettableStatuses are the labels updateTradeStsProc takes. キャンセル is not one of them: a trade
// is cancelled with cancelTradeProc.
var SettableStatuses = []string{StatusNew, StatusNewReservation, StatusReserved, StatusAwaitingPayment, StatusAwaitingCredit,
	StatusAwaitingShipment, StatusAwaitingPaymentAfter, StatusCompleted, StatusOnHold}

// IsSettableStatus reports whether updateTradeStsProc takes label.
func IsSettableStatus(label string) bool {
	for _, s := range SettableStatuses {
		if s == label {
			return true
		}
	}
	return false
}

// IsStatus reports whether label is an order status of the API, キャンセル included.
func IsStatus(label string) bool { return label == StatusCancelled || IsSettableStatus(label) }

// Limits and fixed values of the API.
const (
	// MaxPageSize is the most trades one searchTradeInfoListProc page (totalCount) holds.
	MaxPageSize = 1000
	// DateTypeOrdered is dateType 0: search by the order date (受注日). The other values are not
	// documented publicly.
	DateTypeOrdered = 0
	// KeyLifetime is how long an API key issued in Wow! manager is valid.
	KeyLifetime = 90 * 24 * time.Hour
)

// Answer caps: the most an answer of one call can legitimately hold, with margin; a larger one
// is refused without being held (channel.ReadAnswer). A search page holds at most MaxPageSize
// trades, and one trade with its detail lines is a few KiB of XML: 16 KiB each leaves room for
// long comments and many lines. One trade, or a write's result, is far under 1 MiB.
const (
	MaxAnswerList = 16 << 20
	MaxAnswer     = 1 << 20
)

// AnswerCap is the cap of an operation's answer.
func AnswerCap(op string) int64 {
	if op == OpSearchTradeInfoList {
		return MaxAnswerList
	}
	return MaxAnswer
}

// Date formats of the API, all in Japan time.
const (
	DateTimeLayout   = "2006/01/02 15:04" // orderDate, paymentDate
	DateLayout       = "2006/01/02"       // shipDate as searchTradeInfo answers it
	SearchDateLayout = "20060102"         // startDate and endDate, and shippingDate as ichigen sends it
)

// FormatDateTime formats t as orderDate is written: 2026/11/01 09:05.
func FormatDateTime(t time.Time) string { return t.In(order.JST).Format(DateTimeLayout) }

// ParseDateTime parses an orderDate or paymentDate; seconds, when present, are read too.
func ParseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation(DateTimeLayout, s, order.JST); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006/01/02 15:04:05", s, order.JST)
}

// ParseDate parses a date as clients send it and the API answers it: yyyyMMdd, yyyy-MM-dd or
// yyyy/MM/dd (both of the first two are seen in clients' searches and shipping updates).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{SearchDateLayout, "2006-01-02", DateLayout} {
		if t, err := time.ParseInLocation(layout, s, order.JST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is not yyyyMMdd, yyyy-MM-dd or yyyy/MM/dd", s)
}

// The result status values.
const (
	ResultStatusOK    = 0
	ResultStatusError = 1
)

// Error codes. The API's catalogue is not public (marketplace-apis.md, Gaps). Two are seen in a
// public client that ran against the real API (search index file id 59252033461, a Wow!manager
// wrapper written from au's API設計書 and checked on the machine): a refused key answers HTTP 401
// with code 0002 「認証に失敗しました」, and a wrong shopId answers status 1 with CME0022. The
// rest are the simulator's own, in the same CME style, chosen so that each failure the client
// must tell apart has one. The client classifies real answers by HTTP status and message as
// well, not by these codes alone.
const (
	CodeUnauthorized   = "0002"    // key wrong, expired or not enabled (HTTP 401): 認証に失敗しました
	CodeShopMismatch   = "CME0022" // shopId is not the shop the key was issued for
	CodeThrottled      = "CME0429" // over the request quota (HTTP 429; simulator's)
	CodeMaintenance    = "CME0503" // maintenance (HTTP 503; simulator's)
	CodeBadRequest     = "CME0001" // a parameter is missing or malformed (simulator's)
	CodeNotFound       = "CME2001" // no such trade (simulator's)
	CodeCancelled      = "CME2002" // the trade is cancelled: 指定の取引はキャンセル済みです (simulator's)
	CodeNotCancellable = "CME2003" // a completed trade cannot be cancelled (simulator's)
)

// MsgAuthFailed is au's refusal of an API key (code 0002, HTTP 401), as the client in file id
// 59252033461 saw it.
const MsgAuthFailed = "認証に失敗しました"

// RequiredMessage is au's refusal of a request without a required field: 「[orderId]必須入力項目です」
// (file id 59252033461: an updateTradeInfoProc body wrapped in an extra element, so that orderId
// was missing, was refused with these words).
func RequiredMessage(field string) string { return "[" + field + "]必須入力項目です" }

// ShippingCarrierCodes are the shippingCarrier values au's API設計書 lists for
// updateTradeInfoProc and the trade searches: 1, 2, 4, 5, 6, 7 and 9 (quoted by the client in
// search index file id 59291677865, which uses 1 ヤマト運輸, 2 佐川急便 and 6 日本郵便, as does
// file id 59252033461; the names of the others are not public).
var ShippingCarrierCodes = []string{"1", "2", "4", "5", "6", "7", "9"}

// IsShippingCarrier reports whether code is one of au's shippingCarrier values.
func IsShippingCarrier(code string) bool { return slices.Contains(ShippingCarrierCodes, code) }

// Messages the API answers that ichigen tells apart.
const (
	// MsgTradeCancelled is the refusal of any change to a cancelled trade (seed 000).
	MsgTradeCancelled = "指定の取引はキャンセル済みです。"
	MsgTradeNotFound  = "指定の取引は存在しません。"
)

// Response is every answer: the result, and for the searches the trades found.
// searchTradeInfoListProc adds resultCount, the number of trades the search matched (paged with
// totalCount and startCount); searchTradeInfoProc answers one orderInfo.
type Response struct {
	XMLName     xml.Name    `xml:"response"`
	Result      Result      `xml:"result"`
	ResultCount *int        `xml:"resultCount,omitempty"`
	OrderInfo   []OrderInfo `xml:"orderInfo"`
}

// Result says whether the call succeeded (status 0) or not (status 1 with an error).
type Result struct {
	Status int          `xml:"status"`
	Error  *ResultError `xml:"error,omitempty"`
}

// ResultError is the API's refusal.
type ResultError struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

// OrderInfo is one trade (取引) as the searches answer it. Field names are the API's
// (marketplace-apis.md §2, "orderInfo fields"); amounts are integer yen.
type OrderInfo struct {
	XMLName             xml.Name `xml:"orderInfo" json:"-"`
	OrderID             string   `xml:"orderId" json:"orderId"`
	OrderDate           string   `xml:"orderDate" json:"orderDate"`
	SellMethodSegment   string   `xml:"sellMethodSegment" json:"sellMethodSegment"` // 1 通常, else 予約
	SiteAndDevice       string   `xml:"siteAndDevice" json:"siteAndDevice"`
	MailAddress         string   `xml:"mailAddress" json:"mailAddress"`
	OrdererName         string   `xml:"ordererName" json:"ordererName"`
	OrdererKana         string   `xml:"ordererKana" json:"ordererKana"`
	OrdererZipCode      string   `xml:"ordererZipCode" json:"ordererZipCode"`
	OrdererAddress      string   `xml:"ordererAddress" json:"ordererAddress"`
	OrdererPhoneNumber1 string   `xml:"ordererPhoneNumber1" json:"ordererPhoneNumber1"`
	SenderName          string   `xml:"senderName" json:"senderName"` // sender* is the ship-to (送付先)
	SenderKana          string   `xml:"senderKana" json:"senderKana"`
	SenderZipCode       string   `xml:"senderZipCode" json:"senderZipCode"`
	SenderAddress       string   `xml:"senderAddress" json:"senderAddress"`
	SenderPhoneNumber1  string   `xml:"senderPhoneNumber1" json:"senderPhoneNumber1"`
	UserComment         string   `xml:"userComment" json:"userComment"`
	TradeRemarks        string   `xml:"tradeRemarks" json:"tradeRemarks"`
	Memo                string   `xml:"memo" json:"memo"`
	SettlementName      string   `xml:"settlementName" json:"settlementName"`
	OrderStatus         string   `xml:"orderStatus" json:"orderStatus"`
	ContactStatus       string   `xml:"contactStatus" json:"contactStatus"`
	AuthorizationStatus string   `xml:"authorizationStatus" json:"authorizationStatus"`
	PaymentStatus       string   `xml:"paymentStatus" json:"paymentStatus"` // Y: paid
	PaymentDate         string   `xml:"paymentDate" json:"paymentDate"`
	ShipStatus          string   `xml:"shipStatus" json:"shipStatus"`
	ShipDate            string   `xml:"shipDate" json:"shipDate"`
	ShippingCarrier     string   `xml:"shippingCarrier" json:"shippingCarrier"`
	ShippingNumber      string   `xml:"shippingNumber" json:"shippingNumber"`
	CancelStatus        string   `xml:"cancelStatus" json:"cancelStatus"`
	TotalSalePrice      int64    `xml:"totalSalePrice" json:"totalSalePrice"` // goods, tax included
	PostagePrice        int64    `xml:"postagePrice" json:"postagePrice"`
	ChargePrice         int64    `xml:"chargePrice" json:"chargePrice"` // 代引手数料 and the like
	TotalPrice          int64    `xml:"totalPrice" json:"totalPrice"`
	CouponTotalPrice    int64    `xml:"couponTotalPrice" json:"couponTotalPrice"`
	UsePoint            int64    `xml:"usePoint" json:"usePoint"`
	UseAuPointPrice     int64    `xml:"useAuPointPrice" json:"useAuPointPrice"`
	RequestPrice        int64    `xml:"requestPrice" json:"requestPrice"` // totalPrice less coupons and points
	SettleStatus        string   `xml:"settleStatus" json:"settleStatus"`
	PgResult            string   `xml:"pgResult" json:"pgResult"`
	PgOrderID           string   `xml:"pgOrderId" json:"pgOrderId"`
	DeliveryName        string   `xml:"deliveryName" json:"deliveryName"`
	DeliveryMethodID    string   `xml:"deliveryMethodId" json:"deliveryMethodId"`
	// The buyer's delivery wish (お届け希望日 / お届け希望時間帯): deliveryRequestDay a date
	// (yyyy/MM/dd like the other dates; public clients store it in a date column) and
	// deliveryRequestTime the slot as the shop's words (a varchar(80) in the same clients), blank
	// when the buyer chose none. Field names from public Wow!manager clients read with the search
	// tool: a C# importer (file id 6262094071) and a Python exporter (file id 9377426462) read both
	// tags from searchTradeInfoProc's orderInfo, and a SQL Server import of the same answer
	// (file id 16294736833) declares deliveryRequestDay date, deliveryRequestTime varchar(80).
	DeliveryRequestDay  string `xml:"deliveryRequestDay" json:"deliveryRequestDay"`
	DeliveryRequestTime string `xml:"deliveryRequestTime" json:"deliveryRequestTime"`

	// The amounts split by tax rate (10%: NormalTax, 8%: ReducedTax, untaxed: NoTax), the
	// premium (au PAY プレミアム) amounts and the point-fix status, as a public client stores
	// every field of the answer (search index file id 63502570076, aupay-orders.js); ichigen
	// keeps them in the raw payload.
	TotalSalePriceNormalTax  int64  `xml:"totalSalePriceNormalTax" json:"totalSalePriceNormalTax"`
	TotalSalePriceReducedTax int64  `xml:"totalSalePriceReducedTax" json:"totalSalePriceReducedTax"`
	TotalSalePriceNoTax      int64  `xml:"totalSalePriceNoTax" json:"totalSalePriceNoTax"`
	PostagePriceTaxRate      string `xml:"postagePriceTaxRate" json:"postagePriceTaxRate"`
	ChargePriceTaxRate       string `xml:"chargePriceTaxRate" json:"chargePriceTaxRate"`
	TotalPriceNormalTax      int64  `xml:"totalPriceNormalTax" json:"totalPriceNormalTax"`
	TotalPriceReducedTax     int64  `xml:"totalPriceReducedTax" json:"totalPriceReducedTax"`
	TotalPriceNoTax          int64  `xml:"totalPriceNoTax" json:"totalPriceNoTax"`
	PremiumIssuePrice        int64  `xml:"premiumIssuePrice" json:"premiumIssuePrice"`
	PremiumMallPrice         int64  `xml:"premiumMallPrice" json:"premiumMallPrice"`
	PremiumShopPrice         int64  `xml:"premiumShopPrice" json:"premiumShopPrice"`
	PointFixedDate           string `xml:"pointFixedDate" json:"pointFixedDate"`
	PointFixedStatus         string `xml:"pointFixedStatus" json:"pointFixedStatus"`

	Details []Detail `xml:"detail" json:"detail"`
}

// Detail is one line of a trade.
type Detail struct {
	OrderDetailID    string `xml:"orderDetailId" json:"orderDetailId"`
	ItemCode         string `xml:"itemCode" json:"itemCode"`
	ItemManagementID string `xml:"itemManagementId" json:"itemManagementId"` // the variant's suffix, when the item has variants
	Lotnumber        string `xml:"lotnumber" json:"lotnumber"`
	ItemName         string `xml:"itemName" json:"itemName"`
	ItemOption       string `xml:"itemOption" json:"itemOption"`
	ItemPrice        int64  `xml:"itemPrice" json:"itemPrice"` // tax included
	Unit             int64  `xml:"unit" json:"unit"`
	TotalItemPrice   int64  `xml:"totalItemPrice" json:"totalItemPrice"`
	ItemCancelStatus string `xml:"itemCancelStatus" json:"itemCancelStatus"`
	TaxRate          string `xml:"taxRate" json:"taxRate"` // percent, e.g. 10 or 8
	// The line's gift wrapping and points granted, and its shipping time limit (file id
	// 63502570076, as OrderInfo's tax splits).
	GiftWrappingPrice     int64  `xml:"giftWrappingPrice" json:"giftWrappingPrice"`
	GiftPoint             int64  `xml:"giftPoint" json:"giftPoint"`
	ShippingDayDispText   string `xml:"shippingDayDispText" json:"shippingDayDispText"`
	ShippingTimelimitDate string `xml:"shippingTimelimitDate" json:"shippingTimelimitDate"`
}

// UpdateTradeInfoRequest is the body of updateTradeInfoProc: the shipment report.
// ichigen always sends all three fields; a blank shippingNumber is allowed (seed 000, FAQ).
type UpdateTradeInfoRequest struct {
	XMLName         xml.Name `xml:"request"`
	ShopID          string   `xml:"shopId"`
	OrderID         string   `xml:"orderId"`
	ShippingDate    string   `xml:"shippingDate"`
	ShippingCarrier string   `xml:"shippingCarrier"`
	ShippingNumber  string   `xml:"shippingNumber"`
}

// UpdateTradeStsRequest is the body of updateTradeStsProc.
type UpdateTradeStsRequest struct {
	XMLName     xml.Name `xml:"request"`
	ShopID      string   `xml:"shopId"`
	OrderID     string   `xml:"orderId"`
	OrderStatus string   `xml:"orderStatus"`
}

// CancelTradeRequest is the body of cancelTradeProc. The cancelReason codes are not public;
// clients send "9".
type CancelTradeRequest struct {
	XMLName       xml.Name `xml:"request"`
	ShopID        string   `xml:"shopId"`
	OrderID       string   `xml:"orderId"`
	CancelReason  string   `xml:"cancelReason"`
	CancelComment string   `xml:"cancelComment"`
}
