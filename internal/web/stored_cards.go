package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/payment/webcollect"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// A cart member's stored cards (お預かりカード, issue 16 item 9): the own-cart shop's page
// searches a member id and lists the member's cards masked as webコレクト answers them (A03); an
// order placed by a member links to it. A card is deleted on the member's request (A05), by
// users who may update orders, after a confirmation page that names the card.

// storedCardsView is the stored-card page.
type storedCardsView struct {
	ShopID    int64
	Member    string
	Found     orderops.MemberCards
	Searched  bool
	Error     string
	CanUpdate bool
	// Confirm is the card whose delete is being confirmed.
	Confirm *webcollect.CardData
}

func storedCardsPath(shopID int64, member string) string {
	p := "/shops/" + strconv.FormatInt(shopID, 10) + "/cards"
	if member != "" {
		p += "?member=" + url.QueryEscape(member)
	}
	return p
}

// confirmCardPath is the page asking to confirm a card's delete.
func confirmCardPath(shopID int64, member, cardKey string) string {
	return storedCardsPath(shopID, member) + "&confirm=" + url.QueryEscape(cardKey)
}

// storedCards is the page: a member id's cards, or the search form alone.
func (h *Handler) storedCards(w http.ResponseWriter, r *http.Request) {
	shopID, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	v := storedCardsView{ShopID: shopID, Member: r.URL.Query().Get("member"), CanUpdate: stateOf(ctx).group.Allows(user.MenuOrders, user.Update)}
	status := http.StatusOK
	if v.Member != "" {
		v.Searched = true
		v.Found, err = orderops.StoredCards(ctx, h.deps.Store, h.deps.Client, shopID, v.Member)
		if err != nil {
			if statusOf(err) == http.StatusInternalServerError {
				h.fail(w, r, err)
				return
			}
			status, v.Error = statusOf(err), apperror.MessageOf(err)
		}
		if key := r.URL.Query().Get("confirm"); key != "" && err == nil && v.CanUpdate {
			for i := range v.Found.Cards {
				if v.Found.Cards[i].CardKey == key {
					v.Confirm = &v.Found.Cards[i]
				}
			}
			if v.Confirm == nil {
				v.Error = "このカードはお預かりされていません(すでに削除されたのかもしれません)。一覧を確かめてください。"
			}
		}
	}
	h.render(w, r, status, storedCardsPage(v))
}

// orderStoredCards opens the stored cards of the member an order was placed by.
func (h *Handler) orderStoredCards(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sh, member, err := orderops.OrderMember(r.Context(), h.deps.Store, id)
	if err != nil {
		h.orderFail(w, r, id, err)
		return
	}
	http.Redirect(w, r, storedCardsPath(sh.ID, member), http.StatusSeeOther)
}

// deleteStoredCard deletes one card once its confirmation was posted.
func (h *Handler) deleteStoredCard(w http.ResponseWriter, r *http.Request) {
	shopID, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	member, key := r.PostFormValue("member"), r.PostFormValue("card_key")
	back := storedCardsPath(shopID, member)
	if r.PostFormValue("sure") != "1" {
		h.setFlash(w, r, "お預かりカードの削除は取り消せません。確認画面で会員からの依頼であることを確かめ、チェックを入れてから削除してください。")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	msg, err := orderops.DeleteStoredCard(r.Context(), h.deps.Store, h.deps.Client, shopID, member, key)
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		msg = apperror.MessageOf(err)
	}
	h.setFlash(w, r, msg)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// The English of the stored-card page's texts, kept beside them so that merges do not meet in
// i18n.go.
func init() {
	for ja, en := range map[string]string{
		"お預かりカード": "Stored cards",
		"会員ID":    "Member ID",
		"カードの番号は ichigen に保存されません。クロネコwebコレクトがマスクして返した番号だけを表示します。":     "ichigen never keeps card numbers: only the masked number webコレクト returns is shown.",
		"会員ID %s のお預かりカード %s を削除します。会員からの依頼であることを確かめてください。削除は取り消せません。": "Deletes stored card %[2]s of member %[1]s. Make sure the member asked for it: a delete cannot be undone.",
		"会員から削除の依頼を受けました": "The member asked for this delete",
		"削除する": "Delete",
		"やめる":  "Cancel",
		"会員ID %s のお預かりカードはありません。": "Member %s has no stored cards.",
		"カード番号":      "Card number",
		"有効期限":       "Expiry",
		"名義":         "Holder",
		"最終利用日時":     "Last used",
		"この会員の注文":    "This member's orders",
		"会員のお預かりカード": "The member's stored cards",
	} {
		english[ja] = en
	}
}
