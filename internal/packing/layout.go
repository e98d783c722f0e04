package packing

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// Layout is a carrier label program's import layout.
type Layout string

// The layouts.
const (
	Yamato    Layout = "yamato-b2"       // ヤマト運輸 B2クラウド 外部データから発行
	Sagawa    Layout = "sagawa-ehiden3"  // 佐川急便 e飛伝Ⅲ 標準_飛脚宅急便_CSV_ヘッダ有り
	JapanPost Layout = "japanpost-yupri" // 日本郵便 ゆうプリR (取込フィルタを登録して使う)
)

// Layouts lists the layouts in menu order.
var Layouts = []Layout{Yamato, Sagawa, JapanPost}

// ParseLayout reads a layout's name.
func ParseLayout(s string) (Layout, error) {
	for _, l := range Layouts {
		if string(l) == s {
			return l, nil
		}
	}
	return "", apperror.New(apperror.Invalid, "送り状の形式「%s」はありません。yamato-b2 (B2クラウド)、sagawa-ehiden3 (e飛伝Ⅲ)、japanpost-yupri (ゆうプリR) のどれかを指定してください。", s)
}

// Label is the layout's name in Japanese.
func (l Layout) Label() string {
	switch l {
	case Yamato:
		return "ヤマト運輸 B2クラウド"
	case Sagawa:
		return "佐川急便 e飛伝Ⅲ"
	case JapanPost:
		return "日本郵便 ゆうプリR"
	}
	return string(l)
}

// Carrier is the ichigen carrier code (channel.Carriers) of the layout's numbers.
func (l Layout) Carrier() string {
	switch l {
	case Yamato:
		return "1001"
	case Sagawa:
		return "1002"
	case JapanPost:
		return "1003"
	}
	return ""
}

// Column is one column of a layout: its header, where its definition comes from, its width
// in half-width units (a full-width character counts 2; 0 is unchecked) and its value.
type Column struct {
	Header string
	// Source names the document the column's position, width and codes come from
	// (carriers-and-mail.md's S1–S5 and the exporters it lists).
	Source string
	Width  int
	Value  func(p *parcel) string
}

// Columns returns the layout's columns in file order.
func (l Layout) Columns() []Column {
	switch l {
	case Yamato:
		return yamatoColumns
	case Sagawa:
		return sagawaColumns
	case JapanPost:
		return japanPostColumns
	}
	return nil
}

// itemWidth is the width of the layout's 品名 field in half-width units: B2 25 full-width
// (S5), e飛伝 16 (the Ⅱ limit, M), ゆうプリR 50 bytes.
func (l Layout) itemWidth() int {
	if l == Sagawa {
		return 32
	}
	return 50
}

// HasHeader says whether the file starts with a header row. B2 and e飛伝Ⅲ's standard template
// read one (B2's 取込開始行 = 2); the ゆうプリR filter ichigen documents does too.
func (l Layout) HasHeader() bool { return true }

func blank(*parcel) string { return "" }

func fixed(v string) func(*parcel) string { return func(*parcel) string { return v } }

const (
	srcB2      = "B2 送り状発行データレイアウト 入出力用 (S1) + yamato_b2_cloud record.rb (S2) + Yamato EC-CUBE plugin (S3)"
	srcB2Tail  = "B2クラウド newb2web_template1.xls 43–95列 (S4; M)"
	srcEhiden  = "e飛伝Ⅲ 標準_飛脚宅急便_CSV_ヘッダ有り (d2c-square.com/?p=805; and-period/furumaru exporter/sagawa; raku-uru ehiden3 manual)"
	srcEhiCode = "e飛伝Ⅱ SagawaVO 区分コード (M; e飛伝Ⅲ assumed the same)"
	srcYupri   = "ゆうプリR 取込フィルタ (sokuhan paperzz.com/doc/5322404; 6.フィルタ設定説明書): ichigen's own filter layout, registered once in ゆうプリR"
)

var yamatoColumns = func() []Column {
	cols := []Column{
		{"お客様管理番号", srcB2 + "; 20 half-width safe (S1)", 20, func(p *parcel) string { return p.Key }},
		{"送り状種類", srcB2 + "; 0 発払い, 2 コレクト (S5 current codes)", 1, func(p *parcel) string {
			if p.COD > 0 {
				return "2"
			}
			return "0"
		}},
		{"クール区分", srcB2 + "; 0 通常", 1, fixed("0")},
		{"伝票番号", srcB2 + "; blank: B2 assigns it", 12, blank},
		{"出荷予定日", srcB2 + "; YYYY/MM/DD", 10, func(p *parcel) string { return strings.ReplaceAll(p.ShipDate, "-", "/") }},
		{"お届け予定日", srcB2 + "; YYYY/MM/DD or blank", 10, func(p *parcel) string { return strings.ReplaceAll(p.Date, "-", "/") }},
		{"配達時間帯", srcB2 + "; 0812 1416 1618 1820 1921 (S2, S4, S5)", 4, func(p *parcel) string { return yamatoSlots[p.Slot] }},
		{"お届け先コード", srcB2, 20, blank},
		{"お届け先電話番号", srcB2 + "; 15", 15, func(p *parcel) string { return p.To.Phone }},
		{"お届け先電話番号枝番", srcB2, 2, blank},
		{"お届け先郵便番号", srcB2 + "; 8 with hyphen", 8, func(p *parcel) string { return zip(p.To.Zip) }},
		{"お届け先住所", srcB2 + "; 32/64 (S5)", 64, func(p *parcel) string { return p.addr(64, 0) }},
		{"お届け先アパートマンション名", srcB2 + "; 16/32, the address's overflow (S4)", 32, func(p *parcel) string { return p.addr(64, 32) }},
		{"お届け先会社・部門１", srcB2 + "; 25/50", 50, blank},
		{"お届け先会社・部門２", srcB2 + "; 25/50", 50, blank},
		{"お届け先名", srcB2 + "; 16/32", 32, func(p *parcel) string { return p.To.Name }},
		{"お届け先名(ｶﾅ)", srcB2 + "; half-width 50", 50, func(p *parcel) string { return halfKana(p.To.Kana) }},
		{"敬称", srcB2 + "; 2/4", 4, fixed("様")},
		{"ご依頼主コード", srcB2, 20, blank},
		{"ご依頼主電話番号", srcB2 + "; 15", 15, func(p *parcel) string { return p.From.Phone }},
		{"ご依頼主電話番号枝番", srcB2, 2, blank},
		{"ご依頼主郵便番号", srcB2 + "; 8 with hyphen", 8, func(p *parcel) string { return zip(p.From.Zip) }},
		{"ご依頼主住所", srcB2 + "; 32/64", 64, func(p *parcel) string { return p.fromAddr(64, 0) }},
		{"ご依頼主アパートマンション", srcB2 + "; 16/32", 32, func(p *parcel) string { return p.fromAddr(64, 32) }},
		{"ご依頼主名", srcB2 + "; 16/32", 32, func(p *parcel) string { return p.From.Name }},
		{"ご依頼主名(ｶﾅ)", srcB2 + "; half-width 50", 50, func(p *parcel) string { return halfKana(p.From.Kana) }},
		{"品名コード１", srcB2 + "; 30", 30, blank},
		{"品名１", srcB2 + "; 25/50, required", 50, func(p *parcel) string { return p.Item }},
		{"品名コード２", srcB2, 30, blank},
		{"品名２", srcB2 + "; 25/50", 50, blank},
		{"荷扱い１", srcB2 + "; 10/20", 20, blank},
		{"荷扱い２", srcB2 + "; 10/20", 20, blank},
		{"記事", srcB2 + "; 22/44", 44, blank},
		{"ｺﾚｸﾄ代金引換額（税込)", srcB2 + "; 7 digits, required with 送り状種類 2", 7, func(p *parcel) string { return amount(p.COD) }},
		{"内消費税額等", srcB2 + "; 7 digits, required with 送り状種類 2", 7, func(p *parcel) string { return amount(p.CODTax) }},
		{"止置き", srcB2 + "; 0/1", 1, fixed("0")},
		{"営業所コード", srcB2 + "; 6 digits with 止置き", 6, blank},
		{"発行枚数", srcB2 + "; 2 digits", 2, fixed("1")},
		{"個数口表示フラグ", srcB2 + "; 1 印字", 1, fixed("1")},
		{"請求先顧客コード", srcB2 + "; 10–12 digits, required", 12, func(p *parcel) string { return digits(p.From.YamatoCustomerCode) }},
		{"請求先分類コード", srcB2 + "; blank or 3 digits", 3, blank},
		{"運賃管理番号", srcB2 + "; 2 digits, required, usually 01", 2, func(p *parcel) string {
			if p.From.YamatoFreightNumber != "" {
				return p.From.YamatoFreightNumber
			}
			return "01"
		}},
	}
	tail := []string{"クロネコwebコレクトデータ登録", "クロネコwebコレクト加盟店番号", "クロネコwebコレクト申込受付番号１", "クロネコwebコレクト申込受付番号２",
		"クロネコwebコレクト申込受付番号３", "お届け予定ｅメール利用区分", "お届け予定ｅメールe-mailアドレス", "入力機種", "お届け予定ｅメールメッセージ",
		"お届け完了ｅメール利用区分", "お届け完了ｅメールe-mailアドレス", "お届け完了ｅメールメッセージ"}
	for i := len(tail); i < 95-42; i++ {
		tail = append(tail, fmt.Sprintf("予備%02d", i-len(tail)+1)) // 55–95: 収納代行, 検索キー, 投函メール: not used (S3 names them 予備 where unused)
	}
	for _, h := range tail {
		cols = append(cols, Column{h, srcB2Tail, 0, blank})
	}
	return cols
}()

var sagawaColumns = func() []Column {
	cols := []Column{
		{"お届け先コード取得区分", srcEhiden, 1, blank},
		{"お届け先コード", srcEhiden, 12, blank},
		{"お届け先電話番号", srcEhiden, 14, func(p *parcel) string { return p.To.Phone }},
		{"お届け先郵便番号", srcEhiden, 8, func(p *parcel) string { return zip(p.To.Zip) }},
		{"お届け先住所１", srcEhiden + "; 16 full-width a line (M)", 32, func(p *parcel) string { return p.addr(32, 0) }},
		{"お届け先住所２", srcEhiden, 32, func(p *parcel) string { return p.addr(32, 32) }},
		{"お届け先住所３", srcEhiden, 32, func(p *parcel) string { return p.addr(32, 64) }},
		{"お届け先名称１", srcEhiden + "; 16 full-width", 32, func(p *parcel) string { return p.To.Name + " 様" }},
		{"お届け先名称２", srcEhiden, 32, blank},
		{"お客様管理番号", srcEhiden + "; ichigen's key, matched back from the 追跡番号 file", 16, func(p *parcel) string { return p.Key }},
		{"お客様コード", srcEhiden, 12, func(p *parcel) string { return digits(p.From.SagawaCustomerCode) }},
		{"部署ご担当者コード取得区分", srcEhiden, 1, blank},
		{"部署ご担当者コード", srcEhiden, 0, blank},
		{"部署ご担当者名称", srcEhiden, 0, blank},
		{"荷送人電話番号", srcEhiden, 14, blank},
		{"ご依頼主コード取得区分", srcEhiden, 1, blank},
		{"ご依頼主コード", srcEhiden, 0, blank},
		{"ご依頼主電話番号", srcEhiden, 14, func(p *parcel) string { return p.From.Phone }},
		{"ご依頼主郵便番号", srcEhiden, 8, func(p *parcel) string { return zip(p.From.Zip) }},
		{"ご依頼主住所１", srcEhiden + "; 16 full-width", 32, func(p *parcel) string { return p.fromAddr(32, 0) }},
		{"ご依頼主住所２", srcEhiden, 32, func(p *parcel) string { return p.fromAddr(32, 32) }},
		{"ご依頼主名称１", srcEhiden + "; 16 full-width", 32, func(p *parcel) string { return p.From.Name }},
		{"ご依頼主名称２", srcEhiden, 32, blank},
		{"荷姿", srcEhiCode + "; 001 箱類", 3, fixed("001")},
		{"品名１", srcEhiden + "; 16 full-width (e飛伝Ⅱ limit, M)", 32, func(p *parcel) string { return p.Item }},
	}
	for _, h := range []string{"品名２", "品名３", "品名４", "品名５", "荷札荷姿"} {
		cols = append(cols, Column{h, srcEhiden, 0, blank})
	}
	for i := 1; i <= 11; i++ {
		cols = append(cols, Column{"荷札品名" + fullDigits(i), srcEhiden, 0, blank})
	}
	cols = append(cols,
		Column{"出荷個数", srcEhiden, 3, fixed("1")},
		Column{"スピード指定", srcEhiCode + "; 000 飛脚宅配便", 3, fixed("000")},
		Column{"クール便指定", srcEhiCode + "; 001 指定なし", 3, fixed("001")},
		Column{"配達日", srcEhiCode + "; YYYYMMDD (L for Ⅲ)", 8, func(p *parcel) string { return strings.ReplaceAll(p.Date, "-", "") }},
		Column{"配達指定時間帯", srcEhiCode + "; 01 12 14 16 18 19 / 04 (furumaru)", 2, func(p *parcel) string { return sagawaSlots[p.Slot] }},
		Column{"配達指定時間（時分）", srcEhiCode + "; ジャストタイム only", 4, blank},
		Column{"代引金額", srcEhiden + "; the order total with an eコレクト seal (d2c-square)", 8, func(p *parcel) string { return amount(p.COD) }},
		Column{"消費税", srcEhiden, 7, func(p *parcel) string { return amount(p.CODTax) }},
		Column{"決済種別", srcEhiCode + "; 0 指定なし, 1 全て可", 1, func(p *parcel) string {
			if p.COD > 0 {
				return "1"
			}
			return "0"
		}},
		Column{"保険金額", srcEhiden, 8, blank},
		// The 時間帯 seal goes in slot 1 when a time is asked for (d2c-square): only one of
		// 指定日 or 時間帯 fits a seal slot.
		Column{"指定シール１", srcEhiCode + "; 007/019 時間帯, 016 午前中, 005 指定日", 3, func(p *parcel) string { return p.sagawaSeals()[0] }},
		Column{"指定シール２", srcEhiCode, 3, func(p *parcel) string { return p.sagawaSeals()[1] }},
		Column{"指定シール３", srcEhiCode + "; 010 eコレクト なんでも決済", 3, func(p *parcel) string { return p.sagawaSeals()[2] }},
		Column{"営業所受取", srcEhiCode + "; 0/1", 1, fixed("0")},
		Column{"SRC区分", srcEhiden, 0, blank},
		Column{"営業所受取営業所コード", srcEhiden, 0, blank},
		Column{"元着区分", srcEhiCode + "; 1 元払", 1, fixed("1")},
		Column{"メールアドレス", srcEhiden, 0, blank},
		Column{"ご不在時連絡先", srcEhiden, 0, blank},
		Column{"出荷日", srcEhiden + "; YYYY/MM/DD as the Ⅲ converters write it", 10, func(p *parcel) string { return strings.ReplaceAll(p.ShipDate, "-", "/") }},
		Column{"お問い合せ送り状No.", srcEhiden + "; blank: e飛伝 assigns it", 12, blank},
		Column{"出荷場印字区分", srcEhiden, 0, blank},
		Column{"集約解除指定", srcEhiden, 0, blank},
	)
	for i := 1; i <= 10; i++ {
		cols = append(cols, Column{fmt.Sprintf("編集%02d", i), srcEhiden, 0, blank})
	}
	return cols
}()

var japanPostColumns = []Column{
	{"お客様側管理番号", srcYupri + "; 15", 15, func(p *parcel) string { return p.Key }},
	{"発送予定日", srcYupri + "; yyyymmdd", 8, func(p *parcel) string { return strings.ReplaceAll(p.ShipDate, "-", "") }},
	{"郵便種別", srcYupri + "; 0 ゆうパック", 1, fixed("0")},
	{"保冷種別", srcYupri + "; 0 なし", 1, fixed("0")},
	{"元/着払/代引", srcYupri + "; 0 元払, 2 代引", 1, func(p *parcel) string {
		if p.COD > 0 {
			return "2"
		}
		return "0"
	}},
	{"お届け先郵便番号", srcYupri + "; XXX-XXXX", 8, func(p *parcel) string { return zip(p.To.Zip) }},
	{"お届け先住所１", srcYupri + "; 50 bytes, overflow to the next field", 50, func(p *parcel) string { return p.addr(50, 0) }},
	{"お届け先住所２", srcYupri, 50, func(p *parcel) string { return p.addr(50, 50) }},
	{"お届け先住所３", srcYupri, 50, func(p *parcel) string { return p.addr(50, 100) }},
	{"お届け先名称", srcYupri, 50, func(p *parcel) string { return p.To.Name }},
	{"お届け先敬称", srcYupri, 4, fixed("様")},
	{"お届け先電話番号", srcYupri, 15, func(p *parcel) string { return p.To.Phone }},
	{"ご依頼主郵便番号", srcYupri, 8, func(p *parcel) string { return zip(p.From.Zip) }},
	{"ご依頼主住所１", srcYupri, 50, func(p *parcel) string { return p.fromAddr(50, 0) }},
	{"ご依頼主住所２", srcYupri, 50, func(p *parcel) string { return p.fromAddr(50, 50) }},
	{"ご依頼主名称", srcYupri, 50, func(p *parcel) string { return p.From.Name }},
	{"ご依頼主電話番号", srcYupri, 15, func(p *parcel) string { return p.From.Phone }},
	{"品名", srcYupri + "; 50 bytes (72-column converter, L)", 50, func(p *parcel) string { return p.Item }},
	{"配達希望日", srcYupri + "; yyyymmdd", 8, func(p *parcel) string { return strings.ReplaceAll(p.Date, "-", "") }},
	{"配達希望時間帯", srcYupri + "; 00 指定なし, 51 午前中 … (flagship, L)", 2, func(p *parcel) string { return japanPostSlots[p.Slot] }},
	{"代引金額", srcYupri, 8, func(p *parcel) string { return amount(p.COD) }},
	{"代引消費税", srcYupri, 7, func(p *parcel) string { return amount(p.CODTax) }},
}

func amount(v int64) string {
	if v <= 0 {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		if r >= '０' && r <= '９' {
			return '0' + r - '０'
		}
		return -1
	}, s)
}

// zip writes a postal code as 123-4567.
func zip(s string) string {
	d := digits(s)
	if len(d) == 7 {
		return d[:3] + "-" + d[3:]
	}
	return s
}

func fullDigits(n int) string {
	return strings.Map(func(r rune) rune { return '０' + r - '0' }, strconv.Itoa(n))
}
