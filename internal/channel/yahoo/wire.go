package yahoo

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Channel names Yahoo!ショッピング in errors, the call history and shops.
const Channel = "yahoo"

// Addresses of the API: the order API under PathPrefix on Endpoint, the OAuth endpoints under
// AuthEndpoint. A shop's "endpoint" credential (a simulator) serves both.
const (
	Endpoint      = "https://circus.shopping.yahooapis.jp"
	AuthEndpoint  = "https://auth.login.yahoo.co.jp"
	PathPrefix    = "/ShoppingWebService/V1/"
	TokenPath     = "/yconnect/v2/token"
	AuthorizePath = "/yconnect/v2/authorization"
)

// The operations ichigen uses (marketplace-apis.md §3a.1).
const (
	OpOrderList             = "orderList"             // POST: search, paged
	OpOrderInfo             = "orderInfo"             // POST: one order with its groups
	OpOrderCount            = "orderCount"            // GET ?sellerId=
	OpOrderStatusChange     = "orderStatusChange"     // POST: OrderStatus (2 処理中, 5 完了, 4 キャンセル)
	OpOrderShipStatusChange = "orderShipStatusChange" // POST: ShipStatus, carrier, tracking number
	OpOrderPayStatusChange  = "orderPayStatusChange"  // POST: PayStatus, PayDate
	OpOrderChangeHistory    = "orderChangeHistory"    // GET ?orderId=&sellerId=
	OpToken                 = "token"                 // POST to the OAuth token endpoint
)

// IsWrite reports whether an operation changes the order; a timeout on one is an unknown outcome.
func IsWrite(op string) bool {
	return op == OpOrderStatusChange || op == OpOrderShipStatusChange || op == OpOrderPayStatusChange
}

// OrderStatus values (§3a.7, H).
const (
	OrderReserved   = 1 // 予約中
	OrderProcessing = 2 // 処理中
	OrderHeld       = 3 // 保留
	OrderCancelled  = 4 // キャンセル
	OrderCompleted  = 5 // 完了
)

// ShipStatus values (§3a.7, H).
const (
	ShipNotReady   = 0 // 出荷不可
	ShipReady      = 1 // 出荷可
	ShipPreparing  = 2 // 出荷処理中
	ShipShipped    = 3 // 出荷済み
	ShipDelivered  = 4 // 着荷済み
	PayUnpaid      = 0 // 未入金
	PayPaid        = 1 // 入金済み
	EmptyUntracked = "105"
)

// Limits of the API and of ichigen's use of it.
const (
	// PageSize is how many orders one orderList page asks for. The official text sets no upper
	// limit; clients page at 100 to 2000.
	PageSize = 100
	// AccessTokenLifetime is an access token's life (expires_in 3600).
	AccessTokenLifetime = time.Hour
	// RefreshTokenLifetime is a refresh token's life with the public-key headers (4 weeks);
	// without them the order APIs end the session after SessionWithoutKey.
	RefreshTokenLifetime = 28 * 24 * time.Hour
	SessionWithoutKey    = 12 * time.Hour
	// DailyCap is the requests a day one application ID may make, reset at 00:00 JST.
	DailyCap = 50_000
)

// Answer caps: a page of PageSize orders with a few fields each, or one order with its groups
// and items, is far under these.
const (
	MaxAnswerList = 8 << 20
	MaxAnswer     = 1 << 20
)

// AnswerCap is the cap of an operation's answer.
func AnswerCap(op string) int64 {
	if op == OpOrderList {
		return MaxAnswerList
	}
	return MaxAnswer
}

// Time formats, all in Japan time.
const (
	TimeLayout = "20060102150405" // OrderTime, LastUpdateTime, OrderTimeFrom/To
	DateLayout = "20060102"       // ShipDate, PayDate, ArrivalDate
)

// FormatTime writes t as the API does.
func FormatTime(t time.Time) string { return t.In(order.JST).Format(TimeLayout) }

// ParseTime reads an API time.
func ParseTime(s string) (time.Time, error) {
	return time.ParseInLocation(TimeLayout, strings.TrimSpace(s), order.JST)
}

// ParseDate reads an API date (yyyyMMdd), or yyyy-MM-dd as ichigen stores ship dates.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{DateLayout, time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, order.JST); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q is not yyyyMMdd", s)
}

// Error codes. px-04102, px-04303 and px-04306 are Yahoo's own (§3a.4, H/M). The od… order
// errors are named in Yahoo's changelogs without their meaning, so the codes below for the
// refusals ichigen must tell apart are the simulator's choice, and the client tells them apart
// by HTTP status and message as well.
const (
	CodeTokenExpired     = "px-04102" // AccessToken has been expired. (the 12 h session without the public key)
	CodeNotRegistered    = "px-04303" // application ID not registered for the order API
	CodeIPNotRegistered  = "px-04306" // source IP not registered
	CodeSellerNotAllowed = "px-14304" // the seller is not the application's (L)
	CodeNotFound         = "od00404"  // simulator: no such order
	CodeBadRequest       = "od00400"  // simulator: a parameter is missing or malformed
	CodeIllegalStatus    = "od00409"  // simulator: the status change is not allowed from the order's status
	CodeCompleteTooSoon  = "od00425"  // simulator: completion right after the ship-status change
	CodeInvoiceExclusive = "od00422"  // simulator: invoice number and EmptyReason both given
)

// Messages the API answers that ichigen tells apart.
const (
	// MsgForbidden is the daily cap's answer (HTTP 403), also given for an unknown application ID.
	MsgForbidden = "Your Request was Forbidden"
	// MsgTokenExpired is px-04102's message.
	MsgTokenExpired = "AccessToken has been expired. This API session is shorter than another API."
	// MsgNotRegistered is px-04303's message.
	MsgNotRegistered = "This application ID is not registered for using order API. Use of order API requires an application ID."
	// MsgCancelOperated is the refusal of a change to a cancelled order (§3, M).
	MsgCancelOperated = "Cannot Be Operated : CancelOrder OrderStatus"
)

// ErrorAnswer is every refusal: <Error><Message/><Code/></Error>.
type ErrorAnswer struct {
	XMLName xml.Name `xml:"Error"`
	Message string   `xml:"Message"`
	Code    string   `xml:"Code,omitempty"`
}

// OrderListRequest is orderList's body.
type OrderListRequest struct {
	XMLName  xml.Name `xml:"Req"`
	Search   Search   `xml:"Search"`
	SellerID string   `xml:"SellerId"`
}

// Search is orderList's search: page size (Result), 1-based Start, Sort, Condition, Field.
type Search struct {
	Result    int       `xml:"Result,omitempty"`
	Start     int       `xml:"Start,omitempty"`
	Sort      string    `xml:"Sort,omitempty"`
	Condition Condition `xml:"Condition"`
	Field     string    `xml:"Field"`
}

// Condition is orderList's search keys ichigen uses; OrderId or a time range is required.
type Condition struct {
	OrderID       string `xml:"OrderId,omitempty"`
	OrderTimeFrom string `xml:"OrderTimeFrom,omitempty"`
	OrderTimeTo   string `xml:"OrderTimeTo,omitempty"`
	// LastUpdateTimeFrom/To search by the last change instead of the order time (the
	// simulator's spelling: no public client or page seen names this condition).
	LastUpdateTimeFrom string `xml:"LastUpdateTimeFrom,omitempty"`
	LastUpdateTimeTo   string `xml:"LastUpdateTimeTo,omitempty"`
	IsSeen             string `xml:"IsSeen,omitempty"`
	OrderStatus        string `xml:"OrderStatus,omitempty"` // a comma list: 1,2,3
	PayStatus          string `xml:"PayStatus,omitempty"`
	ShipStatus         string `xml:"ShipStatus,omitempty"`
}

// ListFields are the orderList fields ichigen asks for.
const ListFields = "OrderId,Version,OrderTime,LastUpdateTime,OrderStatus,IsSeen,PayStatus,ShipStatus"

// ListResult is orderList's answer: <Result><Status>OK</Status><Search>…</Search></Result>.
type ListResult struct {
	XMLName xml.Name   `xml:"Result"`
	Status  string     `xml:"Status"`
	Search  ListSearch `xml:"Search"`
}

// ListSearch holds the count of matches and one OrderInfo per order of the page (none when
// nothing matched; one is not a list in XML-to-JSON clients, which this decoder does not mind).
type ListSearch struct {
	TotalCount int         `xml:"TotalCount"`
	OrderInfo  []ListOrder `xml:"OrderInfo"`
}

// ListOrder is one order of an orderList page: only the fields asked for.
type ListOrder struct {
	Index          int    `xml:"Index"`
	OrderID        string `xml:"OrderId,omitempty"`
	Version        string `xml:"Version,omitempty"`
	OrderTime      string `xml:"OrderTime,omitempty"`
	LastUpdateTime string `xml:"LastUpdateTime,omitempty"`
	OrderStatus    string `xml:"OrderStatus,omitempty"`
	IsSeen         string `xml:"IsSeen,omitempty"`
	PayStatus      string `xml:"PayStatus,omitempty"`
	ShipStatus     string `xml:"ShipStatus,omitempty"`
}

// OrderInfoRequest is orderInfo's body.
type OrderInfoRequest struct {
	XMLName  xml.Name   `xml:"Req"`
	Target   InfoTarget `xml:"Target"`
	SellerID string     `xml:"SellerId"`
}

// InfoTarget names the order and the fields wanted (required: without it the answer is nearly
// empty).
type InfoTarget struct {
	OrderID string `xml:"OrderId"`
	Field   string `xml:"Field"`
}

// InfoFields are the orderInfo fields ichigen asks for.
const InfoFields = "OrderId,Version,IsActive,IsSeen,OrderTime,LastUpdateTime,OrderStatus,CancelReason,BuyerComments," +
	"PayStatus,SettleStatus,PayType,PayKind,PayMethod,PayMethodName,PayDate,BillFirstName,BillLastName,BillFirstNameKana,BillLastNameKana," +
	"BillZipCode,BillPrefecture,BillCity,BillAddress1,BillAddress2,BillPhoneNumber,BillMailAddress," +
	"ShipStatus,ShipMethod,ShipMethodName,ShipRequestDate,ShipRequestTime,ShipCompanyCode,ShipInvoiceNumber1,ShipInvoiceNumber2," +
	"ShipInvoiceNumberEmptyReason,ShipDate,ShipFirstName,ShipLastName,ShipFirstNameKana,ShipLastNameKana,ShipZipCode,ShipPrefecture," +
	"ShipCity,ShipAddress1,ShipAddress2,ShipPhoneNumber," +
	"PayCharge,ShipCharge,GiftWrapCharge,Discount,Adjustments,SettleAmount,UsePoint,TotalPrice,TotalMallCouponDiscount," +
	"LineId,ItemId,Title,SubCode,ItemOption,UnitPrice,Quantity,ItemTaxRatio,CouponDiscount"

// ResultSet is the answer of orderInfo and of the writes.
type ResultSet struct {
	XMLName   xml.Name   `xml:"ResultSet"`
	Available int        `xml:"totalResultsAvailable,attr"`
	Returned  int        `xml:"totalResultsReturned,attr"`
	First     int        `xml:"firstResultPosition,attr"`
	Result    InfoResult `xml:"Result"`
}

// InfoResult is the Result of a ResultSet.
type InfoResult struct {
	Status    string     `xml:"Status"`
	OrderInfo *OrderInfo `xml:"OrderInfo,omitempty"`
	Warning   string     `xml:"Warning,omitempty"`
}

// OrderInfo is one order as orderInfo answers it: order-level fields, then the Pay, Ship and
// Detail groups and the Item lines (§3a.3). Amounts are integer yen.
type OrderInfo struct {
	OrderID        string `xml:"OrderId" json:"OrderId"`
	Version        int    `xml:"Version" json:"Version"`
	IsActive       bool   `xml:"IsActive" json:"IsActive"`
	IsSeen         bool   `xml:"IsSeen" json:"IsSeen"`
	OrderTime      string `xml:"OrderTime" json:"OrderTime"`
	LastUpdateTime string `xml:"LastUpdateTime" json:"LastUpdateTime"`
	OrderStatus    int    `xml:"OrderStatus" json:"OrderStatus"`
	CancelReason   string `xml:"CancelReason,omitempty" json:"CancelReason,omitempty"`
	BuyerComments  string `xml:"BuyerComments,omitempty" json:"BuyerComments,omitempty"`
	Pay            Pay    `xml:"Pay" json:"Pay"`
	Ship           Ship   `xml:"Ship" json:"Ship"`
	Detail         Detail `xml:"Detail" json:"Detail"`
	Items          []Item `xml:"Item" json:"Item"`
}

// Pay is orderInfo's Pay group: the payment and the buyer (Bill…).
type Pay struct {
	PayStatus         int    `xml:"PayStatus" json:"PayStatus"`
	SettleStatus      int    `xml:"SettleStatus,omitempty" json:"SettleStatus,omitempty"`
	PayType           int    `xml:"PayType" json:"PayType"` // 0 後払い, 1 前払い
	PayKind           int    `xml:"PayKind" json:"PayKind"`
	PayMethod         string `xml:"PayMethod" json:"PayMethod"`
	PayMethodName     string `xml:"PayMethodName" json:"PayMethodName"`
	PayDate           string `xml:"PayDate,omitempty" json:"PayDate,omitempty"`
	BillFirstName     string `xml:"BillFirstName" json:"BillFirstName"`
	BillLastName      string `xml:"BillLastName" json:"BillLastName"`
	BillFirstNameKana string `xml:"BillFirstNameKana" json:"BillFirstNameKana"`
	BillLastNameKana  string `xml:"BillLastNameKana" json:"BillLastNameKana"`
	BillZipCode       string `xml:"BillZipCode" json:"BillZipCode"`
	BillPrefecture    string `xml:"BillPrefecture" json:"BillPrefecture"`
	BillCity          string `xml:"BillCity" json:"BillCity"`
	BillAddress1      string `xml:"BillAddress1" json:"BillAddress1"`
	BillAddress2      string `xml:"BillAddress2,omitempty" json:"BillAddress2,omitempty"`
	BillPhoneNumber   string `xml:"BillPhoneNumber" json:"BillPhoneNumber"`
	BillMailAddress   string `xml:"BillMailAddress" json:"BillMailAddress"`
}

// Ship is orderInfo's Ship group: the shipment and the ship-to.
type Ship struct {
	ShipStatus                   int    `xml:"ShipStatus" json:"ShipStatus"`
	ShipMethod                   string `xml:"ShipMethod,omitempty" json:"ShipMethod,omitempty"`
	ShipMethodName               string `xml:"ShipMethodName,omitempty" json:"ShipMethodName,omitempty"`
	ShipRequestDate              string `xml:"ShipRequestDate,omitempty" json:"ShipRequestDate,omitempty"`
	ShipRequestTime              string `xml:"ShipRequestTime,omitempty" json:"ShipRequestTime,omitempty"`
	ShipCompanyCode              string `xml:"ShipCompanyCode,omitempty" json:"ShipCompanyCode,omitempty"`
	ShipInvoiceNumber1           string `xml:"ShipInvoiceNumber1,omitempty" json:"ShipInvoiceNumber1,omitempty"`
	ShipInvoiceNumber2           string `xml:"ShipInvoiceNumber2,omitempty" json:"ShipInvoiceNumber2,omitempty"`
	ShipInvoiceNumberEmptyReason string `xml:"ShipInvoiceNumberEmptyReason,omitempty" json:"ShipInvoiceNumberEmptyReason,omitempty"`
	ShipDate                     string `xml:"ShipDate,omitempty" json:"ShipDate,omitempty"`
	ShipFirstName                string `xml:"ShipFirstName" json:"ShipFirstName"`
	ShipLastName                 string `xml:"ShipLastName" json:"ShipLastName"`
	ShipFirstNameKana            string `xml:"ShipFirstNameKana" json:"ShipFirstNameKana"`
	ShipLastNameKana             string `xml:"ShipLastNameKana" json:"ShipLastNameKana"`
	ShipZipCode                  string `xml:"ShipZipCode" json:"ShipZipCode"`
	ShipPrefecture               string `xml:"ShipPrefecture" json:"ShipPrefecture"`
	ShipCity                     string `xml:"ShipCity" json:"ShipCity"`
	ShipAddress1                 string `xml:"ShipAddress1" json:"ShipAddress1"`
	ShipAddress2                 string `xml:"ShipAddress2,omitempty" json:"ShipAddress2,omitempty"`
	ShipPhoneNumber              string `xml:"ShipPhoneNumber" json:"ShipPhoneNumber"`
}

// Detail is orderInfo's Detail group: the order's amounts.
type Detail struct {
	PayCharge               int64 `xml:"PayCharge" json:"PayCharge"`
	ShipCharge              int64 `xml:"ShipCharge" json:"ShipCharge"`
	GiftWrapCharge          int64 `xml:"GiftWrapCharge" json:"GiftWrapCharge"`
	Discount                int64 `xml:"Discount" json:"Discount"`
	Adjustments             int64 `xml:"Adjustments" json:"Adjustments"`
	SettleAmount            int64 `xml:"SettleAmount" json:"SettleAmount"`
	UsePoint                int64 `xml:"UsePoint" json:"UsePoint"`
	TotalPrice              int64 `xml:"TotalPrice" json:"TotalPrice"`
	TotalMallCouponDiscount int64 `xml:"TotalMallCouponDiscount" json:"TotalMallCouponDiscount"`
}

// Item is one line of an order.
type Item struct {
	LineID         int          `xml:"LineId" json:"LineId"`
	ItemID         string       `xml:"ItemId" json:"ItemId"`
	Title          string       `xml:"Title" json:"Title"`
	SubCode        string       `xml:"SubCode,omitempty" json:"SubCode,omitempty"`
	ItemOptions    []ItemOption `xml:"ItemOption" json:"ItemOption,omitempty"`
	UnitPrice      int64        `xml:"UnitPrice" json:"UnitPrice"` // tax included
	Quantity       int64        `xml:"Quantity" json:"Quantity"`
	ItemTaxRatio   int64        `xml:"ItemTaxRatio" json:"ItemTaxRatio"` // percent
	CouponDiscount int64        `xml:"CouponDiscount,omitempty" json:"CouponDiscount,omitempty"`
}

// ItemOption is one choice the buyer made on a line (色:藍).
type ItemOption struct {
	Index int    `xml:"Index" json:"Index"`
	Name  string `xml:"Name" json:"Name"`
	Value string `xml:"Value" json:"Value"`
	Price int64  `xml:"Price,omitempty" json:"Price,omitempty"`
}

// ChangeTarget names the order a write changes. IsPointFix is required on the status writes
// and must be true when completing.
type ChangeTarget struct {
	OrderID    string `xml:"OrderId"`
	IsPointFix *bool  `xml:"IsPointFix,omitempty"`
}

// StatusChangeRequest is orderStatusChange's body.
type StatusChangeRequest struct {
	XMLName  xml.Name     `xml:"Req"`
	Target   ChangeTarget `xml:"Target"`
	Order    StatusChange `xml:"Order"`
	SellerID string       `xml:"SellerId"`
}

// StatusChange is the new OrderStatus, with the cancel reason code when cancelling.
type StatusChange struct {
	OrderStatus  int    `xml:"OrderStatus"`
	CancelReason string `xml:"CancelReason,omitempty"`
}

// ShipStatusChangeRequest is orderShipStatusChange's body.
type ShipStatusChangeRequest struct {
	XMLName  xml.Name     `xml:"Req"`
	Target   ChangeTarget `xml:"Target"`
	Order    ShipOrder    `xml:"Order"`
	SellerID string       `xml:"SellerId"`
}

// ShipOrder wraps the Ship change.
type ShipOrder struct {
	Ship ShipChange `xml:"Ship"`
}

// ShipChange is what a ship report sets; a field left out keeps its value.
type ShipChange struct {
	ShipStatus                   int    `xml:"ShipStatus"`
	ShipCompanyCode              string `xml:"ShipCompanyCode,omitempty"`
	ShipInvoiceNumber1           string `xml:"ShipInvoiceNumber1,omitempty"`
	ShipInvoiceNumber2           string `xml:"ShipInvoiceNumber2,omitempty"`
	ShipInvoiceNumberEmptyReason string `xml:"ShipInvoiceNumberEmptyReason,omitempty"`
	ShipDate                     string `xml:"ShipDate,omitempty"`
}

// PayStatusChangeRequest is orderPayStatusChange's body.
type PayStatusChangeRequest struct {
	XMLName  xml.Name     `xml:"Req"`
	Target   ChangeTarget `xml:"Target"`
	Order    PayOrder     `xml:"Order"`
	SellerID string       `xml:"SellerId"`
}

// PayOrder wraps the Pay change.
type PayOrder struct {
	Pay PayChange `xml:"Pay"`
}

// PayChange sets the payment status and date.
type PayChange struct {
	PayStatus int    `xml:"PayStatus"`
	PayDate   string `xml:"PayDate,omitempty"`
}

// CountResult is orderCount's answer: the counts of the store's order boxes.
type CountResult struct {
	XMLName xml.Name `xml:"ResultSet"`
	Result  struct {
		Status string `xml:"Status"`
		Count  Counts `xml:"Count"`
	} `xml:"Result"`
}

// Counts are orderCount's boxes ichigen reads: 新規注文 (OrderStatus 2, not seen), 新規予約,
// 保留.
type Counts struct {
	NewOrder   int `xml:"NewOrder"`
	NewReserve int `xml:"NewReserve"`
	Holding    int `xml:"Holding"`
}

// HistoryResult is orderChangeHistory's answer. Its real shape was not found (§3a gaps): this
// is the simulator's, one Change per write.
type HistoryResult struct {
	XMLName xml.Name `xml:"ResultSet"`
	Result  struct {
		Status  string   `xml:"Status"`
		Changes []Change `xml:"Change"`
	} `xml:"Result"`
}

// Change is one recorded change of an order.
type Change struct {
	Time      string `xml:"UpdateTime"`
	Operation string `xml:"Operation"`
	Detail    string `xml:"Detail"`
}

// TokenAnswer is the token endpoint's JSON answer; a refusal carries Error.
type TokenAnswer struct {
	AccessToken      string `json:"access_token,omitempty"`
	TokenType        string `json:"token_type,omitempty"`
	ExpiresIn        int64  `json:"expires_in,omitempty"`
	RefreshToken     string `json:"refresh_token,omitempty"`
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
	ErrorCode        int    `json:"error_code,omitempty"`
}
