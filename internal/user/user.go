// Package user holds operators and permission groups (権限設定): a level per menu — none, view
// or update. Types and rules only.
package user

import "time"

// Menu is one area of the UI and the API that permissions are given for.
type Menu string

// The menus.
const (
	MenuOrders   Menu = "orders"   // 注文一括処理 / 注文個別確認
	MenuHistory  Menu = "history"  // 連携履歴
	MenuShops    Menu = "shops"    // 店舗設定
	MenuWorkflow Menu = "workflow" // 処理フェーズ・自動処理設定
	MenuUsers    Menu = "users"    // ユーザー・権限設定
)

// Menus lists every menu in display order.
var Menus = []Menu{MenuOrders, MenuHistory, MenuShops, MenuWorkflow, MenuUsers}

// Level is what a group may do in a menu.
type Level int

// The levels, in increasing power.
const (
	None   Level = iota // 権限なし: the menu is hidden and its routes answer 403
	View                // 閲覧
	Update              // 更新
)

// Label names the menu as the permission settings show it.
func (m Menu) Label() string {
	switch m {
	case MenuOrders:
		return "注文一括処理・注文個別確認"
	case MenuHistory:
		return "連携履歴"
	case MenuShops:
		return "店舗設定・通知先"
	case MenuWorkflow:
		return "処理フェーズ・自動処理設定"
	case MenuUsers:
		return "ユーザー・権限設定"
	}
	return string(m)
}

// Label names the level: なし, 閲覧, 更新.
func (l Level) Label() string {
	switch l {
	case View:
		return "閲覧"
	case Update:
		return "更新"
	}
	return "なし"
}

// Group is a permission group.
type Group struct {
	ID          int64
	Name        string
	Permissions map[Menu]Level
}

// Allows reports whether the group may act at level in menu.
func (g Group) Allows(menu Menu, level Level) bool { return g.Permissions[menu] >= level }

// Administers reports whether the group is an administrators' group: update on every menu, as
// AdminPermissions gives.
func (g Group) Administers() bool {
	for _, m := range Menus {
		if !g.Allows(m, Update) {
			return false
		}
	}
	return true
}

// AdminPermissions gives update on every menu.
func AdminPermissions() map[Menu]Level {
	p := make(map[Menu]Level, len(Menus))
	for _, m := range Menus {
		p[m] = Update
	}
	return p
}

// User is one operator.
type User struct {
	ID           int64
	Login        string
	Name         string
	Email        string
	PasswordHash string
	GroupID      int64
	Disabled     bool
	CreatedAt    time.Time
	// PageSize is the order list's page size the user chose last (issue 20 item 3), kept with
	// the user so it follows them to another machine; 0 until they choose one.
	PageSize int64
}
