package rakuten

import (
	"encoding/base64"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// The order progress codes (orderProgress).
const (
	ProgressUnconfirmed     = 100 // 注文確認待ち
	ProgressInReview        = 200 // 楽天処理中
	ProgressAwaitingShip    = 300 // 発送待ち
	ProgressChanging        = 400 // 変更確定待ち
	ProgressShipped         = 500 // 発送済
	ProgressPaying          = 600 // 支払手続き中
	ProgressPaid            = 700 // 支払手続き済
	ProgressCancelPending   = 800 // キャンセル確定待ち
	ProgressCancelConfirmed = 900 // キャンセル確定
)

// Unfixed is Rakuten's amount "not yet fixed" (送料未確定 and the like).
const Unfixed = -9999

// The search dateType values.
const (
	DateOrdered   = 1 // 注文日
	DateConfirmed = 2 // 注文確認日
	DateFixed     = 3 // 注文確定日
	DateShipped   = 4 // 発送日
	DateReported  = 5 // 発送完了報告日
	DateSettled   = 6 // 決済確定日
)

// Limits of the API.
const (
	MaxSearchWindow      = 63 * 24 * time.Hour
	MaxSearchAge         = 730 * 24 * time.Hour
	MaxRecordsPerPage    = 1000
	MaxSearchHits        = 15000
	MaxOrdersPerCall     = 100 // getOrder, confirmOrder, updateOrderShippingAsync
	MaxShippingPerBasket = 20
	MaxShippingNumber    = 120 // characters
)

// Answer caps: the most an answer of one call can legitimately hold, with margin; a larger one
// is refused without being held (channel.ReadAnswer). getOrder brings at most 100 orders, and an
// order of RMS with every field and a hundred items is under 64 KiB of JSON, so 100 of them stay
// under 6.25 MiB. Every other answer carries at most searchOrder's 1,000 order numbers or a
// message for each of 100 orders: tens of KiB.
const (
	MaxAnswerGetOrder = 8 << 20
	MaxAnswer         = 1 << 20
)

// AnswerCap is the cap of an operation's answer.
func AnswerCap(op string) int64 {
	if op == "getOrder" {
		return MaxAnswerGetOrder
	}
	return MaxAnswer
}

// messageCarrier is an answer with a MessageModelList.
type messageCarrier interface{ messages() []Message }

func (r *SearchOrderResponse) messages() []Message              { return r.MessageModelList }
func (r *GetOrderResponse) messages() []Message                 { return r.MessageModelList }
func (r *MessagesResponse) messages() []Message                 { return r.MessageModelList }
func (r *UpdateOrderShippingAsyncResponse) messages() []Message { return r.MessageModelList }
func (r *GetResultResponse) messages() []Message                { return r.MessageModelList }

// DatetimeLayout is the datetime format the API reads and writes, in Japan time.
const DatetimeLayout = "2006-01-02T15:04:05-0700"

// FormatTime formats t as the API wants it: 2026-11-01T09:00:00+0900.
func FormatTime(t time.Time) string { return t.In(order.JST).Format(DatetimeLayout) }

// ParseTime parses an API datetime.
func ParseTime(s string) (time.Time, error) { return time.Parse(DatetimeLayout, s) }

// Authorization returns the ESA header value for a service secret and license key.
func Authorization(serviceSecret, licenseKey string) string {
	return "ESA " + base64.StdEncoding.EncodeToString([]byte(serviceSecret+":"+licenseKey))
}

// Message is one entry of MessageModelList.
type Message struct {
	MessageType      string `json:"messageType"` // INFO, WARNING, ERROR
	MessageCode      string `json:"messageCode"`
	Message          string `json:"message"`
	OrderNumber      string `json:"orderNumber,omitempty"`
	RequestID        string `json:"requestId,omitempty"`
	DataNumber       int    `json:"dataNumber,omitempty"`
	ShippingDetailID int64  `json:"shippingDetailId,omitempty"`
}

// GatewayError is the body of the ESA gateway's own errors (HTTP 401, 429, 503):
// {"Results":{"errorCode":"ES01-01","message":"Un-Authorised"}}.
type GatewayError struct {
	Results struct {
		ErrorCode string `json:"errorCode"`
		Message   string `json:"message"`
	} `json:"Results"`
}

// SearchOrderRequest is the body of searchOrder.
type SearchOrderRequest struct {
	DateType               int                `json:"dateType"`
	StartDatetime          string             `json:"startDatetime"`
	EndDatetime            string             `json:"endDatetime"`
	OrderProgressList      []int              `json:"orderProgressList,omitempty"`
	SettlementMethod       int                `json:"settlementMethod,omitempty"`
	PaginationRequestModel *PaginationRequest `json:"PaginationRequestModel,omitempty"`
}

// PaginationRequest pages a search.
type PaginationRequest struct {
	RequestRecordsAmount int         `json:"requestRecordsAmount"`
	RequestPage          int         `json:"requestPage"`
	SortModelList        []SortModel `json:"SortModelList,omitempty"`
}

// SortModel orders a search: sortColumn 1 (the dateType's date), sortDirection 1 asc / 2 desc.
type SortModel struct {
	SortColumn    int `json:"sortColumn"`
	SortDirection int `json:"sortDirection"`
}

// SearchOrderResponse is the answer of searchOrder.
type SearchOrderResponse struct {
	OrderNumberList         []string            `json:"orderNumberList"`
	MessageModelList        []Message           `json:"MessageModelList"`
	PaginationResponseModel *PaginationResponse `json:"PaginationResponseModel"`
}

// PaginationResponse says where a search page stands.
type PaginationResponse struct {
	TotalRecordsAmount int `json:"totalRecordsAmount"`
	TotalPages         int `json:"totalPages"`
	RequestPage        int `json:"requestPage"`
}

// GetOrderRequest is the body of getOrder.
type GetOrderRequest struct {
	OrderNumberList []string `json:"orderNumberList"`
	Version         int      `json:"version"`
}

// GetOrderResponse is the answer of getOrder.
type GetOrderResponse struct {
	OrderModelList   []OrderModel `json:"OrderModelList"`
	MessageModelList []Message    `json:"MessageModelList"`
}

// OrderModel is one order as getOrder returns it (the fields ichigen reads).
type OrderModel struct {
	OrderNumber             string  `json:"orderNumber"`
	OrderProgress           int     `json:"orderProgress"`
	SubStatusID             *int    `json:"subStatusId"`
	SubStatusName           *string `json:"subStatusName"`
	OrderDatetime           string  `json:"orderDatetime"`
	ShopOrderCfmDatetime    *string `json:"shopOrderCfmDatetime"`
	OrderFixDatetime        *string `json:"orderFixDatetime"`
	ShippingCmplRptDatetime *string `json:"shippingCmplRptDatetime"`
	// DeliveryDate is お届け日指定 (yyyy-MM-dd, null when none) and ShippingTerm お届け時間帯: 0 なし,
	// 1 午前, 2 午後, 9 その他, or h1h2 (h1 7–24, h2 07–24: 1416 is 14時〜16時). Both are the
	// order's, for every destination (as read from the public RMS client
	// github.com/oh0123/rakuten-spi-sdk, rms/order.go).
	DeliveryDate        *string        `json:"deliveryDate"`
	ShippingTerm        *int           `json:"shippingTerm"`
	Remarks             string         `json:"remarks"`
	OrderType           int            `json:"orderType"`
	RakutenConfirmFlag  int            `json:"rakutenConfirmFlag"`
	GoodsPrice          int64          `json:"goodsPrice"`
	GoodsTax            int64          `json:"goodsTax"`
	PostagePrice        int64          `json:"postagePrice"`
	DeliveryPrice       int64          `json:"deliveryPrice"`
	PaymentCharge       int64          `json:"paymentCharge"`
	TotalPrice          int64          `json:"totalPrice"`
	RequestPrice        int64          `json:"requestPrice"`
	CouponAllTotalPrice int64          `json:"couponAllTotalPrice"`
	OrdererModel        OrdererModel   `json:"OrdererModel"`
	SettlementModel     Settlement     `json:"SettlementModel"`
	DeliveryModel       DeliveryModel  `json:"DeliveryModel"`
	PointModel          PointModel     `json:"PointModel"`
	PackageModelList    []PackageModel `json:"PackageModelList"`

	// The fields RMS always answers (not null; the public client github.com/oh0123/rakuten-spi-sdk
	// rms/order.go models them without a pointer), so that a client that requires them, as
	// strict decoders do, reads the simulator as it reads RMS.
	NotNullOrderFields
	// TaxSummaryModelList is the order's amounts per tax rate (API version 3 on).
	TaxSummaryModelList []TaxSummaryModel `json:"TaxSummaryModelList"`
}

// NotNullOrderFields are an OrderModel's flags and amounts RMS always answers, as numbers (0 when
// they do not apply), named as RMS names them (oh0123/rakuten-spi-sdk rms/order.go).
type NotNullOrderFields struct {
	GiftCheckFlag                  int     `json:"giftCheckFlag"`
	SeveralSenderFlag              int     `json:"severalSenderFlag"`
	EqualSenderFlag                int     `json:"equalSenderFlag"`
	IsolatedIslandFlag             int     `json:"isolatedIslandFlag"`
	RakutenMemberFlag              int     `json:"rakutenMemberFlag"`
	CarrierCode                    int     `json:"carrierCode"`
	EmailCarrierCode               int     `json:"emailCarrierCode"`
	PaymentChargeTaxRate           float64 `json:"paymentChargeTaxRate"`
	CouponShopPrice                int64   `json:"couponShopPrice"`
	CouponOtherPrice               int64   `json:"couponOtherPrice"`
	AdditionalFeeOccurAmountToUser int64   `json:"additionalFeeOccurAmountToUser"`
	AdditionalFeeOccurAmountToShop int64   `json:"additionalFeeOccurAmountToShop"`
	AsurakuFlag                    int     `json:"asurakuFlag"`
	DrugFlag                       int     `json:"drugFlag"`
	DealFlag                       int     `json:"dealFlag"`
	MembershipType                 int     `json:"membershipType"`
	ModifyFlag                     int     `json:"modifyFlag"`
	ReceiptIssueCount              int     `json:"receiptIssueCount"`
}

// TaxSummaryModel is an order's amounts at one tax rate: reqPrice and reqPriceTax are -9999
// while the postage or the 代引料 is not fixed.
type TaxSummaryModel struct {
	TaxRate       float64 `json:"taxRate"`
	ReqPrice      int64   `json:"reqPrice"`
	ReqPriceTax   int64   `json:"reqPriceTax"`
	TotalPrice    int64   `json:"totalPrice"`
	PaymentCharge int64   `json:"paymentCharge"`
	CouponPrice   int64   `json:"couponPrice"`
	Point         int64   `json:"point"`
}

// SkuModel is an item's SKU (API version 7 on): variantId is always there.
type SkuModel struct {
	VariantID            string  `json:"variantId"`
	MerchantDefinedSkuID *string `json:"merchantDefinedSkuId"`
	SkuInfo              *string `json:"skuInfo"`
}

// OrdererModel is the buyer.
type OrdererModel struct {
	ZipCode1       string `json:"zipCode1"`
	ZipCode2       string `json:"zipCode2"`
	Prefecture     string `json:"prefecture"`
	City           string `json:"city"`
	SubAddress     string `json:"subAddress"`
	FamilyName     string `json:"familyName"`
	FirstName      string `json:"firstName"`
	FamilyNameKana string `json:"familyNameKana"`
	FirstNameKana  string `json:"firstNameKana"`
	PhoneNumber1   string `json:"phoneNumber1"`
	PhoneNumber2   string `json:"phoneNumber2"`
	PhoneNumber3   string `json:"phoneNumber3"`
	EmailAddress   string `json:"emailAddress"`
}

// Settlement is SettlementModel: the payment method by name.
type Settlement struct {
	SettlementMethod   string `json:"settlementMethod"`
	RpaySettlementFlag int    `json:"rpaySettlementFlag"`
	CardName           string `json:"cardName,omitempty"`
	CardPayType        *int   `json:"cardPayType,omitempty"`

	// SettlementMethodCode is the method's code (1 クレジットカード, 2 代金引換, 9 銀行振込, 13
	// セブンイレブン(前払), 14 ローソン、郵便局ATM等(前払), 21 後払い決済, …), never null.
	SettlementMethodCode int `json:"settlementMethodCode"`
}

// DeliveryModel is the delivery method.
type DeliveryModel struct {
	DeliveryName  string `json:"deliveryName"`
	DeliveryClass *int   `json:"deliveryClass"`
}

// PointModel holds the points used.
type PointModel struct {
	UsedPoint int64 `json:"usedPoint"`
}

// PackageModel is one destination (basket).
type PackageModel struct {
	BasketID          int64           `json:"basketId"`
	PostagePrice      int64           `json:"postagePrice"`
	DeliveryPrice     int64           `json:"deliveryPrice"`
	GoodsPrice        int64           `json:"goodsPrice"`
	TotalPrice        int64           `json:"totalPrice"`
	SenderModel       SenderModel     `json:"SenderModel"`
	ItemModelList     []ItemModel     `json:"ItemModelList"`
	ShippingModelList []ShippingModel `json:"ShippingModelList"`

	// Never null in RMS's answer (oh0123/rakuten-spi-sdk rms/order.go): tax rates as
	// fractions (0.1), the package's goods tax, and the carrier chosen at purchase (1001 ヤマト運輸…).
	PostageTaxRate             float64 `json:"postageTaxRate"`
	DeliveryTaxRate            float64 `json:"deliveryTaxRate"`
	GoodsTax                   int64   `json:"goodsTax"`
	PackageDeleteFlag          int     `json:"packageDeleteFlag"`
	DefaultDeliveryCompanyCode string  `json:"defaultDeliveryCompanyCode"`
}

// SenderModel is the recipient of a package.
type SenderModel struct {
	ZipCode1       string `json:"zipCode1"`
	ZipCode2       string `json:"zipCode2"`
	Prefecture     string `json:"prefecture"`
	City           string `json:"city"`
	SubAddress     string `json:"subAddress"`
	FamilyName     string `json:"familyName"`
	FirstName      string `json:"firstName"`
	FamilyNameKana string `json:"familyNameKana"`
	FirstNameKana  string `json:"firstNameKana"`
	PhoneNumber1   string `json:"phoneNumber1"`
	PhoneNumber2   string `json:"phoneNumber2"`
	PhoneNumber3   string `json:"phoneNumber3"`
}

// ItemModel is one ordered item.
type ItemModel struct {
	ItemDetailID   int64   `json:"itemDetailId"`
	ItemName       string  `json:"itemName"`
	ItemID         int64   `json:"itemId"`
	ItemNumber     string  `json:"itemNumber"`
	ManageNumber   string  `json:"manageNumber"`
	Price          int64   `json:"price"`
	Units          int64   `json:"units"`
	TaxRate        float64 `json:"taxRate"`
	PriceTaxIncl   int64   `json:"priceTaxIncl"`
	SelectedChoice string  `json:"selectedChoice"`

	// Never null in RMS's answer (oh0123/rakuten-spi-sdk rms/order.go).
	PointRate            int        `json:"pointRate"`
	PointType            int        `json:"pointType"`
	InventoryType        int        `json:"inventoryType"`
	RestoreInventoryFlag int        `json:"restoreInventoryFlag"`
	DealFlag             int        `json:"dealFlag"`
	DrugFlag             int        `json:"drugFlag"`
	DeleteItemFlag       int        `json:"deleteItemFlag"`
	IsSingleItemShipping int        `json:"isSingleItemShipping"`
	SkuModelList         []SkuModel `json:"SkuModelList"`
}

// ShippingModel is one parcel's shipping detail. In updates, no shippingDetailId adds one, an id
// updates it, and shippingDeleteFlag 1 deletes it.
type ShippingModel struct {
	ShippingDetailID    int64  `json:"shippingDetailId,omitempty"`
	ShippingNumber      string `json:"shippingNumber"`
	DeliveryCompany     string `json:"deliveryCompany"`
	DeliveryCompanyName string `json:"deliveryCompanyName,omitempty"`
	ShippingDate        string `json:"shippingDate"`
	ShippingDeleteFlag  int    `json:"shippingDeleteFlag,omitempty"`
}

// ConfirmOrderRequest is the body of confirmOrder.
type ConfirmOrderRequest struct {
	OrderNumberList []string `json:"orderNumberList"`
}

// MessagesResponse is an answer that carries only messages (confirmOrder, updateOrderShipping,
// cancelOrder).
type MessagesResponse struct {
	MessageModelList []Message `json:"MessageModelList"`
}

// BasketShipping is one basket's shipping details in an update.
type BasketShipping struct {
	BasketID          int64           `json:"basketId"`
	ShippingModelList []ShippingModel `json:"ShippingModelList"`
}

// UpdateOrderShippingRequest is the body of updateOrderShipping (one order, synchronous).
type UpdateOrderShippingRequest struct {
	OrderNumber       string           `json:"orderNumber"`
	BasketidModelList []BasketShipping `json:"BasketidModelList"`
}

// UpdateOrderShippingAsyncRequest is the body of updateOrderShippingAsync (≤100 orders).
type UpdateOrderShippingAsyncRequest struct {
	OrderShippingModelList []UpdateOrderShippingRequest `json:"OrderShippingModelList"`
}

// UpdateOrderShippingAsyncResponse is the answer of updateOrderShippingAsync.
type UpdateOrderShippingAsyncResponse struct {
	RequestID        string    `json:"requestId"`
	MessageModelList []Message `json:"MessageModelList"`
}

// GetResultRequest is the body of getResultUpdateOrderShippingAsync.
type GetResultRequest struct {
	RequestID string `json:"requestId"`
}

// GetResultResponse is the answer of getResultUpdateOrderShippingAsync.
type GetResultResponse struct {
	ResultShippingModelList []ResultShipping `json:"ResultShippingModelList"`
	MessageModelList        []Message        `json:"MessageModelList"`
}

// ResultShipping is one order's result of an async shipping update.
type ResultShipping struct {
	OrderNumber      string    `json:"orderNumber"`
	MessageModelList []Message `json:"MessageModelList"`
}

// CancelOrderRequest is the body of cancelOrder.
type CancelOrderRequest struct {
	OrderNumber             string `json:"orderNumber"`
	InventoryRestoreType    int    `json:"inventoryRestoreType"`
	ChangeReasonDetailApply int    `json:"changeReasonDetailApply"`
}

// LicenseExpiry is the answer of the license-key expiry lookup.
type LicenseExpiry struct {
	ExpiryDate string `json:"expiryDate"`
}

// UpdateOrderSenderRequest is the body of updateOrderSender (送付先・注文商品・金額の修正): each
// package given replaces the one with its basketId, so a package is sent whole, as read.
type UpdateOrderSenderRequest struct {
	OrderNumber      string          `json:"orderNumber"`
	PackageModelList []SenderPackage `json:"PackageModelList"`
}

// SenderPackage is a package in updateOrderSender.
type SenderPackage struct {
	BasketID          int64       `json:"basketId"`
	PostagePrice      int64       `json:"postagePrice"`
	DeliveryPrice     int64       `json:"deliveryPrice"`
	PackageDeleteFlag int         `json:"packageDeleteFlag"`
	SenderModel       SenderModel `json:"SenderModel"`
	ItemModelList     []ItemModel `json:"ItemModelList"`
}
