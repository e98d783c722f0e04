package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// The settings (設定) are pages of three menus: 店舗設定 and its 通知先 under MenuShops,
// 処理フェーズ and 自動処理設定 under MenuWorkflow, ユーザー・権限設定 under MenuUsers. The
// navigation shows one 設定 entry when any of them may be viewed, and the settings pages a side
// list of those the group may view.

// settingsMenus are the settings pages, in display order.
var settingsMenus = []navMenu{
	{user.MenuShops, "店舗設定", "/settings/shops"},
	{user.MenuWorkflow, "処理フェーズ", "/settings/phases"},
	{user.MenuWorkflow, "自動処理設定", "/settings/rules"},
	{user.MenuShops, "メールテンプレート", "/settings/mail"},
	{user.MenuShops, "通知先", "/settings/notify"},
	{user.MenuUsers, "ユーザー・権限設定", "/settings/users"},
	{user.MenuUsers, "操作履歴", "/settings/audit"},
}

// firstSettingsPage is the first settings page the group may view, "" for none.
func firstSettingsPage(g user.Group) string {
	for _, m := range settingsMenus {
		if g.Allows(m.menu, user.View) {
			return m.path
		}
	}
	return ""
}

// canSeeSettings reports whether the navigation shows 設定.
func canSeeSettings(ctx context.Context) bool { return firstSettingsPage(stateOf(ctx).group) != "" }

// canUpdate reports whether the request's group may change things in the menu.
func canUpdate(ctx context.Context, m user.Menu) bool {
	return stateOf(ctx).group.Allows(m, user.Update)
}

// settingsHome sends the user to the first settings page their group may view.
func (h *Handler) settingsHome(w http.ResponseWriter, r *http.Request) {
	if p := firstSettingsPage(stateOf(r.Context()).group); p != "" {
		http.Redirect(w, r, p, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// settingsDone goes back to a settings page with a message.
func (h *Handler) settingsDone(w http.ResponseWriter, r *http.Request, to, msg string) {
	h.setFlash(w, r, msg)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// settingsFail goes back to a settings page with the error's message; an internal error gets
// its page.
func (h *Handler) settingsFail(w http.ResponseWriter, r *http.Request, to string, err error) {
	if statusOf(err) == http.StatusInternalServerError {
		h.fail(w, r, err)
		return
	}
	h.setFlashError(w, r, apperror.MessageOf(err))
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// formID reads a positive id from a form or query value, naming what it is on failure.
func formID(s, what string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperror.New(apperror.Invalid, "%sを選んでください。", what)
	}
	return id, nil
}

// shopOf picks the shop a workflow page shows: the one asked for, else the first.
func shopOf(cat *catalog, r *http.Request) (shop.Shop, bool) {
	if id, err := strconv.ParseInt(r.URL.Query().Get("shop"), 10, 64); err == nil {
		if sh, ok := cat.shopByID[id]; ok {
			return sh, true
		}
	}
	if len(cat.Shops) == 0 {
		return shop.Shop{}, false
	}
	return cat.Shops[0], true
}

// levels are the permission levels in display order.
var levels = []user.Level{user.None, user.View, user.Update}
