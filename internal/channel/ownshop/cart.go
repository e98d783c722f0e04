package ownshop

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// SignatureHeader carries a cart request's signature: "sha256=" and the lower-case hex
// HMAC-SHA256 of the body (of a GET, of its request URI) under the shop's cart secret.
const SignatureHeader = "X-Ichigen-Signature"

// Sign returns the header value for payload under secret.
func Sign(secret string, payload []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(payload)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is payload's signature under secret, in constant time.
func Verify(secret string, payload []byte, header string) bool {
	got, ok := strings.CutPrefix(strings.TrimSpace(header), "sha256=")
	if !ok || secret == "" {
		return false
	}
	sum, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(payload)
	return hmac.Equal(sum, m.Sum(nil))
}

// Payment methods a cart order names.
const (
	MethodWebcollectCard = "webcollect_credit" // クロネコwebコレクト クレジット
	MethodBankTransfer   = "bank_transfer"     // 銀行振込
	MethodCOD            = "cod"               // 代金引換
)

// CartOrder is one order as a cart sends it: to the intake endpoint, and in its order feed.
type CartOrder struct {
	// Number is the cart's order number, unique per shop: an order sent twice is one order.
	Number    string    `json:"order_number" example:"C-20261203-0001"`
	OrderedAt time.Time `json:"ordered_at" example:"2026-12-03T10:15:00+09:00"`
	// UpdatedAt is when the cart last changed the order; a change older than what ichigen holds is
	// ignored.
	UpdatedAt time.Time  `json:"updated_at,omitzero" example:"2026-12-03T10:15:00+09:00"`
	Cancelled bool       `json:"cancelled,omitempty"`
	Buyer     CartPerson `json:"buyer"`
	ShipTo    CartPerson `json:"ship_to"`
	Lines     []CartLine `json:"lines" minItems:"1" maxItems:"200"`
	Postage   int64      `json:"postage" minimum:"0"`
	Fee       int64      `json:"payment_fee" minimum:"0"`
	Discount  int64      `json:"discount" minimum:"0"`
	Total     int64      `json:"total" minimum:"0"`
	Payment   CartPay    `json:"payment"`
}

// CartPerson is a buyer or a recipient.
type CartPerson struct {
	Name    string `json:"name" example:"山田 太郎" maxLength:"100"`
	Kana    string `json:"kana,omitempty" example:"ヤマダ タロウ" maxLength:"100"`
	Email   string `json:"email,omitempty" example:"taro@example.jp" maxLength:"254"`
	Phone   string `json:"phone,omitempty" example:"090-1234-5678" maxLength:"20"`
	Zip     string `json:"zip,omitempty" example:"100-0005" maxLength:"10"`
	Address string `json:"address,omitempty" example:"東京都千代田区丸の内1-1-1" maxLength:"300"`
}

// CartLine is one line of a cart order.
type CartLine struct {
	SKU       string `json:"sku" example:"TEA-001" maxLength:"100"`
	Name      string `json:"name" example:"静岡煎茶 特上 100g" maxLength:"255"`
	Options   string `json:"options,omitempty" maxLength:"255"`
	UnitPrice int64  `json:"unit_price" example:"1080" minimum:"0"`
	Quantity  int64  `json:"quantity" example:"2" minimum:"1"`
	TaxRate   int64  `json:"tax_rate" example:"8" enum:"0,8,10"`
}

// CartPay is the order's payment; for a webコレクト card it names the trade.
type CartPay struct {
	Method string `json:"method" example:"webcollect_credit" enum:"webcollect_credit,bank_transfer,cod"`
	// TraderCode is the 加盟店コード the trade was authorised under.
	TraderCode string `json:"trader_code,omitempty" example:"888888709" maxLength:"20"`
	// OrderNo is the trade's 受付番号 (order_no) at webコレクト, ≤ 23 characters.
	OrderNo string `json:"order_no,omitempty" example:"C202612030001" maxLength:"23"`
	Amount  int64  `json:"amount,omitempty" example:"2460" minimum:"0"`
	// AuthorizedAt is when the card was authorised; absent when the card payment has not
	// finished (要確認).
	AuthorizedAt time.Time `json:"authorized_at,omitzero" example:"2026-12-03T10:15:03+09:00"`
	// MemberID is the cart's member id (会員ID) the buyer ordered as, when the buyer is a
	// member: the member_id the cart gives webコレクト for the buyer's stored cards. Absent for a
	// guest.
	MemberID string `json:"member_id,omitempty" example:"M-000123" maxLength:"64" doc:"会員ID(会員の注文だけ)。webコレクトのお預かりカード(member_id)と同じ値"`
	// AuthenticationKey is the key the cart chose for the member at webコレクト
	// (authentication_key); absent, the member id stands for it, as Yamato Financial's EC-CUBE
	// module sends it.
	AuthenticationKey string `json:"authentication_key,omitempty" example:"k7f3a9c1" maxLength:"64" doc:"webコレクトのお預かりカードの認証キー(authentication_key)。省略時は会員IDと同じ値とみなします"`
}

// FeedPage is one page of the cart's order feed (GET <cart>/orders?from=&to=&page=); NextPage is 0
// on the last.
type FeedPage struct {
	Orders   []CartOrder `json:"orders"`
	NextPage int         `json:"next_page"`
}

// FeedPageSize is the most orders a feed page holds.
const FeedPageSize = 100
