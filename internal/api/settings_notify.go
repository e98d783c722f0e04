package api

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/userops"
)

// NotifySetting is the notification addresses (通知先) saved in the settings, as the UI's
// 通知先 shows them.
type NotifySetting struct {
	Addresses []string   `json:"addresses" doc:"エラー通知メールの送信先 (保存した順)。空なら起動時の設定 (--notify-to) の宛先に送ります"`
	SavedAt   *time.Time `json:"saved_at,omitempty" doc:"保存した日時 (保存した宛先がある場合)"`
	SavedBy   string     `json:"saved_by,omitempty" doc:"保存したユーザーのログインID"`
	InEffect  []string   `json:"in_effect" doc:"次のエラー通知メールの宛先: 保存した宛先、なければ起動時の設定 (--notify-to) の宛先"`
	// Administrators get every error e-mail besides InEffect.
	Administrators []string `json:"administrators" doc:"in_effect に加えてエラー通知メールを送る管理者のアドレス: すべてのメニューを更新できる権限グループの、メールアドレスのある有効なユーザー (重複は1通)"`
	// MailEnabled says whether a mail server is configured; without one no e-mail is sent.
	MailEnabled bool `json:"mail_enabled" doc:"メール送信サーバー (--smtp-addr) が設定されている。false ならメールは送られません"`
}

func (h *Handler) notifySettingOf(ctx context.Context, s store.NotifySetting) (*notifyOutput, error) {
	admins, err := userops.AdminAddresses(ctx, h.deps.Store)
	if err != nil {
		return nil, err
	}
	return &notifyOutput{Body: NotifySetting{Addresses: orEmpty(s.Addresses), SavedAt: timePtr(s.SavedAt), SavedBy: s.SavedBy,
		InEffect: orEmpty(s.Recipients(h.deps.NotifyTo)), Administrators: orEmpty(admins), MailEnabled: h.deps.MailEnabled}}, nil
}

// orEmpty writes none as [] rather than null.
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type notifyOutput struct{ Body NotifySetting }

// getNotify returns the saved notification addresses.
func (h *Handler) getNotify(ctx context.Context, _ *struct{}) (*notifyOutput, error) {
	s, err := h.deps.Store.NotifyAddresses(ctx)
	if err != nil {
		return nil, err
	}
	return h.notifySettingOf(ctx, s)
}

type setNotifyInput struct {
	Body struct {
		Addresses []string `json:"addresses" maxItems:"200" doc:"通知先のメールアドレス (名前や < > を付けないアドレスだけ)。重複は1つにまとめ、20件まで。空の配列で保存した宛先を削除し、起動時の設定 (--notify-to) の宛先に戻します"`
	}
}

// setNotify replaces the notification addresses, as the UI's 通知先 form does; the next error
// e-mail goes to them.
func (h *Handler) setNotify(ctx context.Context, in *setNotifyInput) (*notifyOutput, error) {
	s, err := h.deps.Store.SetNotifyAddresses(ctx, in.Body.Addresses, actor(ctx))
	if err != nil {
		return nil, err
	}
	return h.notifySettingOf(ctx, s)
}
