// Code generated from amzn/selling-partner-api-models@34dc93fe45f37c9a0b2e56823c808f68b4f81754 ordersV0.json and tokens_2021-03-01.json. DO NOT EDIT.

// The types below follow the published models field for field: every property of each
// definition, named and typed as declared; definitions the simulator never answers with are
// kept as json.RawMessage. Made by testdata/genmodel.py over the two model files.

package amazonsim_test

import "encoding/json"

type modelGetOrdersResponse struct {
	Payload *modelOrdersList `json:"payload"`
	Errors  *modelErrorList  `json:"errors"`
}

type modelOrdersList struct {
	Orders            []modelOrder `json:"Orders"`
	NextToken         *string      `json:"NextToken"`
	LastUpdatedBefore *string      `json:"LastUpdatedBefore"`
	CreatedBefore     *string      `json:"CreatedBefore"`
}

var modelOrdersListRequired = []string{"Orders"}

type modelOrder struct {
	AmazonOrderId                  *string         `json:"AmazonOrderId"`
	SellerOrderId                  *string         `json:"SellerOrderId"`
	PurchaseDate                   *string         `json:"PurchaseDate"`
	LastUpdateDate                 *string         `json:"LastUpdateDate"`
	OrderStatus                    *string         `json:"OrderStatus"`
	FulfillmentChannel             *string         `json:"FulfillmentChannel"`
	SalesChannel                   *string         `json:"SalesChannel"`
	OrderChannel                   *string         `json:"OrderChannel"`
	ShipServiceLevel               *string         `json:"ShipServiceLevel"`
	OrderTotal                     *modelMoney     `json:"OrderTotal"`
	NumberOfItemsShipped           *int64          `json:"NumberOfItemsShipped"`
	NumberOfItemsUnshipped         *int64          `json:"NumberOfItemsUnshipped"`
	PaymentExecutionDetail         json.RawMessage `json:"PaymentExecutionDetail"`
	PaymentMethod                  *string         `json:"PaymentMethod"`
	PaymentMethodDetails           []string        `json:"PaymentMethodDetails"`
	MarketplaceId                  *string         `json:"MarketplaceId"`
	ShipmentServiceLevelCategory   *string         `json:"ShipmentServiceLevelCategory"`
	EasyShipShipmentStatus         *string         `json:"EasyShipShipmentStatus"`
	CbaDisplayableShippingLabel    *string         `json:"CbaDisplayableShippingLabel"`
	OrderType                      *string         `json:"OrderType"`
	EarliestShipDate               *string         `json:"EarliestShipDate"`
	LatestShipDate                 *string         `json:"LatestShipDate"`
	EarliestDeliveryDate           *string         `json:"EarliestDeliveryDate"`
	LatestDeliveryDate             *string         `json:"LatestDeliveryDate"`
	IsBusinessOrder                *bool           `json:"IsBusinessOrder"`
	IsPrime                        *bool           `json:"IsPrime"`
	IsPremiumOrder                 *bool           `json:"IsPremiumOrder"`
	IsGlobalExpressEnabled         *bool           `json:"IsGlobalExpressEnabled"`
	ReplacedOrderId                *string         `json:"ReplacedOrderId"`
	IsReplacementOrder             *bool           `json:"IsReplacementOrder"`
	PromiseResponseDueDate         *string         `json:"PromiseResponseDueDate"`
	IsEstimatedShipDateSet         *bool           `json:"IsEstimatedShipDateSet"`
	IsSoldByAB                     *bool           `json:"IsSoldByAB"`
	IsIBA                          *bool           `json:"IsIBA"`
	DefaultShipFromLocationAddress *modelAddress   `json:"DefaultShipFromLocationAddress"`
	BuyerInvoicePreference         *string         `json:"BuyerInvoicePreference"`
	BuyerTaxInformation            json.RawMessage `json:"BuyerTaxInformation"`
	FulfillmentInstruction         json.RawMessage `json:"FulfillmentInstruction"`
	IsISPU                         *bool           `json:"IsISPU"`
	IsAccessPointOrder             *bool           `json:"IsAccessPointOrder"`
	MarketplaceTaxInfo             json.RawMessage `json:"MarketplaceTaxInfo"`
	SellerDisplayName              *string         `json:"SellerDisplayName"`
	ShippingAddress                *modelAddress   `json:"ShippingAddress"`
	BuyerInfo                      *modelBuyerInfo `json:"BuyerInfo"`
	AutomatedShippingSettings      json.RawMessage `json:"AutomatedShippingSettings"`
	HasRegulatedItems              *bool           `json:"HasRegulatedItems"`
	ElectronicInvoiceStatus        *string         `json:"ElectronicInvoiceStatus"`
}

var modelOrderRequired = []string{"AmazonOrderId", "LastUpdateDate", "OrderStatus", "PurchaseDate"}

var modelOrderEnums = map[string][]string{
	"OrderStatus":            {"Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled", "Unfulfillable", "InvoiceUnconfirmed", "PendingAvailability"},
	"FulfillmentChannel":     {"MFN", "AFN"},
	"PaymentMethod":          {"COD", "CVS", "Other"},
	"OrderType":              {"StandardOrder", "LongLeadTimeOrder", "Preorder", "BackOrder", "SourcingOnDemandOrder"},
	"BuyerInvoicePreference": {"INDIVIDUAL", "BUSINESS"},
}

type modelMoney struct {
	CurrencyCode *string `json:"CurrencyCode"`
	Amount       *string `json:"Amount"`
}

type modelGetOrderResponse struct {
	Payload *modelOrder     `json:"payload"`
	Errors  *modelErrorList `json:"errors"`
}

type modelGetOrderItemsResponse struct {
	Payload *modelOrderItemsList `json:"payload"`
	Errors  *modelErrorList      `json:"errors"`
}

type modelOrderItemsList struct {
	OrderItems    []modelOrderItem `json:"OrderItems"`
	NextToken     *string          `json:"NextToken"`
	AmazonOrderId *string          `json:"AmazonOrderId"`
}

var modelOrderItemsListRequired = []string{"AmazonOrderId", "OrderItems"}

type modelOrderItem struct {
	ASIN                       *string         `json:"ASIN"`
	SellerSKU                  *string         `json:"SellerSKU"`
	OrderItemId                *string         `json:"OrderItemId"`
	AssociatedItems            json.RawMessage `json:"AssociatedItems"`
	Title                      *string         `json:"Title"`
	QuantityOrdered            *int64          `json:"QuantityOrdered"`
	QuantityShipped            *int64          `json:"QuantityShipped"`
	ProductInfo                json.RawMessage `json:"ProductInfo"`
	PointsGranted              json.RawMessage `json:"PointsGranted"`
	ItemPrice                  *modelMoney     `json:"ItemPrice"`
	ShippingPrice              *modelMoney     `json:"ShippingPrice"`
	ItemTax                    *modelMoney     `json:"ItemTax"`
	ShippingTax                *modelMoney     `json:"ShippingTax"`
	ShippingDiscount           *modelMoney     `json:"ShippingDiscount"`
	ShippingDiscountTax        *modelMoney     `json:"ShippingDiscountTax"`
	PromotionDiscount          *modelMoney     `json:"PromotionDiscount"`
	PromotionDiscountTax       *modelMoney     `json:"PromotionDiscountTax"`
	PromotionIds               []string        `json:"PromotionIds"`
	CODFee                     *modelMoney     `json:"CODFee"`
	CODFeeDiscount             *modelMoney     `json:"CODFeeDiscount"`
	IsGift                     *string         `json:"IsGift"`
	ConditionNote              *string         `json:"ConditionNote"`
	ConditionId                *string         `json:"ConditionId"`
	ConditionSubtypeId         *string         `json:"ConditionSubtypeId"`
	ScheduledDeliveryStartDate *string         `json:"ScheduledDeliveryStartDate"`
	ScheduledDeliveryEndDate   *string         `json:"ScheduledDeliveryEndDate"`
	PriceDesignation           *string         `json:"PriceDesignation"`
	TaxCollection              json.RawMessage `json:"TaxCollection"`
	SerialNumberRequired       *bool           `json:"SerialNumberRequired"`
	IsTransparency             *bool           `json:"IsTransparency"`
	IossNumber                 *string         `json:"IossNumber"`
	StoreChainStoreId          *string         `json:"StoreChainStoreId"`
	DeemedResellerCategory     *string         `json:"DeemedResellerCategory"`
	BuyerInfo                  json.RawMessage `json:"BuyerInfo"`
	BuyerRequestedCancel       json.RawMessage `json:"BuyerRequestedCancel"`
	SerialNumbers              json.RawMessage `json:"SerialNumbers"`
	SubstitutionPreferences    json.RawMessage `json:"SubstitutionPreferences"`
	Measurement                json.RawMessage `json:"Measurement"`
	ShippingConstraints        json.RawMessage `json:"ShippingConstraints"`
	AmazonPrograms             json.RawMessage `json:"AmazonPrograms"`
}

var modelOrderItemRequired = []string{"ASIN", "OrderItemId", "QuantityOrdered"}

var modelOrderItemEnums = map[string][]string{
	"DeemedResellerCategory": {"IOSS", "UOSS"},
}

type modelGetOrderAddressResponse struct {
	Payload *modelOrderAddress `json:"payload"`
	Errors  *modelErrorList    `json:"errors"`
}

type modelOrderAddress struct {
	AmazonOrderId       *string         `json:"AmazonOrderId"`
	BuyerCompanyName    *string         `json:"BuyerCompanyName"`
	ShippingAddress     *modelAddress   `json:"ShippingAddress"`
	DeliveryPreferences json.RawMessage `json:"DeliveryPreferences"`
}

var modelOrderAddressRequired = []string{"AmazonOrderId"}

type modelAddress struct {
	Name           *string         `json:"Name"`
	CompanyName    *string         `json:"CompanyName"`
	AddressLine1   *string         `json:"AddressLine1"`
	AddressLine2   *string         `json:"AddressLine2"`
	AddressLine3   *string         `json:"AddressLine3"`
	City           *string         `json:"City"`
	County         *string         `json:"County"`
	District       *string         `json:"District"`
	StateOrRegion  *string         `json:"StateOrRegion"`
	Municipality   *string         `json:"Municipality"`
	PostalCode     *string         `json:"PostalCode"`
	CountryCode    *string         `json:"CountryCode"`
	Phone          *string         `json:"Phone"`
	ExtendedFields json.RawMessage `json:"ExtendedFields"`
	AddressType    *string         `json:"AddressType"`
}

var modelAddressEnums = map[string][]string{
	"AddressType": {"Residential", "Commercial"},
}

type modelGetOrderBuyerInfoResponse struct {
	Payload *modelOrderBuyerInfo `json:"payload"`
	Errors  *modelErrorList      `json:"errors"`
}

type modelOrderBuyerInfo struct {
	AmazonOrderId       *string         `json:"AmazonOrderId"`
	BuyerEmail          *string         `json:"BuyerEmail"`
	BuyerName           *string         `json:"BuyerName"`
	BuyerCounty         *string         `json:"BuyerCounty"`
	BuyerTaxInfo        json.RawMessage `json:"BuyerTaxInfo"`
	PurchaseOrderNumber *string         `json:"PurchaseOrderNumber"`
}

var modelOrderBuyerInfoRequired = []string{"AmazonOrderId"}

type modelBuyerInfo struct {
	BuyerEmail          *string         `json:"BuyerEmail"`
	BuyerName           *string         `json:"BuyerName"`
	BuyerCounty         *string         `json:"BuyerCounty"`
	BuyerTaxInfo        json.RawMessage `json:"BuyerTaxInfo"`
	PurchaseOrderNumber *string         `json:"PurchaseOrderNumber"`
}

type modelErrorList = []modelError

type modelError struct {
	Code    *string `json:"code"`
	Message *string `json:"message"`
	Details *string `json:"details"`
}

var modelErrorRequired = []string{"code", "message"}

type modelConfirmShipmentErrorResponse struct {
	Errors *modelErrorList `json:"errors"`
}

type modelCreateRestrictedDataTokenResponse struct {
	RestrictedDataToken *string `json:"restrictedDataToken"`
	ExpiresIn           *int64  `json:"expiresIn"`
}
