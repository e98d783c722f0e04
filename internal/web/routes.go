package web

import (
	"net/http"
	"unicode/utf8"

	"github.com/ichigen-oms/ichigen/internal/apperror"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// access says who may use a route.
type access int

const (
	// public routes answer without a login: the login page, the language switch.
	public access = iota
	// loggedIn routes need a login but no menu: the start page, logout.
	loggedIn
	// menuLevel routes need the route's level in its menu.
	menuLevel
)

// route is one line of the route table.
type route struct {
	Method  string // GET or POST
	Path    string // a net/http pattern path
	Access  access
	Menu    user.Menu
	Level   user.Level // View for reads, Update for anything that changes
	Handler http.HandlerFunc
}

// routes is the route table: every page and action of the UI, with what it needs. New routes
// go here and nowhere else; the route × permission test walks this table.
func (h *Handler) routes() []route {
	view := func(method, path string, menu user.Menu, fn http.HandlerFunc) route {
		return route{Method: method, Path: path, Access: menuLevel, Menu: menu, Level: user.View, Handler: fn}
	}
	update := func(path string, menu user.Menu, fn http.HandlerFunc) route {
		return route{Method: http.MethodPost, Path: path, Access: menuLevel, Menu: menu, Level: user.Update, Handler: fn}
	}
	return []route{
		{Method: http.MethodGet, Path: "/login", Access: public, Handler: h.loginPage},
		{Method: http.MethodPost, Path: "/login", Access: public, Handler: h.login},
		{Method: http.MethodGet, Path: "/lang/{lang}", Access: public, Handler: h.switchLanguage},
		{Method: http.MethodGet, Path: "/{$}", Access: loggedIn, Handler: h.home},
		{Method: http.MethodPost, Path: "/logout", Access: loggedIn, Handler: h.logout},
		{Method: http.MethodGet, Path: accountPasswordPath, Access: loggedIn, Handler: h.passwordPage},
		{Method: http.MethodPost, Path: accountPasswordPath, Access: loggedIn, Handler: h.changePassword},

		view(http.MethodGet, attentionPath, user.MenuOrders, h.attention),
		view(http.MethodGet, "/orders", user.MenuOrders, h.orderList),
		view(http.MethodGet, "/orders/phase-counts", user.MenuOrders, h.phaseCounts),
		view(http.MethodGet, "/orders/export.csv", user.MenuOrders, h.exportCSV),
		view(http.MethodGet, "/orders/labels.csv", user.MenuOrders, h.exportLabels),
		view(http.MethodGet, labelsPagePath, user.MenuOrders, h.labelsPage),
		{Method: http.MethodGet, Path: trackingPath, Access: menuLevel, Menu: user.MenuOrders, Level: user.Update, Handler: h.trackingPage},
		update(trackingPath, user.MenuOrders, h.uploadTracking),
		{Method: http.MethodGet, Path: csvOrdersPath, Access: menuLevel, Menu: user.MenuOrders, Level: user.Update, Handler: h.csvOrdersPage},
		update(csvOrdersPath, user.MenuOrders, h.uploadCSVOrders),
		{Method: http.MethodGet, Path: csvOrdersProgressPath, Access: menuLevel, Menu: user.MenuOrders, Level: user.Update, Handler: h.csvOrdersProgress},
		view(http.MethodGet, "/orders/csv-shipments.csv", user.MenuOrders, h.exportCSVShipments),
		view(http.MethodGet, "/orders/{id}", user.MenuOrders, h.orderDetail),
		update("/orders/move", user.MenuOrders, h.bulkMove),
		update("/orders/link-status", user.MenuOrders, h.bulkLinkStatus),
		update("/orders/{id}/shipments", user.MenuOrders, h.saveShipments),
		update("/orders/{id}/move", user.MenuOrders, h.moveOne),
		update("/orders/{id}/link-status", user.MenuOrders, h.linkStatusOne),
		update("/orders/{id}/postage", user.MenuOrders, h.setPostageOne),
		update("/orders/{id}/paid", user.MenuOrders, h.markPaidOne),
		update("/orders/{id}/cancel", user.MenuOrders, h.cancelOne),
		update("/orders/{id}/edit", user.MenuOrders, h.editOne),
		update("/orders/{id}/card-cancel", user.MenuOrders, h.cardCancelOne),
		update("/orders/{id}/payment-method", user.MenuOrders, h.changeMethodOne),
		update("/orders/{id}/payment-status", user.MenuOrders, h.paymentStatusOne),
		// issue 16 item 9: a cart member's stored cards (お預かりカード).
		view(http.MethodGet, "/orders/{id}/cards", user.MenuOrders, h.orderStoredCards),
		view(http.MethodGet, "/shops/{id}/cards", user.MenuOrders, h.storedCards),
		update("/shops/{id}/cards/delete", user.MenuOrders, h.deleteStoredCard),
		view(http.MethodGet, "/orders/watch", user.MenuOrders, h.watchOrders),
		{Method: http.MethodGet, Path: importPath, Access: menuLevel, Menu: user.MenuOrders, Level: user.Update, Handler: h.importPage},
		update(importPath, user.MenuOrders, h.importOrders),
		update("/orders/confirm", user.MenuOrders, h.bulkConfirm),
		update("/orders/refetch", user.MenuOrders, h.bulkRefetch),
		update("/orders/mail", user.MenuOrders, h.bulkMail),
		update("/orders/postage", user.MenuOrders, h.bulkPostage),
		update("/orders/paid", user.MenuOrders, h.bulkPaid),
		update("/orders/cancel", user.MenuOrders, h.bulkCancel),
		update("/orders/card-cancel", user.MenuOrders, h.bulkCardCancel),
		update("/orders/bundle", user.MenuOrders, h.bulkBundle),
		update("/orders/{id}/unbundle", user.MenuOrders, h.unbundleOne),
		update("/orders/{id}/split", user.MenuOrders, h.splitOne),
		update("/orders/{id}/unsplit", user.MenuOrders, h.unsplitOne),
		// issue 20 item 4: the order's memo and its 納品書 (one, or the list's selection).
		update("/orders/{id}/memo", user.MenuOrders, h.saveMemo),
		view(http.MethodGet, "/orders/{id}/slip", user.MenuOrders, h.orderSlip),
		view(http.MethodGet, slipsPath, user.MenuOrders, h.printSlips),
		// issue 20 item 3: saved searches (「この条件を保存」 and the side bar's list).
		view(http.MethodGet, savedSearchesPath, user.MenuOrders, h.savedSearches),
		update(savedSearchesPath, user.MenuOrders, h.saveSearch),
		update(savedSearchesPath+"/{id}/delete", user.MenuOrders, h.deleteSavedSearch),
		// issue 20 item 3 (desk5): rename and reorder the saved searches.
		update(savedSearchesPath+"/{id}/rename", user.MenuOrders, h.renameSavedSearch),
		update(savedSearchesPath+"/{id}/move", user.MenuOrders, h.moveSavedSearch),

		view(http.MethodGet, "/mails", user.MenuOrders, h.mailList),
		// issue 15 leftovers: a bounced mail marked 確認済み, one from the order page or 要対応,
		// or a shop's all after their count is shown.
		update("/orders/{id}/mails/{mail}/acknowledge", user.MenuOrders, h.acknowledgeOrderBounce),
		view(http.MethodGet, "/bounces/{id}", user.MenuOrders, h.bouncesToAcknowledge),
		update("/bounces/{id}/acknowledge", user.MenuOrders, h.acknowledgeShopBounces),

		view(http.MethodGet, "/history", user.MenuHistory, h.historyList),
		view(http.MethodGet, "/history/{id}", user.MenuHistory, h.historyDetail),

		{Method: http.MethodGet, Path: "/settings", Access: loggedIn, Handler: h.settingsHome},
		view(http.MethodGet, "/settings/shops", user.MenuShops, h.shopsSettings),
		update("/settings/shops", user.MenuShops, h.createShop),
		view(http.MethodGet, "/settings/shops/{id}", user.MenuShops, h.shopSettings),
		update("/settings/shops/{id}", user.MenuShops, h.saveShop),
		update("/settings/shops/{id}/credentials", user.MenuShops, h.saveCredentials),
		update("/settings/shops/{id}/authorize", user.MenuShops, h.authorizeShop),
		update("/settings/shops/{id}/connection-test", user.MenuShops, h.testConnection),
		{Method: http.MethodGet, Path: authorizedPath, Access: menuLevel, Menu: user.MenuShops, Level: user.Update, Handler: h.authorizedShop},
		view(http.MethodGet, "/settings/shops/{id}/sender", user.MenuShops, h.senderSettings),
		update("/settings/shops/{id}/sender", user.MenuShops, h.saveSender),
		{Method: http.MethodGet, Path: "/shops/{id}/logo", Access: loggedIn, Handler: h.shopLogo},
		update("/settings/shops/{id}/logo", user.MenuShops, h.saveShopLogo),
		update("/settings/shops/{id}/logo/delete", user.MenuShops, h.deleteShopLogo),
		view(http.MethodGet, "/settings/shops/{id}/csv", user.MenuShops, h.csvSettings),
		update("/settings/shops/{id}/csv/mapping", user.MenuShops, h.saveCSVMapping),
		update("/settings/shops/{id}/csv/shipment-layout", user.MenuShops, h.saveShipmentLayout),
		view(http.MethodGet, "/settings/mail", user.MenuShops, h.mailSettings),
		update("/settings/mail/smtp/{id}", user.MenuShops, h.saveSMTP),
		update("/settings/mail/templates", user.MenuShops, h.createTemplate),
		update("/settings/mail/defaults/{id}", user.MenuShops, h.addDefaultTemplates),
		update("/settings/mail/templates/{id}", user.MenuShops, h.saveTemplate),
		update("/settings/mail/templates/{id}/delete", user.MenuShops, h.deleteTemplate),
		view(http.MethodGet, "/settings/notify", user.MenuShops, h.notifySettings),
		update("/settings/notify", user.MenuShops, h.saveNotify),

		view(http.MethodGet, "/settings/phases", user.MenuWorkflow, h.phasesSettings),
		update("/settings/phases", user.MenuWorkflow, h.createPhase),
		update("/settings/phases/{id}/rename", user.MenuWorkflow, h.renamePhase),
		update("/settings/phases/{id}/move", user.MenuWorkflow, h.movePhase),
		update("/settings/phases/{id}/expected", user.MenuWorkflow, h.setPhaseExpected),
		update("/settings/phases/{id}/delete", user.MenuWorkflow, h.deletePhase),
		view(http.MethodGet, "/settings/rules", user.MenuWorkflow, h.rulesSettings),
		update("/settings/rules", user.MenuWorkflow, h.createRule),
		view(http.MethodGet, "/settings/rules/{id}", user.MenuWorkflow, h.ruleSettings),
		update("/settings/rules/{id}", user.MenuWorkflow, h.saveRule),
		update("/settings/rules/{id}/enabled", user.MenuWorkflow, h.setRuleEnabled),
		view(http.MethodGet, rulePreviewPath, user.MenuWorkflow, h.previewRule),

		view(http.MethodGet, "/settings/users", user.MenuUsers, h.usersSettings),
		view(http.MethodGet, "/settings/audit", user.MenuUsers, h.auditSettings),
		update("/settings/users", user.MenuUsers, h.createUser),
		update("/settings/users/{id}", user.MenuUsers, h.saveUser),
		update("/settings/users/{id}/disabled", user.MenuUsers, h.setUserDisabled),
		update("/settings/users/{id}/password", user.MenuUsers, h.resetPassword),
		update("/settings/groups", user.MenuUsers, h.createGroup),
		view(http.MethodGet, "/settings/groups/{id}", user.MenuUsers, h.groupSettings),
		update("/settings/groups/{id}", user.MenuUsers, h.saveGroup),
	}
}

// Routes lists the route table as "METHOD PATH" with what each needs, for tests and docs.
func (h *Handler) Routes() []RouteInfo {
	var out []RouteInfo
	for _, rt := range h.routes() {
		out = append(out, RouteInfo{Method: rt.Method, Path: rt.Path, Public: rt.Access == public, Menu: rt.Menu, Level: rt.Level})
	}
	return out
}

// RouteInfo describes one route of the table.
type RouteInfo struct {
	Method string
	Path   string
	Public bool
	Menu   user.Menu  // "" for routes that need only a login
	Level  user.Level // the least level of Menu the route needs
}

// guard wraps a route's handler in its checks: login, the menu level, and the CSRF token for
// anything but a read.
func (h *Handler) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Access == public {
			rt.Handler(w, r)
			return
		}
		st := stateOf(r.Context())
		if st.user == nil {
			h.needLogin(w, r)
			return
		}
		if rt.Access == menuLevel && !st.group.Allows(rt.Menu, rt.Level) {
			h.forbidden(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := r.ParseForm(); tooLarge(err) {
				h.render(w, r, http.StatusRequestEntityTooLarge, errorPage(http.StatusRequestEntityTooLarge,
					"送信された内容が大きすぎます(1MBまで)。一度に選ぶ注文を減らすか入力を短くして、もう一度操作してください。"))
				return
			} else if err != nil {
				h.fail(w, r, apperror.New(apperror.Invalid, "送信された内容が読めません。画面を再読み込みしてから、もう一度操作してください。"))
				return
			}
		}
		if !validUTF8(r) {
			// Stored as sent it would be mojibake (SQLite) or a refused write (PostgreSQL).
			h.render(w, r, http.StatusBadRequest, errorPage(http.StatusBadRequest,
				"送信された内容にUTF-8として読めない文字が含まれているため、受け付けませんでした。画面を再読み込みしてから入力し直してください(ほかのソフトから貼り付けた文字は、入力し直すと直ることがあります)。"))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !st.validCSRF(r) {
			h.render(w, r, http.StatusForbidden, errorPage(http.StatusForbidden,
				"画面の有効期限が切れたため操作を受け付けませんでした。画面を再読み込みしてから、もう一度操作してください。"))
			return
		}
		rt.Handler(w, r)
	})
}

// validUTF8 reports whether every name and value of the request's query and form is UTF-8.
func validUTF8(r *http.Request) bool {
	values := r.Form // parsed for anything but a read: the query and the body
	if values == nil {
		values = r.URL.Query()
	}
	for name, vs := range values {
		if !utf8.ValidString(name) {
			return false
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}
