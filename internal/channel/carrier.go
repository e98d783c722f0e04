package channel

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
)

// Carrier is a delivery company as ichigen names it; channel packages map it to their codes.
type Carrier struct {
	Code string // Rakuten's deliveryCompany code, which Yahoo shares for 1000–1004
	Name string
	// TrackingCheck says whether the carrier's numbers are 12 digits with the mod-7 check digit.
	TrackingCheck bool
}

// Carriers lists the delivery companies RMS accepts (marketplace-apis.md §6).
var Carriers = []Carrier{
	{"1000", "その他", false}, {"1001", "ヤマト運輸", true}, {"1002", "佐川急便", true}, {"1003", "日本郵便", true},
	{"1004", "西濃運輸", false}, {"1005", "セイノースーパーエクスプレス", false}, {"1006", "福山通運", false},
	{"1007", "名鉄運輸", false}, {"1008", "トナミ運輸", false}, {"1009", "第一貨物", false}, {"1010", "新潟運輸", false},
	{"1011", "中越運送", false}, {"1012", "岡山県貨物運送", false}, {"1013", "久留米運送", false}, {"1014", "山陽自動車運送", false},
	{"1015", "NXトランスポート", false}, {"1016", "エコ配", false}, {"1017", "EMS", false}, {"1018", "DHL", false},
	{"1019", "FedEx", false}, {"1020", "UPS", false}, {"1021", "日本通運", false}, {"1022", "TNT", false}, {"1023", "OCS", false},
	{"1024", "USPS", false}, {"1025", "SFエクスプレス", false}, {"1026", "Aramex", false}, {"1027", "SGHグローバル・ジャパン", false},
	{"1028", "Rakuten EXPRESS", false}, {"1029", "日本郵便 楽天倉庫出荷", false}, {"1030", "ヤマト運輸 クロネコゆうパケット", false},
	{"1031", "名鉄NX運輸", false},
}

// CarrierByCode finds a carrier.
func CarrierByCode(code string) (Carrier, bool) {
	for _, c := range Carriers {
		if c.Code == code {
			return c, true
		}
	}
	return Carrier{}, false
}

// ValidateTracking checks a tracking number for a carrier and returns the operator's message
// when it is wrong. Yamato, Sagawa and Japan Post numbers are 12 digits whose last digit is the
// first eleven, as a number, modulo 7. The number is expected normalised (order.NormaliseTrackingNumber).
func ValidateTracking(carrierCode, number string) string {
	c, ok := CarrierByCode(carrierCode)
	if !ok {
		return fmt.Sprintf("配送会社コード「%s」は登録されていません。配送会社を選び直してください。", carrierCode)
	}
	if number == "" {
		return "配送番号(お問い合せ番号)が入力されていません。"
	}
	if !c.TrackingCheck {
		return ""
	}
	if len(number) != 12 || strings.Trim(number, "0123456789") != "" {
		return fmt.Sprintf("%sの配送番号「%s」は12桁の数字ではありません。送り状の番号を確認して入力し直してください。", c.Name, number)
	}
	var n int64
	for _, d := range number[:11] {
		n = n*10 + int64(d-'0')
	}
	if int64(number[11]-'0') != n%7 {
		return fmt.Sprintf("%sの配送番号「%s」はチェックデジットが合いません。入力間違いがないか送り状と照らし合わせてください。", c.Name, number)
	}
	return ""
}

// ShipmentProblem is what an operator must fix in one field of a shipment they entered.
type ShipmentProblem struct {
	Field   string // "package_key", "ship_date", "carrier" or "tracking_number"
	Message string
}

// CheckShipment normalises a shipment an operator entered (fields trimmed, the ship date as
// 2026-11-01, the tracking number half-width without hyphens) and lists what must be fixed:
// the check the order page and the REST API both make before shipments are stored.
func CheckShipment(s order.Shipment) (order.Shipment, []ShipmentProblem) {
	s.PackageKey, s.Carrier, s.MarketplaceRef = strings.TrimSpace(s.PackageKey), strings.TrimSpace(s.Carrier), strings.TrimSpace(s.MarketplaceRef)
	s.TrackingNumber = order.NormaliseTrackingNumber(strings.TrimSpace(s.TrackingNumber))
	entered := strings.TrimSpace(s.ShipDate)
	var problems []ShipmentProblem
	if entered == "" {
		problems = append(problems, ShipmentProblem{"ship_date", "発送日を入力してください。"})
	} else if d, err := time.Parse(time.DateOnly, strings.ReplaceAll(entered, "/", "-")); err != nil {
		problems = append(problems, ShipmentProblem{"ship_date", fmt.Sprintf("発送日「%s」が読めません。2026-11-01 の形で入力してください。", entered)})
	} else {
		s.ShipDate = d.Format(time.DateOnly)
	}
	if s.Carrier == "" {
		problems = append(problems, ShipmentProblem{"carrier", "配送会社を選んでください。"})
	} else if m := ValidateTracking(s.Carrier, s.TrackingNumber); m != "" {
		field := "tracking_number"
		if _, known := CarrierByCode(s.Carrier); !known {
			field = "carrier"
		}
		problems = append(problems, ShipmentProblem{field, m})
	}
	return s, problems
}

// CheckShipmentFor checks a shipment entered for an order, as CheckShipment does, and then what
// needs the order: the ship date within order.CheckShipDate's window (today is now), and a
// package key naming one of the order's packages, since a parcel reported against a basket the
// order does not have is a parcel the marketplace refuses or files under the wrong destination.
// A blank key on an order of one package is that package.
func CheckShipmentFor(o order.Order, s order.Shipment, now time.Time) (order.Shipment, []ShipmentProblem) {
	s, problems := CheckShipment(s)
	keys := make([]string, len(o.Packages))
	for i, p := range o.Packages {
		keys[i] = p.Key
	}
	switch {
	case s.PackageKey == "" && len(keys) == 1:
		s.PackageKey = keys[0]
	case s.PackageKey == "":
		problems = append(problems, ShipmentProblem{"package_key", fmt.Sprintf("送付先を指定してください(この注文の送付先: %s)。", strings.Join(keys, "、"))})
	case !slices.Contains(keys, s.PackageKey):
		problems = append(problems, ShipmentProblem{"package_key",
			fmt.Sprintf("送付先「%s」はこの注文にありません。送付先 %s のどれかを指定してください。", s.PackageKey, strings.Join(keys, "、"))})
	}
	if !slices.ContainsFunc(problems, func(p ShipmentProblem) bool { return p.Field == "ship_date" }) {
		if msg := order.CheckShipDate(s.ShipDate, o.OrderedAt, now); msg != "" {
			problems = append(problems, ShipmentProblem{"ship_date", msg})
		}
	}
	return s, problems
}
