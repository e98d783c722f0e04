package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/userops"
)

// usersView is ユーザー・権限設定: users, groups, and the forms to add each.
type usersView struct {
	Users     []user.User
	Groups    []user.Group
	Me        int64
	CanUpdate bool
	NewUser   user.User
	UserError string
	NewGroup  user.Group
	// GroupError is the new group form's message.
	GroupError string
}

func (v usersView) groupName(id int64) string {
	for _, g := range v.Groups {
		if g.ID == id {
			return g.Name
		}
	}
	return ""
}

const usersPath = "/settings/users"

func groupPath(id int64) string { return "/settings/groups/" + i64toa(id) }

// userFormID names the form of a user's row, which the row's fields join by their form
// attribute (a form cannot span table cells).
func userFormID(id int64) string { return "user-" + i64toa(id) }

// formAttr is the form attribute of a field outside its form, none for "".
func formAttr(form string) templ.Attributes {
	if form == "" {
		return templ.Attributes{}
	}
	return templ.Attributes{"form": form}
}

// usersSettings lists users and groups.
func (h *Handler) usersSettings(w http.ResponseWriter, r *http.Request) {
	h.renderUsers(w, r, http.StatusOK, usersView{NewGroup: user.Group{Permissions: map[user.Menu]user.Level{}}})
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, status int, v usersView) {
	ctx := r.Context()
	var err error
	if v.Users, err = h.deps.Store.ListUsers(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	if v.Groups, err = h.deps.Store.ListGroups(ctx); err != nil {
		h.fail(w, r, err)
		return
	}
	v.Me, v.CanUpdate = stateOf(ctx).user.ID, canUpdate(ctx, user.MenuUsers)
	h.render(w, r, status, usersPage(v))
}

// createUser adds an operator with a bcrypt-hashed password.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	u := user.User{Login: strings.TrimSpace(r.PostFormValue("login")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Email: strings.TrimSpace(r.PostFormValue("email"))}
	u.GroupID, _ = strconv.ParseInt(r.PostFormValue("group_id"), 10, 64)
	err := userops.CheckUser(r.Context(), h.deps.Store, u)
	if err == nil && u.Login == "" {
		err = apperror.New(apperror.Invalid, "ログインIDを入力してください。")
	}
	if err == nil {
		u.PasswordHash, err = user.HashNewPassword(r.PostFormValue("password"), r.PostFormValue("password_confirm"))
	}
	if err == nil {
		u, err = h.deps.Store.CreateUser(r.Context(), u)
	}
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		h.renderUsers(w, r, statusOf(err), usersView{NewUser: u, UserError: apperror.MessageOf(err),
			NewGroup: user.Group{Permissions: map[user.Menu]user.Level{}}})
		return
	}
	h.settingsDone(w, r, usersPath, fmt.Sprintf("ユーザー「%s」を追加しました。ログインIDとパスワードを本人に伝えてください。", u.Login))
}

// saveUser changes a user's name, e-mail and group.
func (h *Handler) saveUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, ok := byPath(h, w, r, h.deps.Store.GetUser)
	if !ok {
		return
	}
	u.Name, u.Email = strings.TrimSpace(r.PostFormValue("name")), strings.TrimSpace(r.PostFormValue("email"))
	u.GroupID, _ = strconv.ParseInt(r.PostFormValue("group_id"), 10, 64)
	err := userops.CheckUser(ctx, h.deps.Store, u)
	if err == nil {
		err = userops.CheckRegroup(ctx, h.deps.Store, u.ID, u.GroupID)
	}
	if err == nil {
		err = h.deps.Store.UpdateUser(ctx, u)
	}
	if err != nil {
		h.settingsFail(w, r, usersPath, err)
		return
	}
	h.settingsDone(w, r, usersPath, fmt.Sprintf("ユーザー「%s」を保存しました。", u.Login))
}

// setUserDisabled disables a user (disabled=1), ending their sessions at once, or enables them
// again. Nobody disables themselves, and the last one who may change users stays.
func (h *Handler) setUserDisabled(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, ok := byPath(h, w, r, h.deps.Store.GetUser)
	if !ok {
		return
	}
	disable := r.PostFormValue("disabled") == "1"
	var err error
	if disable {
		err = userops.CheckDisable(ctx, h.deps.Store, stateOf(ctx).user.ID, u.ID)
	}
	if err == nil {
		err = h.deps.Store.SetUserDisabled(ctx, u.ID, disable)
	}
	if err != nil {
		h.settingsFail(w, r, usersPath, err)
		return
	}
	msg := fmt.Sprintf("ユーザー「%s」を有効にしました。", u.Login)
	if disable {
		msg = fmt.Sprintf("ユーザー「%s」を無効にしました。ログイン中の画面も次の操作でログアウトします。", u.Login)
	}
	h.settingsDone(w, r, usersPath, msg)
}

// resetPassword sets a user's password for them: an administrator (update on ユーザー・権限設定)
// need not know the old one. All of the user's sessions end; resetting one's own keeps this
// browser logged in, with a new session.
func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, ok := byPath(h, w, r, h.deps.Store.GetUser)
	if !ok {
		return
	}
	hash, err := user.HashNewPassword(r.PostFormValue("password"), r.PostFormValue("password_confirm"))
	if err == nil {
		err = h.deps.Store.SetPassword(ctx, u.ID, hash)
	}
	if err != nil {
		h.settingsFail(w, r, usersPath, err)
		return
	}
	me := stateOf(ctx).user
	h.deps.Logger.Info("password reset", "user", u.Login, "by", me.Login)
	if u.ID == me.ID {
		if err := h.startSession(w, r, u); err != nil {
			h.fail(w, r, err)
			return
		}
		h.settingsDone(w, r, usersPath, "パスワードを変更しました。")
		return
	}
	h.settingsDone(w, r, usersPath, fmt.Sprintf("ユーザー「%s」のパスワードを再設定しました。ログイン中の画面は次の操作でログアウトします。新しいパスワードを本人に伝えてください。", u.Login))
}

// readGroup reads the group form: a name and a level per menu.
func readGroup(r *http.Request) user.Group {
	g := user.Group{Name: strings.TrimSpace(r.PostFormValue("name")), Permissions: map[user.Menu]user.Level{}}
	for _, m := range user.Menus {
		n, _ := strconv.Atoi(r.PostFormValue("perm_" + string(m)))
		if l := user.Level(n); l >= user.None && l <= user.Update {
			g.Permissions[m] = l
		}
	}
	return g
}

// createGroup adds a permission group.
func (h *Handler) createGroup(w http.ResponseWriter, r *http.Request) {
	g, err := h.deps.Store.CreateGroup(r.Context(), readGroup(r))
	if err != nil {
		if statusOf(err) == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		h.renderUsers(w, r, statusOf(err), usersView{NewGroup: readGroup(r), GroupError: apperror.MessageOf(err)})
		return
	}
	h.settingsDone(w, r, usersPath, fmt.Sprintf("権限グループ「%s」を追加しました。", g.Name))
}

// groupView is one group's form.
type groupView struct {
	Group     user.Group
	Members   []user.User
	CanUpdate bool
}

// groupSettings shows a group's levels per menu, and its members.
func (h *Handler) groupSettings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	g, ok := byPath(h, w, r, h.deps.Store.GetGroup)
	if !ok {
		return
	}
	users, err := h.deps.Store.ListUsers(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := groupView{Group: g, CanUpdate: canUpdate(ctx, user.MenuUsers)}
	for _, u := range users {
		if u.GroupID == g.ID {
			v.Members = append(v.Members, u)
		}
	}
	h.render(w, r, http.StatusOK, groupPage(v))
}

// saveGroup changes a group's name and levels; every member's next request follows them.
func (h *Handler) saveGroup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.deps.Store.GetGroup(ctx, id); err != nil {
		h.fail(w, r, err)
		return
	}
	g := readGroup(r)
	g.ID = id
	err = userops.CheckGroupChange(ctx, h.deps.Store, g)
	if err == nil {
		err = h.deps.Store.UpdateGroup(ctx, g)
	}
	if err != nil {
		h.settingsFail(w, r, groupPath(id), err)
		return
	}
	h.settingsDone(w, r, usersPath, fmt.Sprintf("権限グループ「%s」を保存しました。所属するユーザーの次の操作から反映されます。", g.Name))
}
