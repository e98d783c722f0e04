package api

import (
	"context"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/userops"
)

// User is an operator as the API shows it; the password hash is never returned.
type User struct {
	ID        int64     `json:"id"`
	Login     string    `json:"login"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	GroupID   int64     `json:"group_id"`
	Group     string    `json:"group" doc:"権限グループ名"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

// Group is a permission group: a level per menu.
type Group struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name"`
	Permissions map[string]string `json:"permissions" doc:"メニュー (orders, history, shops, workflow, users) ごとの権限: none, view, update"`
}

func groupOf(g user.Group) Group {
	perms := make(map[string]string, len(user.Menus))
	for _, m := range user.Menus {
		perms[string(m)] = levelNames[g.Permissions[m]]
	}
	return Group{ID: g.ID, Name: g.Name, Permissions: perms}
}

func userOf(u user.User, groups []user.Group) User {
	out := User{ID: u.ID, Login: u.Login, Name: u.Name, Email: u.Email, GroupID: u.GroupID, Disabled: u.Disabled, CreatedAt: u.CreatedAt}
	for _, g := range groups {
		if g.ID == u.GroupID {
			out.Group = g.Name
		}
	}
	return out
}

type usersOutput struct {
	Body struct {
		Users []User `json:"users"`
	}
}

func (h *Handler) listUsers(ctx context.Context, _ *struct{}) (*usersOutput, error) {
	users, groups, err := h.usersAndGroups(ctx)
	if err != nil {
		return nil, err
	}
	out := &usersOutput{}
	out.Body.Users = make([]User, len(users))
	for i, u := range users {
		out.Body.Users[i] = userOf(u, groups)
	}
	return out, nil
}

func (h *Handler) usersAndGroups(ctx context.Context) ([]user.User, []user.Group, error) {
	users, err := h.deps.Store.ListUsers(ctx)
	if err != nil {
		return nil, nil, err
	}
	groups, err := h.deps.Store.ListGroups(ctx)
	if err != nil {
		return nil, nil, err
	}
	return users, groups, nil
}

// userOutputOf answers one user as stored.
func (h *Handler) userOutputOf(ctx context.Context, id int64) (*userOutput, error) {
	u, err := h.deps.Store.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	groups, err := h.deps.Store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	return &userOutput{Body: userOf(u, groups)}, nil
}

type userOutput struct{ Body User }

type createUserInput struct {
	Body struct {
		Login    string `json:"login" maxLength:"100" doc:"ログインID"`
		Name     string `json:"name" maxLength:"200"`
		Email    string `json:"email,omitempty" maxLength:"254"`
		GroupID  int64  `json:"group_id" doc:"権限グループID"`
		Password string `json:"password" doc:"パスワード (10文字以上、半角72文字以内)。ハッシュだけを保存します"`
	}
}

// createUser adds an operator with a bcrypt-hashed password.
func (h *Handler) createUser(ctx context.Context, in *createUserInput) (*userOutput, error) {
	u := user.User{Login: strings.TrimSpace(in.Body.Login), Name: strings.TrimSpace(in.Body.Name), Email: strings.TrimSpace(in.Body.Email),
		GroupID: in.Body.GroupID}
	err := userops.CheckUser(ctx, h.deps.Store, u)
	if err == nil && u.Login == "" {
		err = apperror.New(apperror.Invalid, "ログインIDを入力してください。")
	}
	if err == nil {
		u.PasswordHash, err = user.HashPassword(in.Body.Password)
	}
	if err == nil {
		u, err = h.deps.Store.CreateUser(ctx, u)
	}
	if err != nil {
		return nil, err
	}
	return h.userOutputOf(ctx, u.ID)
}

type updateUserInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"ユーザーID"`
	Body struct {
		Name    string `json:"name" maxLength:"200"`
		Email   string `json:"email" maxLength:"254" doc:"空ならメールアドレスなし"`
		GroupID int64  `json:"group_id" doc:"権限グループID"`
	}
}

// updateUser changes a user's name, e-mail and group, refusing a change that leaves nobody
// enabled who may change users.
func (h *Handler) updateUser(ctx context.Context, in *updateUserInput) (*userOutput, error) {
	u, err := h.deps.Store.GetUser(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	u.Name, u.Email, u.GroupID = strings.TrimSpace(in.Body.Name), strings.TrimSpace(in.Body.Email), in.Body.GroupID
	if err := userops.CheckUser(ctx, h.deps.Store, u); err != nil {
		return nil, err
	}
	if err := userops.CheckRegroup(ctx, h.deps.Store, u.ID, u.GroupID); err != nil {
		return nil, err
	}
	if err := h.deps.Store.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	return h.userOutputOf(ctx, u.ID)
}

type setUserDisabledInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"ユーザーID"`
	Body struct {
		Disabled bool `json:"disabled" doc:"true: 無効にする (ログイン中のセッションとAPIトークンの利用も止まる)、false: 有効に戻す"`
	}
}

// setUserDisabled disables or enables a user. Nobody disables themselves, and the last enabled
// user who may change users stays.
func (h *Handler) setUserDisabled(ctx context.Context, in *setUserDisabledInput) (*userOutput, error) {
	u, err := h.deps.Store.GetUser(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if in.Body.Disabled {
		if err := userops.CheckDisable(ctx, h.deps.Store, principalOf(ctx).user.ID, u.ID); err != nil {
			return nil, err
		}
	}
	if err := h.deps.Store.SetUserDisabled(ctx, u.ID, in.Body.Disabled); err != nil {
		return nil, err
	}
	return h.userOutputOf(ctx, u.ID)
}

type setPasswordInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"ユーザーID"`
	Body struct {
		// No length in the schema: huma would quote the refused value back in its error.
		Password string `json:"password" doc:"新しいパスワード (10文字以上、半角72文字以内)。ハッシュだけを保存し、応答には含めません"`
	}
}

// setPassword sets a user's password for them, as an administrator's reset in the UI does: all
// of the user's web sessions end. Their API tokens stay; revoking one is its own step.
func (h *Handler) setPassword(ctx context.Context, in *setPasswordInput) (*userOutput, error) {
	u, err := h.deps.Store.GetUser(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	hash, err := user.HashPassword(in.Body.Password)
	if err != nil {
		return nil, err
	}
	if err := h.deps.Store.SetPassword(ctx, u.ID, hash); err != nil {
		return nil, err
	}
	h.deps.Logger.Info("password reset", "user", u.Login, "by", principalOf(ctx).user.Login)
	return h.userOutputOf(ctx, u.ID)
}

type groupsOutput struct {
	Body struct {
		Groups []Group `json:"groups"`
	}
}

func (h *Handler) listGroups(ctx context.Context, _ *struct{}) (*groupsOutput, error) {
	groups, err := h.deps.Store.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	out := &groupsOutput{}
	out.Body.Groups = make([]Group, len(groups))
	for i, g := range groups {
		out.Body.Groups[i] = groupOf(g)
	}
	return out, nil
}

// GroupBody is a group as a request sets it.
type GroupBody struct {
	Name        string            `json:"name" maxLength:"200"`
	Permissions map[string]string `json:"permissions" doc:"メニュー (orders, history, shops, workflow, users) ごとの権限: none, view, update。書かないメニューは none"`
}

// groupFrom reads a group's body: a name and a level per menu.
func groupFrom(b GroupBody) (user.Group, error) {
	g := user.Group{Name: strings.TrimSpace(b.Name), Permissions: map[user.Menu]user.Level{}}
	for _, m := range user.Menus {
		g.Permissions[m] = user.None
	}
	for menu, level := range b.Permissions {
		m := user.Menu(menu)
		known := false
		for _, k := range user.Menus {
			known = known || k == m
		}
		if !known {
			return g, apperror.New(apperror.Invalid, "メニュー「%s」はありません。orders, history, shops, workflow, users のいずれかを指定してください。", menu)
		}
		found := false
		for l, name := range levelNames {
			if name == level {
				g.Permissions[m], found = l, true
			}
		}
		if !found {
			return g, apperror.New(apperror.Invalid, "メニュー「%s」の権限「%s」は指定できません。none, view, update のいずれかを指定してください。", menu, level)
		}
	}
	return g, nil
}

type createGroupInput struct{ Body GroupBody }

type groupOutput struct{ Body Group }

// createGroup adds a permission group.
func (h *Handler) createGroup(ctx context.Context, in *createGroupInput) (*groupOutput, error) {
	g, err := groupFrom(in.Body)
	if err != nil {
		return nil, err
	}
	if g, err = h.deps.Store.CreateGroup(ctx, g); err != nil {
		return nil, err
	}
	return &groupOutput{Body: groupOf(g)}, nil
}

type updateGroupInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"権限グループID"`
	Body GroupBody
}

// updateGroup changes a group's name and levels, refusing a change that leaves nobody enabled
// who may change users; every member's next request follows them.
func (h *Handler) updateGroup(ctx context.Context, in *updateGroupInput) (*groupOutput, error) {
	if _, err := h.deps.Store.GetGroup(ctx, in.ID); err != nil {
		return nil, err
	}
	g, err := groupFrom(in.Body)
	if err != nil {
		return nil, err
	}
	g.ID = in.ID
	err = userops.CheckGroupChange(ctx, h.deps.Store, g)
	if err != nil {
		return nil, err
	}
	if err := h.deps.Store.UpdateGroup(ctx, g); err != nil {
		return nil, err
	}
	return &groupOutput{Body: groupOf(g)}, nil
}
