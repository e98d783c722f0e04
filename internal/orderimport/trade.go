package orderimport

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel/ownshop"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// Trade names the columns of an own cart's export that carry each order's クロネコwebコレクト
// card trade (issue 16): 加盟店コード, 受付番号 (order_no), the authorised amount and when it
// was authorised. A row with a 受付番号 is a card order: it is stored as the cart's intake stores
// one (the trade in the payload, 仮売上 once authorised, 要確認 before), so 売上確定, cancel and
// 決済確認 find its trade. Only an own-cart shop's mapping may name them.
type Trade struct {
	TraderCode   string `json:"trader_code,omitempty" doc:"自社カート: 加盟店コードの列"`
	TradeOrderNo string `json:"trade_order_no,omitempty" doc:"自社カート: webコレクトの受付番号(order_no)の列。値のある行はカード決済の注文として取り込みます"`
	TradeAmount  string `json:"trade_amount,omitempty" doc:"自社カート: 与信した決済金額の列 (注文の合計と一致すること)"`
	AuthorizedAt string `json:"authorized_at,omitempty" doc:"自社カート: 与信日時の列。空の行は決済が終わっていない注文(要確認)になります"`
	MemberID     string `json:"member_id,omitempty" doc:"自社カート: 会員IDの列(会員の注文だけ値を入れる)。お預かりカードの一覧・削除に使います"`
	AuthKey      string `json:"authentication_key,omitempty" doc:"自社カート: webコレクトのお預かりカードの認証キーの列。空なら会員IDと同じ値とみなします"`
}

// named reports whether the mapping names any trade column.
func (t Trade) named() bool {
	return t.TraderCode != "" || t.TradeOrderNo != "" || t.TradeAmount != "" || t.AuthorizedAt != "" || t.MemberID != "" || t.AuthKey != ""
}

// maxOrderNo is the longest 受付番号 webコレクト takes (half-width, 23 characters).
const maxOrderNo = 23

// rowTrade is one order's trade as its first row gives it.
type rowTrade struct {
	TraderCode   string    `json:"trader_code,omitempty"`
	OrderNo      string    `json:"order_no"`
	Amount       int64     `json:"amount,omitempty"`
	AuthorizedAt time.Time `json:"authorized_at,omitzero"`
	Method       string    `json:"method"`
	MemberID     string    `json:"member_id,omitempty"`
	AuthKey      string    `json:"authentication_key,omitempty"`
	hasAmount    bool
	line         int
}

// readTrade reads a row's trade; msg says what to fix. No 受付番号: not a card order.
func readTrade(t Trade, get func(string) string) (rowTrade, string) {
	var tr rowTrade
	if !t.named() {
		return tr, ""
	}
	tr.OrderNo = get(t.TradeOrderNo)
	if tr.OrderNo == "" {
		if get(t.AuthorizedAt) != "" || get(t.TradeAmount) != "" {
			return tr, "与信日時か決済金額があるのに受付番号(列「" + t.TradeOrderNo + "」)が空です。webコレクトの受付番号を入れてください。"
		}
		return tr, ""
	}
	if len(tr.OrderNo) > maxOrderNo || strings.IndexFunc(tr.OrderNo, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return tr, "受付番号「" + tr.OrderNo + "」は半角英数字23文字までです(webコレクトの受付番号をそのまま入れてください)。"
	}
	tr.TraderCode, tr.Method = get(t.TraderCode), ownshop.MethodWebcollectCard
	tr.MemberID, tr.AuthKey = get(t.MemberID), get(t.AuthKey)
	if msg := ownshop.CheckMember(tr.MemberID, tr.AuthKey); msg != "" {
		return tr, "列「" + t.MemberID + "」「" + t.AuthKey + "」: " + msg
	}
	if v := get(t.TradeAmount); v != "" {
		amount, err := yen(v)
		if err != nil || amount < 0 {
			return tr, "決済金額「" + v + "」は数字で入力してください。"
		}
		tr.Amount, tr.hasAmount = amount, true
	}
	if v := get(t.AuthorizedAt); v != "" {
		at, err := parseTime(v)
		if err != nil {
			return tr, "与信日時「" + v + "」が読めません。2026/11/24 10:30 の形にしてください。"
		}
		tr.AuthorizedAt = at
	}
	return tr, ""
}

// apply makes o the card order of the trade, once its total is known; msg says what to fix.
func (tr rowTrade) apply(o *order.Order) string {
	total, _ := o.Amounts.Total.Value()
	if tr.hasAmount && tr.Amount != total {
		return "決済金額 " + order.Grouped(tr.Amount) + "円 が注文の合計 " + order.Grouped(total) + "円(商品+送料+手数料)と違います。webコレクトで与信した金額と注文の内容を確かめてください。"
	}
	payload, _ := json.Marshal(struct {
		Source  string   `json:"source"`
		Number  string   `json:"number"`
		Payment rowTrade `json:"payment"`
	}{"csv", o.Number, tr})
	o.RawPayload = payload
	if o.PaymentMethod == "" || o.PaymentMethod == ownshop.MethodWebcollectCard {
		o.PaymentMethod = "クロネコwebコレクト クレジット"
	}
	o.PaymentStatus = order.CardUnsettled
	if !tr.AuthorizedAt.IsZero() {
		o.PaymentStatus = order.CardAuthorized
	}
	return ""
}

// checkTradeShop refuses a mapping with trade columns for a shop that is not an own cart: its
// orders have no webコレクト trade ichigen could capture.
func checkTradeShop(ctx context.Context, st store.Store, shopID int64, t Trade) error {
	if !t.named() {
		return nil
	}
	sh, err := st.GetShop(ctx, shopID)
	if err != nil {
		return err
	}
	if sh.Channel != shop.Channel(ownshop.Channel) {
		return apperror.New(apperror.Invalid, "webコレクトの取引の列(加盟店コード・受付番号・決済金額・与信日時)は自社カートの店舗だけで使えます。店舗「%s」の取込設定から外してください。", sh.Name)
	}
	return nil
}

// orderMembers is the member (会員ID) of each order the file stored, by its id: "" for a guest's,
// so that a re-import forgets a member taken away.
func orderMembers(orders []order.Order, ids []int64) map[int64]string {
	out := map[int64]string{}
	for i, o := range orders {
		if i >= len(ids) {
			break
		}
		m, _ := ownshop.MemberOf(o)
		out[ids[i]] = m.ID
	}
	return out
}
