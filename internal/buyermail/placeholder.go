package buyermail

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
)

// Context is what a template is rendered with: an order and its shop.
type Context struct {
	Order    order.Order
	ShopName string
	// Contact is the shop's address for replies (the Reply-To), shown as 店舗連絡先.
	Contact string
}

// Placeholder is one 差し込み項目: its name as written in a template ({{注文番号}}), what it
// stands for, and how an order fills it.
type Placeholder struct {
	Name        string
	Description string
	value       func(Context) string
}

// Placeholders are every placeholder a template may use, in the order the settings page lists
// them.
var Placeholders = []Placeholder{
	{"店舗名", "店舗の名前", func(c Context) string { return c.ShopName }},
	{"店舗連絡先", "返信先のメールアドレス", func(c Context) string { return c.Contact }},
	{"購入者名", "注文者の氏名", func(c Context) string { return c.Order.Buyer.Name }},
	{"注文番号", "モールの注文番号", func(c Context) string { return c.Order.MarketplaceNumber() }},
	{"注文日時", "注文日時(日本時間)", func(c Context) string { return order.FormatMinute(c.Order.OrderedAt) }},
	{"商品明細", "商品名・選択肢・単価・数量(複数行)", lines},
	{"商品合計", "商品の合計金額", func(c Context) string { return c.Order.Amounts.Goods.String() }},
	{"送料", "送料(未確定はそのとおり表示)", func(c Context) string { return c.Order.Amounts.Postage.String() }},
	{"決済手数料", "決済手数料・代引手数料", func(c Context) string { return c.Order.Amounts.PaymentFee.String() }},
	{"利用ポイント", "利用されたポイント", func(c Context) string { return c.Order.Amounts.Points.String() }},
	{"クーポン値引", "クーポン等の値引き", func(c Context) string { return c.Order.Amounts.Discount.String() }},
	{"合計金額", "合計金額", func(c Context) string { return c.Order.Amounts.Total.String() }},
	{"請求金額", "お支払いいただく金額", func(c Context) string { return c.Order.Amounts.Requested.String() }},
	{"支払方法", "支払方法", func(c Context) string { return c.Order.PaymentMethod }},
	{"送付先", "お届け先の氏名・郵便番号・住所・電話番号(複数行)", shipTo},
	{"お届け希望日", "購入者が指定したお届け日(指定がなければ「指定なし」)", func(c Context) string {
		return delivery(c, func(p order.Package) string { return strings.ReplaceAll(p.DeliveryDate, "-", "/") })
	}},
	{"お届け時間帯", "購入者が指定したお届け時間帯(指定がなければ「指定なし」)", func(c Context) string {
		return delivery(c, func(p order.Package) string { return p.DeliveryTime })
	}},
	{"配送会社", "配送会社", func(c Context) string { return shipments(c, carrierName) }},
	{"配送番号", "送り状番号(お問い合せ番号)", func(c Context) string { return shipments(c, func(s order.Shipment) string { return s.TrackingNumber }) }},
	{"配送状況確認URL", "配送会社の荷物追跡ページ", func(c Context) string { return shipments(c, TrackingURL) }},
	{"発送日", "発送日", func(c Context) string {
		return shipments(c, func(s order.Shipment) string { return strings.ReplaceAll(s.ShipDate, "-", "/") })
	}},
}

func placeholderByName(name string) (Placeholder, bool) {
	for _, p := range Placeholders {
		if p.Name == name {
			return p, true
		}
	}
	return Placeholder{}, false
}

func lines(c Context) string {
	var b strings.Builder
	for i, l := range c.Order.Lines {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s", l.Name)
		if l.Options != "" {
			fmt.Fprintf(&b, "\n  %s", l.Options)
		}
		fmt.Fprintf(&b, "\n  %s × %d", order.YenOf(l.UnitPrice), l.Quantity)
	}
	return b.String()
}

// delivery is what the buyer asked of each destination's delivery, the distinct values joined;
// 指定なし when nothing was asked.
func delivery(c Context, of func(order.Package) string) string {
	var out []string
	for _, p := range c.Order.Packages {
		if v := of(p); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return "指定なし"
	}
	return strings.Join(out, "、")
}

func shipTo(c Context) string {
	p := c.Order.Buyer
	if len(c.Order.Packages) > 0 {
		p = c.Order.Packages[0].ShipTo
	}
	out := []string{p.Name + " 様"}
	if p.Zip != "" {
		out = append(out, "〒"+p.Zip)
	}
	if p.Address != "" {
		out = append(out, p.Address)
	}
	if p.Phone != "" {
		out = append(out, "TEL "+p.Phone)
	}
	return strings.Join(out, "\n")
}

// shipments writes one value per shipment that has a tracking number, one a line.
func shipments(c Context, value func(order.Shipment) string) string {
	var out []string
	for _, s := range c.Order.Shipments {
		if s.TrackingNumber != "" || s.Carrier != "" {
			out = append(out, value(s))
		}
	}
	return strings.Join(out, "\n")
}

func carrierName(s order.Shipment) string {
	if c, ok := channel.CarrierByCode(s.Carrier); ok {
		return c.Name
	}
	return s.Carrier
}

// trackingPages are the carriers' pages that show a parcel by its number.
var trackingPages = map[string]string{
	"1001": "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number00=1&number01=",
	"1002": "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=",
	"1003": "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=",
}

// TrackingURL is the carrier's tracking page of a shipment; "" when the carrier has none known.
func TrackingURL(s order.Shipment) string {
	page, ok := trackingPages[s.Carrier]
	if !ok || s.TrackingNumber == "" {
		return ""
	}
	return page + order.NormaliseTrackingNumber(s.TrackingNumber)
}

// Rendered is a template filled for one order.
type Rendered struct {
	Subject string
	Body    string
}

// Render fills a template for an order. A placeholder Validate would refuse is left as written.
func Render(t Template, c Context) Rendered {
	fill := func(text string) string {
		return placeholderPattern.ReplaceAllStringFunc(text, func(m string) string {
			p, ok := placeholderByName(placeholderPattern.FindStringSubmatch(m)[1])
			if !ok {
				return m
			}
			return p.value(c)
		})
	}
	subject := strings.Join(strings.Fields(fill(t.Subject)), " ") // a header is one line
	return Rendered{Subject: subject, Body: strings.ReplaceAll(fill(t.Body), "\r\n", "\n")}
}
