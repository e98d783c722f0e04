package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/shopflow"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// shopsView is 店舗設定: the shops, and the form to add one.
type shopsView struct {
	Shops     []shop.Shop
	Now       time.Time
	CanUpdate bool
	// CanRules says whether the user may update 自動処理, and so be offered the new shop's rules.
	CanRules bool
	// New is the create form as entered, with its error.
	New   shop.Shop
	Error string
}

// expiryNote says when a shop's credentials expire, and warns from 14 days before, as the
// credential check's e-mail does.
func expiryNote(sh shop.Shop, now time.Time) (text string, warn bool) {
	if sh.CredentialsExpireAt.IsZero() {
		return "", false
	}
	date := sh.CredentialsExpireAt.In(order.JST).Format("2006/01/02")
	days, _ := sh.CredentialsDaysLeft(now)
	switch {
	case !sh.CredentialsExpireAt.After(now):
		return date + " (期限切れ)", true
	case sh.CredentialsExpireSoon(now):
		return fmt.Sprintf("%s (あと%d日)", date, days), true
	}
	return date, false
}

// credentialKeysSet lists which of the channel's credentials a shop has, never their values.
func credentialKeysSet(sh shop.Shop) []credentialState {
	var out []credentialState
	for _, k := range sh.Channel.CredentialKeys() {
		out = append(out, credentialState{Key: k, Set: sh.Credentials.Plain()[k.Name] != ""})
	}
	return out
}

// credentialState is one credential of a shop: its key and whether it is set.
type credentialState struct {
	Key shop.CredentialKey
	Set bool
}

// shopsSettings lists the shops.
func (h *Handler) shopsSettings(w http.ResponseWriter, r *http.Request) {
	h.renderShops(w, r, http.StatusOK, shopsView{New: shop.Shop{Channel: shop.Connected()[0]}})
}

func (h *Handler) renderShops(w http.ResponseWriter, r *http.Request, status int, v shopsView) {
	shops, err := h.deps.Store.ListShops(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Shops, v.Now, v.CanUpdate = shops, h.deps.Now(), canUpdate(r.Context(), user.MenuShops)
	v.CanRules = canUpdate(r.Context(), user.MenuWorkflow)
	h.render(w, r, status, shopsPage(v))
}

// createShop adds a shop with the default phases; its credentials are entered next.
func (h *Handler) createShop(w http.ResponseWriter, r *http.Request) {
	sh := shop.Shop{Channel: shop.Channel(r.PostFormValue("channel")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Code: strings.TrimSpace(r.PostFormValue("code"))}
	var err error
	if !slices.Contains(shop.Connected(), sh.Channel) {
		err = apperror.New(apperror.Invalid, "チャネルを一覧から選んでください。")
	} else {
		sh, err = h.deps.Store.CreateShop(r.Context(), sh)
	}
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		h.renderShops(w, r, statusOf(err), shopsView{New: sh, Error: apperror.MessageOf(err)})
		return
	}
	if sh.Channel.Spec().FileOnly {
		h.settingsDone(w, r, csvSettingsPath(sh.ID), fmt.Sprintf("店舗「%s」を作成しました。APIのない店舗です。続けて注文CSVの列の対応を登録してください。", sh.Name))
		return
	}
	if r.PostFormValue("flow") == "1" && !canUpdate(r.Context(), user.MenuWorkflow) {
		h.settingsDone(w, r, shopPath(sh.ID), shopflow.Withheld(sh))
		return
	}
	if r.PostFormValue("flow") == "1" {
		rules, err := shopflow.Offer(r.Context(), h.deps.Store, sh)
		if err != nil {
			h.settingsFail(w, r, shopPath(sh.ID), err)
			return
		}
		if len(rules) > 0 {
			h.settingsDone(w, r, shopPath(sh.ID), shopflow.Created(sh, rules))
			return
		}
	}
	h.settingsDone(w, r, shopPath(sh.ID), fmt.Sprintf("店舗「%s」を作成しました(処理フェーズは標準の%d個)。続けて認証情報を入力してください。", sh.Name, len(workflow.DefaultPhaseNames)))
}

func shopPath(id int64) string { return "/settings/shops/" + i64toa(id) }

// shopView is one shop's settings: its name and code, and its credentials.
type shopView struct {
	Shop      shop.Shop
	Creds     []credentialState
	Now       time.Time
	CanUpdate bool
}

// shopSettings shows a shop: which credentials are set (never their values), their expiry.
func (h *Handler) shopSettings(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, shopPage(shopView{Shop: sh, Creds: credentialKeysSet(sh), Now: h.deps.Now(),
		CanUpdate: canUpdate(r.Context(), user.MenuShops)}))
}

// saveShop changes a shop's name, code and 同一注文を上書きする.
func (h *Handler) saveShop(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	id := sh.ID
	sh.Name, sh.Code = strings.TrimSpace(r.PostFormValue("name")), strings.TrimSpace(r.PostFormValue("code"))
	sh.OverwriteSameOrder = r.PostFormValue("overwrite") == "1"
	if err := h.deps.Store.UpdateShop(r.Context(), sh); err != nil {
		h.settingsFail(w, r, shopPath(id), err)
		return
	}
	h.settingsDone(w, r, shopPath(id), fmt.Sprintf("店舗「%s」を保存しました。", sh.Name))
}

// saveCredentials stores what the form carries. Values are never shown back, so a field left
// blank keeps its stored value, and an optional one is removed only when ticked; a new 接続先URL
// needs every secret entered again (shop.CheckDestinationChange). Saving new
// credentials puts a shop stopped by an auth error back to work (SetShopCredentials sets it
// active), and the operator is told so.
func (h *Handler) saveCredentials(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	id := sh.ID
	creds := shop.Credentials{}
	for k, v := range sh.Credentials.Plain() {
		creds[k] = v
	}
	var changed, entered []string
	expiring := false
	for _, k := range sh.Channel.CredentialKeys() {
		v := strings.TrimSpace(r.PostFormValue(k.Name))
		switch {
		case v != "":
			// A key entered again with its stored value (as a new endpoint asks) keeps its expiry.
			expiring = expiring || (k.Expiring && creds[k.Name] != v)
			creds[k.Name] = v
			changed, entered = append(changed, k.Label), append(entered, k.Name)
		case !k.Required && slices.Contains(r.PostForm["clear"], k.Name) && creds[k.Name] != "":
			delete(creds, k.Name)
			changed = append(changed, k.Label+"(削除)")
		}
	}
	expiry := sh.CredentialsExpireAt
	if expiring {
		expiry = time.Time{} // a new key's expiry is unknown until entered or read from the marketplace
	}
	if s := strings.TrimSpace(r.PostFormValue("expire_at")); s != "" {
		var err error
		if expiry, err = order.ParseDay(s, "有効期限"); err != nil {
			h.settingsFail(w, r, shopPath(id), err)
			return
		}
		changed = append(changed, "有効期限")
	}
	if len(changed) == 0 {
		h.settingsFail(w, r, shopPath(id), apperror.New(apperror.Invalid,
			"変更する認証情報を入力してください。保存済みの値は表示しないため、変更しない項目は空欄のままで構いません。"))
		return
	}
	if err := sh.Channel.CheckCredentials(creds); err != nil {
		h.settingsFail(w, r, shopPath(id), err)
		return
	}
	if err := sh.Channel.CheckDestinationChange(sh.Credentials, creds, entered); err != nil {
		h.settingsFail(w, r, shopPath(id), err)
		return
	}
	if err := h.deps.Store.SetShopCredentials(ctx, id, creds, expiry); err != nil {
		h.settingsFail(w, r, shopPath(id), err)
		return
	}
	msg := fmt.Sprintf("認証情報を保存しました(%s)。", strings.Join(changed, "、"))
	if sh.Status == shop.AuthError {
		msg += "認証エラーを解除したので、止まっていた自動処理は再開します: 受注取込は次の取込(既定で5分以内)で止まっていた間の注文もまとめて取り込み、対象処理フェーズで待っている注文は1分ほどで送られます。"
	} else {
		msg += "次の自動処理から新しい認証情報を使います。"
	}
	h.settingsDone(w, r, shopPath(id), msg)
}

// setLabel says whether a credential is set.
func setLabel(ctx context.Context, set bool) string {
	if set {
		return t(ctx, "設定済み")
	}
	return t(ctx, "未設定")
}
