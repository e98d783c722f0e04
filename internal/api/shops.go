package api

import (
	"context"
	"slices"
	"time"

	"github.com/ichigen-oms/ichigen/internal/shop"
)

// Shop is a shop as the API shows it. Credentials are never returned: only which keys are set
// and when they expire.
type Shop struct {
	ID                    int64      `json:"id"`
	Channel               string     `json:"channel"`
	ChannelLabel          string     `json:"channel_label"`
	Name                  string     `json:"name"`
	Code                  string     `json:"code" doc:"モールの店舗ID"`
	CredentialKeys        []string   `json:"credential_keys" doc:"設定済みの認証情報のキー名 (値は返しません)"`
	CredentialsExpireAt   *time.Time `json:"credentials_expire_at,omitempty" doc:"認証情報の有効期限 (わかっている場合)"`
	CredentialsExpireSoon bool       `json:"credentials_expire_soon" doc:"有効期限まで14日以内"`
	Status                string     `json:"status" enum:"active,auth_error" doc:"auth_error: 認証エラーで自動処理が止まっている"`
	StatusMessage         string     `json:"status_message"`
	OverwriteSameOrder    bool       `json:"overwrite_same_order" doc:"同一注文を上書きする"`
	JobKinds              []Choice   `json:"job_kinds" doc:"この店舗で使える自動処理"`
	ManualLinkStatuses    []Choice   `json:"manual_link_statuses" doc:"この店舗の注文に手動で設定できる連携ステータス"`
	CreatedAt             time.Time  `json:"created_at"`
	UpdatedAt             time.Time  `json:"updated_at"`
}

// shopOf shows a shop without its credentials' values.
func shopOf(s shop.Shop, now time.Time) Shop {
	keys := make([]string, 0, len(s.Credentials))
	for k, v := range s.Credentials.Plain() {
		if v != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := Shop{ID: s.ID, Channel: string(s.Channel), ChannelLabel: s.Channel.Label(), Name: s.Name, Code: s.Code, CredentialKeys: keys,
		CredentialsExpireAt: timePtr(s.CredentialsExpireAt), CredentialsExpireSoon: s.CredentialsExpireSoon(now), Status: string(s.Status),
		StatusMessage: s.StatusMessage, OverwriteSameOrder: s.OverwriteSameOrder, JobKinds: []Choice{}, ManualLinkStatuses: []Choice{},
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	for _, k := range s.Channel.JobKinds() {
		out.JobKinds = append(out.JobKinds, Choice{Value: string(k), Label: k.Label()})
	}
	for _, l := range s.Channel.ManualLinkStatuses() {
		out.ManualLinkStatuses = append(out.ManualLinkStatuses, Choice{Value: string(l), Label: l.Label()})
	}
	return out
}

type shopsOutput struct {
	Body struct {
		Shops []Shop `json:"shops"`
	}
}

func (h *Handler) listShops(ctx context.Context, _ *struct{}) (*shopsOutput, error) {
	shops, err := h.deps.Store.ListShops(ctx)
	if err != nil {
		return nil, err
	}
	out := &shopsOutput{}
	out.Body.Shops = make([]Shop, len(shops))
	for i, s := range shops {
		out.Body.Shops[i] = shopOf(s, h.now())
	}
	return out, nil
}

type shopInput struct {
	ID int64 `path:"id" minimum:"1" doc:"店舗ID"`
}

type shopOutput struct{ Body Shop }

func (h *Handler) getShop(ctx context.Context, in *shopInput) (*shopOutput, error) {
	s, err := h.deps.Store.GetShop(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &shopOutput{Body: shopOf(s, h.now())}, nil
}
