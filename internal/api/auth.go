package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// securityScheme names the bearer token scheme in the OpenAPI document.
const securityScheme = "bearer"

// touchEvery is how stale a token's last use may get before a request writes it again: not
// every request writes.
const touchEvery = 5 * time.Minute

// The answers to a request without a usable token, and to one its group may not make.
const (
	msgNoToken      = "APIトークンがありません。Authorization: Bearer <トークン> を付けて送ってください。トークンは ichigen token create で作成できます。"
	msgBadToken     = "APIトークンが正しくないか、取り消されています。ichigen token create で作成したトークンを確認してください。"
	msgDisabledUser = "このAPIトークンのユーザーは無効になっています。管理者に連絡してください。"
	msgForbidden    = "この操作を行う権限がありません。必要な場合は管理者に権限グループの設定を依頼してください。"
	msgUndeclaredOp = "この操作には権限の設定がないため実行できません。"
	wwwAuthenticate = `Bearer realm="ichigen"`
)

// principal is who a request acts as: the token's user and group.
type principal struct {
	user  user.User
	group user.Group
	token user.APIToken
}

type principalKey struct{}

// principalOf returns the request's principal; an empty one outside an authenticated request.
func principalOf(ctx context.Context) *principal {
	if p, ok := ctx.Value(principalKey{}).(*principal); ok {
		return p
	}
	return &principal{}
}

// authenticate is the middleware in front of every operation: it finds the bearer token's
// user and refuses what the user's group may not do, before the request's parameters or body
// are even read. Cookies are never looked at.
func (h *Handler) authenticate(ctx huma.Context, next func(huma.Context)) {
	op, declared := h.ops[ctx.Operation().OperationID]
	if !declared {
		_ = huma.WriteErr(h.api, ctx, http.StatusForbidden, msgUndeclaredOp)
		return
	}
	if op.Signed { // no token: the handler checks the request's signature
		next(ctx)
		return
	}
	p, err := h.principal(ctx.Context(), ctx.Header("Authorization"))
	if err != nil {
		status := statusOf(err)
		if status == http.StatusUnauthorized {
			ctx.SetHeader("WWW-Authenticate", wwwAuthenticate)
		}
		_ = huma.WriteErr(h.api, ctx, status, apperror.MessageOf(err))
		if status == http.StatusInternalServerError {
			h.deps.Logger.Error("api authentication failed", "error", err)
		}
		return
	}
	if op.Menu != "" && !p.group.Allows(op.Menu, op.Level) {
		_ = huma.WriteErr(h.api, ctx, http.StatusForbidden, msgForbidden)
		return
	}
	next(huma.WithValue(huma.WithValue(ctx, principalKey{}, p), user.ActorKey{}, p.user.Login))
}

// principal reads an Authorization header.
func (h *Handler) principal(ctx context.Context, header string) (*principal, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, apperror.New(apperror.Unauthorized, "%s", msgNoToken)
	}
	t, err := h.deps.Store.GetAPIToken(ctx, user.HashAPIToken(token))
	if apperror.Is(err, apperror.NotFound) {
		return nil, apperror.New(apperror.Unauthorized, "%s", msgBadToken)
	}
	if err != nil {
		return nil, err
	}
	u, err := h.deps.Store.GetUser(ctx, t.UserID)
	if apperror.Is(err, apperror.NotFound) {
		return nil, apperror.New(apperror.Unauthorized, "%s", msgBadToken)
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, apperror.New(apperror.Unauthorized, "%s", msgDisabledUser)
	}
	g, err := h.deps.Store.GetGroup(ctx, u.GroupID)
	if err != nil {
		return nil, err
	}
	if now := h.now(); now.Sub(t.LastUsedAt) > touchEvery {
		if err := h.deps.Store.TouchAPIToken(ctx, t.ID, now); err != nil {
			h.deps.Logger.Warn("api token last use not recorded", "token", t.ID, "error", err)
		}
	}
	return &principal{user: u, group: g, token: t}, nil
}
