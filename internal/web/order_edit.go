package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/orderops"
)

// editQueue is the queue of changes sent to the marketplace; *jobs.Queue, the UI's Mover, is one.
func (h *Handler) editQueue() (orderops.EditQueue, error) {
	if q, ok := h.deps.Mover.(orderops.EditQueue); ok {
		return q, nil
	}
	return nil, errors.New("web: the phase mover cannot queue order changes")
}

// editOne is the order page's 注文内容修正: the form's change is checked and shown with every value
// before and after for the operator to confirm; confirmed, a job sends it to the marketplace
// (RMS updateOrderSender; the own cart's webコレクト amount while 仮売上) and the order's history
// keeps it. A marketplace or state that does not take it is refused with why.
func (h *Handler) editOne(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	o, err := h.deps.Store.GetOrder(ctx, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ch, err := changeOf(r, o)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	o, changes, err := orderops.PreviewEdit(ctx, h.deps.Store, id, ch)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	if r.PostFormValue("confirm") != "1" {
		h.render(w, r, http.StatusOK, editConfirmPage(o, changes, editFields(r, o)))
		return
	}
	q, err := h.editQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := orderops.EditOne(ctx, h.deps.Store, q, id, ch, stateOf(ctx).user.Login); err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	h.setFlash(w, r, "注文内容の変更を受け付けました。数秒でモールに反映し、結果を注文の履歴に残します。")
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// editFieldNames are the form's fields besides the lines' (qty_N, price_N).
var editFieldNames = []string{"ship_family_name", "ship_first_name", "ship_zip", "ship_prefecture", "ship_city", "ship_street", "ship_phone", "postage", "payment_fee"}

// editField is one of the form's values carried to the confirmation.
type editField struct{ Name, Value string }

// editFields are the form's values as sent, to post again from the confirmation; only the
// form's own fields, and the lines the order has, so nothing the request adds is carried.
func editFields(r *http.Request, o order.Order) []editField {
	var out []editField
	names := append([]string(nil), editFieldNames...)
	for i := range o.Lines {
		names = append(names, "qty_"+strconv.Itoa(i), "price_"+strconv.Itoa(i))
	}
	for _, n := range names {
		if v := r.PostFormValue(n); v != "" {
			out = append(out, editField{n, v})
		}
	}
	return out
}

// changeOf reads the form's change of o: a ship-to when a recipient's family name is entered,
// the postage and fee when entered, and each line whose quantity or price differs from the
// order's. Only the order's own lines are read.
func changeOf(r *http.Request, o order.Order) (order.Change, error) {
	var ch order.Change
	f := func(n string) string { return strings.TrimSpace(width.Fold.String(r.PostFormValue(n))) }
	if f("ship_family_name") != "" {
		key := ""
		if len(o.Packages) > 0 {
			key = o.Packages[0].Key
		}
		ch.ShipTo = &order.ShipTo{PackageKey: key, FamilyName: strings.TrimSpace(r.PostFormValue("ship_family_name")),
			FirstName: strings.TrimSpace(r.PostFormValue("ship_first_name")), Zip: f("ship_zip"),
			Prefecture: strings.TrimSpace(r.PostFormValue("ship_prefecture")), City: strings.TrimSpace(r.PostFormValue("ship_city")),
			Street: strings.TrimSpace(r.PostFormValue("ship_street")), Phone: f("ship_phone")}
	}
	for _, a := range []struct {
		name, label string
		to          **int64
	}{{"postage", "送料", &ch.Postage}, {"payment_fee", "決済手数料", &ch.PaymentFee}} {
		if s := r.PostFormValue(a.name); strings.TrimSpace(s) != "" {
			n, err := yenOf(s)
			if err != nil {
				return ch, apperror.New(apperror.Invalid, "%s「%s」が読めません。0以上の円の整数で入力してください(例: 660)。", a.label, s)
			}
			*a.to = &n
		}
	}
	for i, l := range o.Lines {
		qs, ps := r.PostFormValue("qty_"+strconv.Itoa(i)), r.PostFormValue("price_"+strconv.Itoa(i))
		if strings.TrimSpace(qs) == "" && strings.TrimSpace(ps) == "" {
			continue
		}
		q, qerr := yenOf(qs)
		p, perr := yenOf(ps)
		if qerr != nil || perr != nil {
			return ch, apperror.New(apperror.Invalid, "%d行目の数量「%s」・単価「%s」が読めません。半角または全角の整数で入力してください。", i+1, qs, ps)
		}
		if q != l.Quantity || p != l.UnitPrice {
			ch.Lines = append(ch.Lines, order.LineChange{Line: i, Quantity: q, UnitPrice: p})
		}
	}
	return ch, nil
}

// yenOf reads an amount or a count as an operator types it: full-width digits, commas, 円, ¥.
func yenOf(s string) (int64, error) {
	v := strings.TrimSpace(width.Narrow.String(s))
	v = strings.TrimSuffix(strings.TrimSuffix(v, "円"), "¥")
	v = strings.ReplaceAll(strings.TrimPrefix(v, "¥"), ",", "")
	return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
}

// The English of the change's texts, kept beside it so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"注文内容修正":         "Change the order",
		"送付先を変更する場合だけ入力": "Fill in only to change the ship-to",
		"氏名(姓)":          "Family name",
		"氏名(名)":          "Given name",
		"郵便番号":           "Postcode",
		"都道府県":           "Prefecture",
		"市区郡":            "City",
		"それ以降の住所":        "Street address",
		"電話番号":           "Phone",
		"変更する場合だけ入力":     "Fill in only to change",
		"数量":             "Quantity",
		"単価":             "Unit price",
		"変更内容を確認":        "Review the change",
		"注文内容修正の確認":      "Confirm the change",
		"この変更をモールに送ります":  "This change will be sent to the marketplace",
		"モールに送信する":       "Send to the marketplace",
		"やめる":            "Cancel",
		"変更を確認してから送信します。送信後はモールの注文が変わります。": "You review the change before it is sent. Once sent, the marketplace's order changes.",
	} {
		english[ja] = en
	}
}
