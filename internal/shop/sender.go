package shop

// Sender is a shop's ご依頼主 as its carrier labels print it, with the carrier contract numbers
// the label layouts need: saved per shop in the settings (出荷設定) and read by the packing bench.
type Sender struct {
	Name    string `json:"name"`
	Kana    string `json:"kana,omitempty"`
	Phone   string `json:"phone"`
	Zip     string `json:"zip"`
	Address string `json:"address"`
	// YamatoCustomerCode is B2クラウド's 請求先顧客コード (10–12 digits, usually the contract
	// phone number without hyphens) and YamatoFreightNumber its 運賃管理番号 (2 digits, usually
	// 01); B2 requires both.
	YamatoCustomerCode  string `json:"yamato_customer_code,omitempty"`
	YamatoFreightNumber string `json:"yamato_freight_number,omitempty"`
	// SagawaCustomerCode is e飛伝's お客様コード, the shop's contract number with Sagawa.
	SagawaCustomerCode string `json:"sagawa_customer_code,omitempty"`
	// InvoiceNumber is the shop's 適格請求書発行事業者登録番号 ("T" and 13 digits, checked by
	// InvoiceNumber), printed on its 納品書 to make it a qualified invoice; empty when the shop
	// issues none.
	InvoiceNumber string `json:"invoice_number,omitempty"`
}
