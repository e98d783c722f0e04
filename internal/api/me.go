package api

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// levelNames are the permission levels as the API writes them.
var levelNames = map[user.Level]string{user.None: "none", user.View: "view", user.Update: "update"}

// Me is who the token acts as and what it may do.
type Me struct {
	UserID      int64             `json:"user_id"`
	Login       string            `json:"login"`
	Name        string            `json:"name"`
	Group       string            `json:"group"`
	Permissions map[string]string `json:"permissions" doc:"メニューごとの権限: none, view, update"`
	TokenID     int64             `json:"token_id"`
	TokenName   string            `json:"token_name"`
	TokenMade   time.Time         `json:"token_created_at"`
}

type meOutput struct{ Body Me }

func (h *Handler) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	p := principalOf(ctx)
	perms := make(map[string]string, len(user.Menus))
	for _, m := range user.Menus {
		perms[string(m)] = levelNames[p.group.Permissions[m]]
	}
	return &meOutput{Body: Me{UserID: p.user.ID, Login: p.user.Login, Name: p.user.Name, Group: p.group.Name, Permissions: perms,
		TokenID: p.token.ID, TokenName: p.token.Name, TokenMade: p.token.CreatedAt}}, nil
}
