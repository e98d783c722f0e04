package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// senderView is a shop's 出荷設定: the ご依頼主 its carrier labels print.
type senderView struct {
	Shop      shop.Shop
	Sender    shop.Sender
	CanUpdate bool
	// Logo is the slip's logo; the zero Logo when none is saved.
	Logo shop.Logo
}

// senderSettings shows a shop's 出荷設定.
func (h *Handler) senderSettings(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	s, err := h.deps.Store.ShopSender(r.Context(), sh.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	logo, err := h.deps.Store.ShopLogo(r.Context(), sh.ID)
	if err != nil && !apperror.Is(err, apperror.NotFound) {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, senderPage(senderView{Shop: sh, Sender: s, Logo: logo, CanUpdate: canUpdate(r.Context(), user.MenuShops)}))
}

// saveSender saves a shop's 出荷設定.
func (h *Handler) saveSender(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	path := shopPath(sh.ID) + "/sender"
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	s := shop.Sender{Name: f("name"), Kana: f("kana"), Phone: f("phone"), Zip: f("zip"), Address: f("address"),
		YamatoCustomerCode: f("yamato_customer_code"), YamatoFreightNumber: f("yamato_freight_number"), SagawaCustomerCode: f("sagawa_customer_code")}
	if s.Name == "" {
		h.settingsFail(w, r, path, apperror.New(apperror.Invalid, "ご依頼主名を入力してください。"))
		return
	}
	var err error
	if s.InvoiceNumber, err = shop.InvoiceNumber(f("invoice_number")); err != nil {
		h.settingsFail(w, r, path, err)
		return
	}
	if err := h.deps.Store.SetShopSender(r.Context(), sh.ID, s, stateOf(r.Context()).user.Login); err != nil {
		h.settingsFail(w, r, path, err)
		return
	}
	h.settingsDone(w, r, path, fmt.Sprintf("店舗「%s」の出荷設定を保存しました。", sh.Name))
}
