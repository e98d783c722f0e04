package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
)

// authorizedPath is where a marketplace's consent screen sends the operator back: one address
// for every shop (the marketplace wants it registered), the shop named in the state.
const authorizedPath = "/settings/shops/authorized"

// authStateCookie holds the state of an authorisation under way in the operator's browser, so
// that the answer is taken only from the browser that asked, whichever instance it reaches.
const authStateCookie = "ichigen_authorize"

// authorizationOf returns a shop's channel's authorisation, nil when it is authorised by keys.
func authorizationOf(sh shop.Shop) *channel.Authorization {
	if spec, ok := channel.Lookup(string(sh.Channel)); ok {
		return spec.Authorization
	}
	return nil
}

// authorizeLabel is the shop page's authorisation button, "" when the channel has none.
func authorizeLabel(sh shop.Shop) string {
	if a := authorizationOf(sh); a != nil {
		return a.Label
	}
	return ""
}

// redirectURI is the address the marketplace sends the operator back to, on this server as the
// browser reached it.
func redirectURI(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && !strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "http"
	}
	return scheme + "://" + r.Host + authorizedPath
}

// authorizeShop sends the operator to the marketplace's consent screen.
func (h *Handler) authorizeShop(w http.ResponseWriter, r *http.Request) {
	sh, ok := byPath(h, w, r, h.deps.Store.GetShop)
	if !ok {
		return
	}
	a := authorizationOf(sh)
	if a == nil {
		h.settingsFail(w, r, shopPath(sh.ID), apperror.New(apperror.Invalid, "この店舗のチャネルは認可の画面を使いません。認証情報を入力してください。"))
		return
	}
	creds := sh.Credentials.Plain()
	for _, k := range a.Needs {
		if creds[k] == "" {
			h.settingsFail(w, r, shopPath(sh.ID), apperror.New(apperror.Invalid, "認可の前に、アプリケーションIDなど必須の認証情報を保存してください。"))
			return
		}
	}
	nonce := make([]byte, 18)
	_, _ = rand.Read(nonce)
	state := strconv.FormatInt(sh.ID, 10) + "." + base64.RawURLEncoding.EncodeToString(nonce)
	http.SetCookie(w, &http.Cookie{Name: authStateCookie, Value: state, Path: authorizedPath, MaxAge: int((10 * time.Minute).Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, a.URL(creds, redirectURI(r), state), http.StatusSeeOther)
}

// authorizedShop takes the marketplace's answer: the code is traded for the credentials, which
// are stored with their expiry; a shop stopped by an auth error goes back to work.
func (h *Handler) authorizedShop(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	cookie, err := r.Cookie(authStateCookie)
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(state)) != 1 {
		h.settingsFail(w, r, "/settings/shops", apperror.New(apperror.Invalid, "認可の応答を確認できませんでした(時間切れか、別のブラウザーからの応答です)。店舗設定からもう一度認可してください。"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: authStateCookie, Path: authorizedPath, MaxAge: -1})
	idText, _, _ := strings.Cut(state, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		h.settingsFail(w, r, "/settings/shops", apperror.New(apperror.Invalid, "認可の応答の店舗が分かりません。店舗設定からもう一度認可してください。"))
		return
	}
	sh, err := h.deps.Store.GetShop(r.Context(), id)
	if err != nil {
		h.settingsFail(w, r, "/settings/shops", err)
		return
	}
	a := authorizationOf(sh)
	if e := q.Get("error"); e != "" || a == nil || q.Get("code") == "" {
		h.settingsFail(w, r, shopPath(id), apperror.New(apperror.Invalid, "認可されませんでした(%s)。同意の画面で許可してから、もう一度認可してください。", e))
		return
	}
	creds := sh.Credentials.Plain()
	got, expireAt, err := a.Exchange(r.Context(), &http.Client{Timeout: 30 * time.Second}, creds, q.Get("code"), redirectURI(r))
	if err != nil {
		h.settingsFail(w, r, shopPath(id), apperror.New(apperror.Invalid, "認可の処理に失敗しました: %s", messageOfChannel(err)))
		return
	}
	merged := shop.Credentials{}
	for k, v := range creds {
		merged[k] = v
	}
	for k, v := range got {
		merged[k] = v
	}
	if err := h.deps.Store.SetShopCredentials(r.Context(), id, merged, expireAt); err != nil {
		h.settingsFail(w, r, shopPath(id), err)
		return
	}
	msg := fmt.Sprintf("認可しました。有効期限は %s です(期限の14日前から要対応でお知らせします)。", expireAt.In(order.JST).Format("2006/01/02 15:04"))
	if sh.Status == shop.AuthError {
		msg += "認証エラーを解除したので、止まっていた自動処理は再開し、止まっていた間の注文もまとめて取り込みます。"
	}
	h.settingsDone(w, r, shopPath(id), msg)
}

// messageOfChannel is a channel error's message for the operator.
func messageOfChannel(err error) string {
	if e, ok := err.(*channel.Error); ok && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
