package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// maxPostage bounds the postage an operator enters, as the marketplace client does.
const maxPostage = 1_000_000

// setPostageOne is the fix of an order whose postage is not fixed (送料未確定, RMS -9999): the
// postage the operator enters is pushed to the marketplace by a job ([入力内容を反映する]), the
// order's amounts then follow the marketplace's, and confirming it is the operator's next step.
func (h *Handler) setPostageOne(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	postage, err := parsePostage(r.PostFormValue("postage"))
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	o, err := h.deps.Store.GetOrder(ctx, id)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	sh, err := h.deps.Store.GetShop(ctx, o.ShopID)
	switch {
	case err != nil:
	case o.Amounts.Postage.Fixed():
		err = apperror.New(apperror.Invalid, "この注文の送料は確定しています。変更はモールの管理画面で行ってください。")
	case sh.Status == shop.AuthError:
		err = apperror.New(apperror.Invalid, "店舗「%s」は認証エラーで止まっているため送料を反映できません。店舗設定で新しい認証情報を保存してから実行してください。", sh.Name)
	}
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	q, err := h.jobQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := q.QueueSetPostage(ctx, sh.ID, o.ID, postage); err != nil {
		h.fail(w, r, err)
		return
	}
	h.setFlash(w, r, fmt.Sprintf("送料 %d 円をモールに反映する処理を受け付けました。数秒で金額が更新されます。そのあと注文確認の処理フェーズに移動して注文確認してください。", postage))
	http.Redirect(w, r, idPath(id), http.StatusSeeOther)
}

// parsePostage reads the postage an operator typed: whole yen, full-width digits, digit-group
// commas and a trailing 円 allowed.
func parsePostage(s string) (int64, error) {
	v := strings.TrimSpace(width.Narrow.String(s))
	v = strings.TrimSuffix(strings.TrimSuffix(v, "円"), "¥")
	v = strings.ReplaceAll(strings.TrimPrefix(v, "¥"), ",", "")
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 || n > maxPostage {
		return 0, apperror.New(apperror.Invalid, "送料「%s」が読めません。0から1,000,000までの円の整数で入力してください(例: 660)。", s)
	}
	return n, nil
}
