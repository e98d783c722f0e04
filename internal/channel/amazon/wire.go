package amazon

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Channel is the channel's code.
const Channel = "amazon"

// Endpoint is the SP-API's Far East address, which serves the Japanese marketplace; LWAEndpoint
// is Login with Amazon's token exchange.
const (
	Endpoint    = "https://sellingpartnerapi-fe.amazon.com"
	LWAEndpoint = "https://api.amazon.com/auth/o2/token"
)

// MarketplaceJP is Amazon.co.jp's MarketplaceId.
const MarketplaceJP = "A1VC38T7YXB528"

// The operations, as the models name them; OpLWA is the LWA token exchange.
const (
	OpLWA               = "lwaToken"
	OpCreateRDT         = "createRestrictedDataToken"
	OpGetOrders         = "getOrders"
	OpGetOrder          = "getOrder"
	OpGetOrderItems     = "getOrderItems"
	OpGetOrderAddress   = "getOrderAddress"
	OpGetOrderBuyerInfo = "getOrderBuyerInfo"
	OpConfirmShipment   = "confirmShipment"
)

// Paths of the operations (ordersV0.json, tokens_2021-03-01.json). {orderId} is filled by OrderPath.
const (
	PathLWA         = "/auth/o2/token"
	PathRDT         = "/tokens/2021-03-01/restrictedDataToken"
	PathOrders      = "/orders/v0/orders"
	PathOrder       = "/orders/v0/orders/{orderId}"
	PathOrderItems  = "/orders/v0/orders/{orderId}/orderItems"
	PathAddress     = "/orders/v0/orders/{orderId}/address"
	PathBuyerInfo   = "/orders/v0/orders/{orderId}/buyerInfo"
	PathShipConfirm = "/orders/v0/orders/{orderId}/shipmentConfirmation"
)

// OrderPath fills {orderId} in one of the order paths.
func OrderPath(path, orderID string) string { return strings.Replace(path, "{orderId}", orderID, 1) }

// UsagePlan is an operation's token bucket: Rate tokens a second refill a bucket of Burst.
type UsagePlan struct {
	Rate  float64
	Burst int
}

// UsagePlans are the default plans of the models' "Usage Plan" tables (ordersV0.json,
// tokens_2021-03-01.json). LWA publishes none; the simulator leaves it unlimited.
var UsagePlans = map[string]UsagePlan{
	OpCreateRDT:         {1, 10},
	OpGetOrders:         {0.0167, 20},
	OpGetOrder:          {0.5, 30},
	OpGetOrderItems:     {0.5, 30},
	OpGetOrderAddress:   {0.5, 30},
	OpGetOrderBuyerInfo: {0.5, 30},
	OpConfirmShipment:   {2, 10},
}

// Scaled is the plan multiplied by factor (a shop granted a higher plan): both the rate and the
// bucket grow, as Amazon raises both.
func (p UsagePlan) Scaled(factor float64) UsagePlan {
	if factor <= 0 {
		factor = 1
	}
	return UsagePlan{Rate: p.Rate * factor, Burst: max(1, int(math.Round(float64(p.Burst)*factor)))}
}

// OrderStatus values (Order.OrderStatus).
const (
	StatusPending             = "Pending"
	StatusUnshipped           = "Unshipped"
	StatusPartiallyShipped    = "PartiallyShipped"
	StatusShipped             = "Shipped"
	StatusCanceled            = "Canceled"
	StatusUnfulfillable       = "Unfulfillable"
	StatusInvoiceUnconfirmed  = "InvoiceUnconfirmed"
	StatusPendingAvailability = "PendingAvailability"
)

// FulfillmentChannel values: MFN the seller ships, AFN Amazon ships (FBA).
const (
	FulfillmentMFN = "MFN"
	FulfillmentAFN = "AFN"
)

// PaymentMethod values.
const (
	PaymentCOD   = "COD"
	PaymentCVS   = "CVS"
	PaymentOther = "Other"
)

// Money is an amount (Money): for JPY a whole number as a string.
type Money struct {
	CurrencyCode string `json:"CurrencyCode,omitempty"`
	Amount       string `json:"Amount,omitempty"`
}

// Yen returns the amount in whole yen: "1234", "1234.0" and "1234.00" are read, a fraction of a
// yen or another currency is refused.
func (m *Money) Yen() (int64, error) {
	if m == nil || m.Amount == "" {
		return 0, nil
	}
	if m.CurrencyCode != "" && m.CurrencyCode != "JPY" {
		return 0, fmt.Errorf("currency %q is not JPY", m.CurrencyCode)
	}
	whole, frac, _ := strings.Cut(strings.TrimSpace(m.Amount), ".")
	if strings.Trim(frac, "0") != "" {
		return 0, fmt.Errorf("amount %q has a fraction of a yen", m.Amount)
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", m.Amount, err)
	}
	return n, nil
}

// YenMoney is an amount of yen as the API writes it.
func YenMoney(n int64) *Money { return &Money{CurrencyCode: "JPY", Amount: strconv.FormatInt(n, 10)} }

// Address is an address (Address). Japanese addresses put the prefecture in StateOrRegion, the
// city in City and the rest in AddressLine1..3.
type Address struct {
	Name          string `json:"Name,omitempty"`
	CompanyName   string `json:"CompanyName,omitempty"`
	AddressLine1  string `json:"AddressLine1,omitempty"`
	AddressLine2  string `json:"AddressLine2,omitempty"`
	AddressLine3  string `json:"AddressLine3,omitempty"`
	City          string `json:"City,omitempty"`
	County        string `json:"County,omitempty"`
	District      string `json:"District,omitempty"`
	StateOrRegion string `json:"StateOrRegion,omitempty"`
	Municipality  string `json:"Municipality,omitempty"`
	PostalCode    string `json:"PostalCode,omitempty"`
	CountryCode   string `json:"CountryCode,omitempty"`
	Phone         string `json:"Phone,omitempty"`
	AddressType   string `json:"AddressType,omitempty"`
}

// BuyerInfo is the buyer (BuyerInfo), returned only under a Restricted Data Token.
type BuyerInfo struct {
	BuyerEmail          string `json:"BuyerEmail,omitempty"`
	BuyerName           string `json:"BuyerName,omitempty"`
	BuyerCounty         string `json:"BuyerCounty,omitempty"`
	PurchaseOrderNumber string `json:"PurchaseOrderNumber,omitempty"`
}

// Order is an order (Order) as getOrders and getOrder return it.
type Order struct {
	AmazonOrderId                string     `json:"AmazonOrderId"`
	SellerOrderId                string     `json:"SellerOrderId,omitempty"`
	PurchaseDate                 string     `json:"PurchaseDate"`
	LastUpdateDate               string     `json:"LastUpdateDate"`
	OrderStatus                  string     `json:"OrderStatus"`
	FulfillmentChannel           string     `json:"FulfillmentChannel,omitempty"`
	SalesChannel                 string     `json:"SalesChannel,omitempty"`
	ShipServiceLevel             string     `json:"ShipServiceLevel,omitempty"`
	OrderTotal                   *Money     `json:"OrderTotal,omitempty"`
	NumberOfItemsShipped         *int       `json:"NumberOfItemsShipped,omitempty"`
	NumberOfItemsUnshipped       *int       `json:"NumberOfItemsUnshipped,omitempty"`
	PaymentMethod                string     `json:"PaymentMethod,omitempty"`
	PaymentMethodDetails         []string   `json:"PaymentMethodDetails,omitempty"`
	MarketplaceId                string     `json:"MarketplaceId,omitempty"`
	ShipmentServiceLevelCategory string     `json:"ShipmentServiceLevelCategory,omitempty"`
	OrderType                    string     `json:"OrderType,omitempty"`
	EarliestShipDate             string     `json:"EarliestShipDate,omitempty"`
	LatestShipDate               string     `json:"LatestShipDate,omitempty"`
	EarliestDeliveryDate         string     `json:"EarliestDeliveryDate,omitempty"`
	LatestDeliveryDate           string     `json:"LatestDeliveryDate,omitempty"`
	IsBusinessOrder              bool       `json:"IsBusinessOrder"`
	IsPrime                      bool       `json:"IsPrime"`
	IsPremiumOrder               bool       `json:"IsPremiumOrder"`
	IsGlobalExpressEnabled       bool       `json:"IsGlobalExpressEnabled"`
	IsReplacementOrder           bool       `json:"IsReplacementOrder"`
	IsSoldByAB                   bool       `json:"IsSoldByAB"`
	IsISPU                       bool       `json:"IsISPU"`
	IsAccessPointOrder           bool       `json:"IsAccessPointOrder"`
	ShippingAddress              *Address   `json:"ShippingAddress,omitempty"`
	BuyerInfo                    *BuyerInfo `json:"BuyerInfo,omitempty"`
}

// OrdersList is getOrders' payload.
type OrdersList struct {
	Orders            []Order `json:"Orders"`
	NextToken         string  `json:"NextToken,omitempty"`
	LastUpdatedBefore string  `json:"LastUpdatedBefore,omitempty"`
	CreatedBefore     string  `json:"CreatedBefore,omitempty"`
}

// OrderItem is an order item (OrderItem). ItemPrice is the price of the whole quantity.
type OrderItem struct {
	ASIN                 string `json:"ASIN"`
	SellerSKU            string `json:"SellerSKU,omitempty"`
	OrderItemId          string `json:"OrderItemId"`
	Title                string `json:"Title,omitempty"`
	QuantityOrdered      int    `json:"QuantityOrdered"`
	QuantityShipped      *int   `json:"QuantityShipped,omitempty"`
	ItemPrice            *Money `json:"ItemPrice,omitempty"`
	ShippingPrice        *Money `json:"ShippingPrice,omitempty"`
	ItemTax              *Money `json:"ItemTax,omitempty"`
	ShippingTax          *Money `json:"ShippingTax,omitempty"`
	ShippingDiscount     *Money `json:"ShippingDiscount,omitempty"`
	PromotionDiscount    *Money `json:"PromotionDiscount,omitempty"`
	CODFee               *Money `json:"CODFee,omitempty"`
	CODFeeDiscount       *Money `json:"CODFeeDiscount,omitempty"`
	IsGift               string `json:"IsGift,omitempty"`
	ConditionId          string `json:"ConditionId,omitempty"`
	IsTransparency       bool   `json:"IsTransparency"`
	SerialNumberRequired bool   `json:"SerialNumberRequired"`
}

// OrderItemsList is getOrderItems' payload.
type OrderItemsList struct {
	OrderItems    []OrderItem `json:"OrderItems"`
	NextToken     string      `json:"NextToken,omitempty"`
	AmazonOrderId string      `json:"AmazonOrderId"`
}

// OrderAddress is getOrderAddress' payload.
type OrderAddress struct {
	AmazonOrderId    string   `json:"AmazonOrderId"`
	BuyerCompanyName string   `json:"BuyerCompanyName,omitempty"`
	ShippingAddress  *Address `json:"ShippingAddress,omitempty"`
}

// OrderBuyerInfo is getOrderBuyerInfo's payload.
type OrderBuyerInfo struct {
	AmazonOrderId       string `json:"AmazonOrderId"`
	BuyerEmail          string `json:"BuyerEmail,omitempty"`
	BuyerName           string `json:"BuyerName,omitempty"`
	BuyerCounty         string `json:"BuyerCounty,omitempty"`
	PurchaseOrderNumber string `json:"PurchaseOrderNumber,omitempty"`
}

// Error is one error of an answer (Error).
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}

// Response is every Orders API answer: a payload of the operation's type, or errors.
type Response[P any] struct {
	Payload *P      `json:"payload,omitempty"`
	Errors  []Error `json:"errors,omitempty"`
}

// ErrorList is an answer of errors only (ConfirmShipmentErrorResponse, the Tokens API's).
type ErrorList struct {
	Errors []Error `json:"errors"`
}

// The error codes the client acts on. QuotaExceeded is the 429's (marketplace-apis.md §4),
// InvalidInput the 400's (ordersV0.json's sandbox), Unauthorized the 403's.
const (
	CodeQuotaExceeded = "QuotaExceeded"
	CodeInvalidInput  = "InvalidInput"
	CodeUnauthorized  = "Unauthorized"
	CodeNotFound      = "NotFound"
	CodeUnavailable   = "ServiceUnavailable"
	CodeInternal      = "InternalFailure"
)

// ConfirmShipmentRequest is confirmShipment's body.
type ConfirmShipmentRequest struct {
	PackageDetail       PackageDetail `json:"packageDetail"`
	CodCollectionMethod string        `json:"codCollectionMethod,omitempty"`
	MarketplaceId       string        `json:"marketplaceId"`
}

// PackageDetail is one package of a shipment confirmation.
type PackageDetail struct {
	PackageReferenceId     string                     `json:"packageReferenceId"`
	CarrierCode            string                     `json:"carrierCode"`
	CarrierName            string                     `json:"carrierName,omitempty"`
	ShippingMethod         string                     `json:"shippingMethod,omitempty"`
	TrackingNumber         string                     `json:"trackingNumber"`
	ShipDate               string                     `json:"shipDate"`
	ShipFromSupplySourceId string                     `json:"shipFromSupplySourceId,omitempty"`
	OrderItems             []ConfirmShipmentOrderItem `json:"orderItems"`
}

// ConfirmShipmentOrderItem is an item and quantity of a package.
type ConfirmShipmentOrderItem struct {
	OrderItemId       string   `json:"orderItemId"`
	Quantity          int      `json:"quantity"`
	TransparencyCodes []string `json:"transparencyCodes,omitempty"`
}

// RestrictedResource is one resource a Restricted Data Token opens.
type RestrictedResource struct {
	Method       string   `json:"method"`
	Path         string   `json:"path"`
	DataElements []string `json:"dataElements,omitempty"`
}

// CreateRestrictedDataTokenRequest is createRestrictedDataToken's body.
type CreateRestrictedDataTokenRequest struct {
	TargetApplication   string               `json:"targetApplication,omitempty"`
	RestrictedResources []RestrictedResource `json:"restrictedResources"`
}

// CreateRestrictedDataTokenResponse is its answer.
type CreateRestrictedDataTokenResponse struct {
	RestrictedDataToken string `json:"restrictedDataToken"`
	ExpiresIn           int    `json:"expiresIn"`
}

// LWARequest is the LWA token exchange's body, as the official clients send it (JSON).
type LWARequest struct {
	GrantType    string `json:"grant_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// LWAResponse is its answer; LWAError its refusal (error is invalid_grant, invalid_client, …).
type LWAResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

// LWAError is the LWA token exchange's refusal.
type LWAError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// The headers: the access token (or RDT) goes in AccessTokenHeader; every answer carries
// RequestIDHeader, and RateLimitHeader on 2xx, 400 and 404.
const (
	AccessTokenHeader = "x-amz-access-token"
	RequestIDHeader   = "x-amzn-RequestId"
	RateLimitHeader   = "x-amzn-RateLimit-Limit"
)

// TimeLayout is how the API writes times: ISO 8601 in UTC.
const TimeLayout = "2006-01-02T15:04:05Z"

// FormatTime writes t as the API does.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ParseTime reads an ISO 8601 time of the API.
func ParseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339, strings.TrimSpace(s)) }
