package api

import (
	"context"
	"time"
)

// AuditEvent is one line of 操作履歴: who changed which setting when.
type AuditEvent struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor" doc:"操作したユーザーのログインID (APIトークンならそのユーザー)"`
	Action string    `json:"action" example:"処理フェーズを削除"`
	Target string    `json:"target" example:"楽天デモ店 / 保留"`
	Detail string    `json:"detail" doc:"内容。認証情報はキー名だけ、パスワードは変えたことだけを記録します"`
}

type listAuditInput struct {
	Page     int `query:"page" default:"1" minimum:"1"`
	PageSize int `query:"page_size" default:"100" minimum:"1" maximum:"1000"`
}

type auditOutput struct {
	Body struct {
		Events []AuditEvent `json:"events" doc:"新しい順"`
	}
}

// listAudit reads 操作履歴, as the UI's page shows it.
func (h *Handler) listAudit(ctx context.Context, in *listAuditInput) (*auditOutput, error) {
	events, err := h.deps.Store.ListAudit(ctx, in.Page, in.PageSize)
	if err != nil {
		return nil, err
	}
	out := &auditOutput{}
	out.Body.Events = make([]AuditEvent, len(events))
	for i, e := range events {
		out.Body.Events[i] = AuditEvent(e)
	}
	return out, nil
}
