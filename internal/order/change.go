package order

import (
	"errors"
	"fmt"
	"strings"
)

// Change is an operator's change to an order's contents (注文内容修正, seed 003): a package's
// ship-to, the postage, the payment fee (決済手数料 / 代引料), and lines' quantities and unit
// prices. A nil field is left as it is. It is what the order page's form and the API take, what
// a channel sends to its marketplace, and what the order's history shows with before and after.
type Change struct {
	ShipTo     *ShipTo      `json:"ship_to,omitempty"`
	Postage    *int64       `json:"postage,omitempty"`
	PaymentFee *int64       `json:"payment_fee,omitempty"`
	Lines      []LineChange `json:"lines,omitempty"`
}

// ShipTo is a package's new recipient, in the parts a marketplace takes separately.
type ShipTo struct {
	// PackageKey names the package (Rakuten's basketId); "" is the order's first package.
	PackageKey string `json:"package_key,omitempty"`
	FamilyName string `json:"family_name"`
	FirstName  string `json:"first_name,omitempty"`
	Zip        string `json:"zip"`
	Prefecture string `json:"prefecture"`
	City       string `json:"city"`
	Street     string `json:"street"`
	Phone      string `json:"phone"`
}

// Person is the ship-to as the order holds it.
func (s ShipTo) Person() Person {
	return Person{Name: strings.TrimSpace(s.FamilyName + " " + s.FirstName), Phone: s.Phone, Zip: s.Zip,
		Address: s.Prefecture + s.City + s.Street}
}

// LineChange sets one line's quantity and unit price (tax included, yen); Line is its index in
// Order.Lines.
type LineChange struct {
	Line      int   `json:"line"`
	Quantity  int64 `json:"quantity"`
	UnitPrice int64 `json:"unit_price"`
}

// MaxChangeAmount bounds any amount or quantity an operator enters in a change.
const MaxChangeAmount = 10_000_000

// ErrNoChange is a change that changes nothing of the order.
var ErrNoChange = errors.New("この変更は注文の内容と同じです。変更する項目を入力してください。")

// Empty says whether the change names nothing.
func (c Change) Empty() bool {
	return c.ShipTo == nil && c.Postage == nil && c.PaymentFee == nil && len(c.Lines) == 0
}

// Check refuses a change that no marketplace would take, with what to enter instead.
func (c Change) Check(o Order) error {
	if c.Empty() {
		return errors.New("変更する項目がありません。送付先・送料・決済手数料・数量・単価のどれかを入力してください。")
	}
	if s := c.ShipTo; s != nil {
		if strings.TrimSpace(s.FamilyName) == "" || strings.TrimSpace(s.Zip) == "" || strings.TrimSpace(s.Prefecture) == "" ||
			strings.TrimSpace(s.City) == "" || strings.TrimSpace(s.Street) == "" || strings.TrimSpace(s.Phone) == "" {
			return errors.New("送付先の氏名(姓)・郵便番号・都道府県・市区郡・それ以降の住所・電話番号は必須です。入力して、もう一度変更してください。")
		}
		if s.PackageKey != "" && !o.hasPackage(s.PackageKey) {
			return fmt.Errorf("この注文に送付先 %s がありません。注文を開き直してから変更してください。", s.PackageKey)
		}
	}
	for _, v := range []*int64{c.Postage, c.PaymentFee} {
		if v != nil && (*v < 0 || *v > MaxChangeAmount) {
			return fmt.Errorf("送料・決済手数料 %d 円は入力できません。0から10,000,000までの円の整数で入力してください。", *v)
		}
	}
	seen := map[int]bool{}
	for _, l := range c.Lines {
		switch {
		case l.Line < 0 || l.Line >= len(o.Lines):
			return fmt.Errorf("この注文に %d 行目の商品はありません。注文を開き直してから変更してください。", l.Line+1)
		case seen[l.Line]:
			return fmt.Errorf("%d 行目の商品が二度指定されています。一行に一つの数量と単価を指定してください。", l.Line+1)
		case l.Quantity < 1 || l.Quantity > 9999:
			return fmt.Errorf("%d 行目の数量 %d は入力できません。1から9999までの整数で入力してください(商品を除くにはモールの管理画面で変更してください)。", l.Line+1, l.Quantity)
		case l.UnitPrice < 0 || l.UnitPrice > MaxChangeAmount:
			return fmt.Errorf("%d 行目の単価 %d 円は入力できません。0から10,000,000までの円の整数で入力してください。", l.Line+1, l.UnitPrice)
		}
		seen[l.Line] = true
	}
	return nil
}

func (o Order) hasPackage(key string) bool {
	for _, p := range o.Packages {
		if p.Key == key {
			return true
		}
	}
	return false
}

// PackageIndex is the index of the package a ship-to change names, -1 when none.
func (o Order) PackageIndex(key string) int {
	if key == "" && len(o.Packages) > 0 {
		return 0
	}
	for i, p := range o.Packages {
		if p.Key == key {
			return i
		}
	}
	return -1
}

// Apply returns the order with the change made: the ship-to, postage, fee and lines as given,
// and the goods total, total and requested amount moved by the same differences (a discount
// or points already taken stay as they are). An amount not fixed (Rakuten's -9999) takes the
// value given and is fixed from then on.
func (c Change) Apply(o Order) Order {
	o.Packages = append([]Package(nil), o.Packages...)
	o.Lines = append([]Line(nil), o.Lines...)
	if s := c.ShipTo; s != nil {
		if i := o.PackageIndex(s.PackageKey); i >= 0 {
			p := s.Person()
			p.Kana, p.Email = o.Packages[i].ShipTo.Kana, o.Packages[i].ShipTo.Email
			o.Packages[i].ShipTo = p
		}
	}
	delta := int64(0)
	for _, l := range c.Lines {
		old := o.Lines[l.Line]
		delta += l.UnitPrice*l.Quantity - old.UnitPrice*old.Quantity
		o.Lines[l.Line].UnitPrice, o.Lines[l.Line].Quantity = l.UnitPrice, l.Quantity
	}
	if delta != 0 {
		o.Amounts.Goods = addYen(o.Amounts.Goods, delta)
	}
	set := func(y *Yen, v *int64) {
		if v == nil {
			return
		}
		if old, ok := y.Value(); ok {
			delta += *v - old
		}
		*y = YenOf(*v)
	}
	set(&o.Amounts.Postage, c.Postage)
	set(&o.Amounts.PaymentFee, c.PaymentFee)
	if o.Amounts.Postage.Fixed() && o.Amounts.PaymentFee.Fixed() && (!o.Amounts.Total.Fixed() || !o.Amounts.Requested.Fixed()) {
		// The total was not fixed for an unfixed postage: it is now the sum of its parts.
		o.Amounts.Total = Add(o.Amounts.Goods, o.Amounts.Postage, o.Amounts.PaymentFee)
		if v, ok := o.Amounts.Total.Value(); ok {
			d, _ := o.Amounts.Discount.Value()
			p, _ := o.Amounts.Points.Value()
			o.Amounts.Total, o.Amounts.Requested = YenOf(v-d), YenOf(v-d-p)
		}
		return o
	}
	if delta != 0 {
		o.Amounts.Total = addYen(o.Amounts.Total, delta)
		o.Amounts.Requested = addYen(o.Amounts.Requested, delta)
	}
	return o
}

func addYen(y Yen, d int64) Yen {
	if v, ok := y.Value(); ok {
		return YenOf(v + d)
	}
	return y
}

// Describe is the change as the order's history reads it, each field with its value before
// (from o, the order as it was) and after: 「送料: 未確定 → 660円」.
func (c Change) Describe(o Order) []string {
	var out []string
	if s := c.ShipTo; s != nil {
		before := Person{}
		if i := o.PackageIndex(s.PackageKey); i >= 0 {
			before = o.Packages[i].ShipTo
		}
		after := s.Person()
		out = append(out, fmt.Sprintf("送付先: %s 〒%s %s %s → %s 〒%s %s %s", before.Name, before.Zip, before.Address, before.Phone,
			after.Name, after.Zip, after.Address, after.Phone))
	}
	if c.Postage != nil {
		out = append(out, fmt.Sprintf("送料: %s → %s", o.Amounts.Postage, YenOf(*c.Postage)))
	}
	if c.PaymentFee != nil {
		out = append(out, fmt.Sprintf("決済手数料: %s → %s", o.Amounts.PaymentFee, YenOf(*c.PaymentFee)))
	}
	for _, l := range c.Lines {
		old := o.Lines[l.Line]
		out = append(out, fmt.Sprintf("%d行目 %s: ¥%s×%d → ¥%s×%d", l.Line+1, old.Name, Grouped(old.UnitPrice), old.Quantity,
			Grouped(l.UnitPrice), l.Quantity))
	}
	return out
}

// EventEdited is an operator's change of an order's contents sent to its marketplace, with
// every value before and after, and its outcome.
const EventEdited EventKind = "edited"
