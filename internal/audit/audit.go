// Package audit keeps 操作履歴: every change an operator makes to the settings (shops and their
// credentials, phases, rules, 通知先, users, groups, passwords, API tokens) through the web UI,
// the REST API or the CLI, with who made it (user.ActorOf) and when. Wrap gives the UI and the API a store that
// records each change it makes; the jobs keep the plain store, since what they do is in the
// order history and 連携履歴. No secret is recorded: credentials by key name, passwords by the
// fact of the change.
package audit

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Store is a store.Store that records the settings changes made through it.
type Store struct {
	store.Store
	logger *slog.Logger
}

// Wrap returns st recording each settings change in 操作履歴.
func Wrap(st store.Store, logger *slog.Logger) *Store {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Store{Store: st, logger: logger}
}

// record adds a line once a change succeeded. The change is made by then, so a failure to
// record it is logged rather than undoing it or reporting the change as failed.
func (s *Store) record(ctx context.Context, err error, action, target, detail string) {
	if err != nil {
		return
	}
	e := store.AuditEvent{Actor: user.ActorOf(ctx), Action: action, Target: target, Detail: detail}
	if rerr := s.Store.RecordAudit(context.WithoutCancel(ctx), e); rerr != nil {
		s.logger.Error("audit event not recorded", "action", action, "target", target, "actor", e.Actor, "error", rerr)
	}
}

func (s *Store) shopName(ctx context.Context, id int64) string {
	if sh, err := s.Store.GetShop(ctx, id); err == nil {
		return sh.Name
	}
	return fmt.Sprintf("店舗ID %d", id)
}

// phaseName names one of the phases, which are every shop's.
func (s *Store) phaseName(ctx context.Context, phaseID int64) string {
	phases, _ := s.Store.ListPhases(ctx)
	return phaseIn(phases, phaseID)
}

// phaseIn names a phase of the phases.
func phaseIn(phases []workflow.Phase, phaseID int64) string {
	if i := slices.IndexFunc(phases, func(p workflow.Phase) bool { return p.ID == phaseID }); i >= 0 {
		return phases[i].Name
	}
	return fmt.Sprintf("処理フェーズID %d", phaseID)
}

func (s *Store) userLogin(ctx context.Context, id int64) string {
	if u, err := s.Store.GetUser(ctx, id); err == nil {
		return u.Login
	}
	return fmt.Sprintf("ユーザーID %d", id)
}

// CreateShop implements store.Store.
func (s *Store) CreateShop(ctx context.Context, sh shop.Shop) (shop.Shop, error) {
	out, err := s.Store.CreateShop(ctx, sh)
	s.record(ctx, err, "店舗を追加", out.Name, sh.Channel.Label())
	return out, err
}

// UpdateShop implements store.Store.
func (s *Store) UpdateShop(ctx context.Context, sh shop.Shop) error {
	before := s.shopName(ctx, sh.ID)
	err := s.Store.UpdateShop(ctx, sh)
	detail := "同一注文の上書き: しない"
	if sh.OverwriteSameOrder {
		detail = "同一注文の上書き: する"
	}
	detail = fmt.Sprintf("店舗ID(モール) %s、%s", sh.Code, detail)
	if before != sh.Name {
		detail = "旧名 " + before + "、" + detail
	}
	s.record(ctx, err, "店舗設定を保存", sh.Name, detail)
	return err
}

// SetShopCredentials implements store.Store: the keys whose value changed are recorded by name,
// never their values, with the expiry in Japan time; a move of where they are sent is recorded
// by host (接続先 old → new), never its path or query.
func (s *Store) SetShopCredentials(ctx context.Context, shopID int64, creds shop.Credentials, expireAt time.Time) error {
	var old map[string]string
	sh, gerr := s.Store.GetShop(ctx, shopID)
	if gerr == nil {
		old = sh.Credentials.Plain()
	}
	err := s.Store.SetShopCredentials(ctx, shopID, creds, expireAt)
	if err != nil {
		return err
	}
	var changed []string
	for k, v := range creds.Plain() {
		if v != old[k] {
			changed = append(changed, k)
		}
	}
	for k, v := range old {
		if _, kept := creds.Plain()[k]; !kept && v != "" {
			changed = append(changed, k+"(削除)")
		}
	}
	slices.Sort(changed)
	detail := "変更したキー: なし"
	if len(changed) > 0 {
		detail = "変更したキー: " + strings.Join(changed, ", ")
	}
	if !expireAt.IsZero() {
		detail += "、有効期限 " + expireAt.In(order.JST).Format("2006/01/02")
	}
	if gerr == nil {
		for _, k := range sh.Channel.CredentialKeys() {
			if before, after := old[k.Name], creds.Plain()[k.Name]; k.Destination && before != after {
				detail += fmt.Sprintf("、%s %s → %s", "接続先", shop.EndpointHost(before), shop.EndpointHost(after))
			}
		}
	}
	s.record(ctx, nil, "認証情報を保存", s.shopName(ctx, shopID), detail)
	return nil
}

// CreatePhase implements store.Store.
func (s *Store) CreatePhase(ctx context.Context, name string) (workflow.Phase, error) {
	p, err := s.Store.CreatePhase(ctx, name)
	s.record(ctx, err, "処理フェーズを追加", cmp.Or(p.Name, name), "")
	return p, err
}

// RenamePhase implements store.Store.
func (s *Store) RenamePhase(ctx context.Context, phaseID int64, name string) error {
	before := s.phaseName(ctx, phaseID)
	err := s.Store.RenamePhase(ctx, phaseID, name)
	s.record(ctx, err, "処理フェーズ名を変更", before, "新しい名前: "+name)
	return err
}

// ReorderPhases implements store.Store.
func (s *Store) ReorderPhases(ctx context.Context, ids []int64) error {
	err := s.Store.ReorderPhases(ctx, ids)
	var names []string
	if phases, lerr := s.Store.ListPhases(ctx); lerr == nil {
		for _, p := range phases {
			names = append(names, p.Name)
		}
	}
	s.record(ctx, err, "処理フェーズを並べ替え", "処理フェーズ", strings.Join(names, " → "))
	return err
}

// DeletePhase implements store.Store.
func (s *Store) DeletePhase(ctx context.Context, phaseID int64) error {
	name := s.phaseName(ctx, phaseID)
	err := s.Store.DeletePhase(ctx, phaseID)
	s.record(ctx, err, "処理フェーズを削除", name, "")
	return err
}

// SaveRule implements store.Store: a rule added or saved, with its phases and interval, and
// whether the save started or stopped it.
func (s *Store) SaveRule(ctx context.Context, r workflow.Rule) (workflow.Rule, error) {
	before, had := workflow.Rule{}, false
	if r.ID != 0 {
		if b, err := s.Store.GetRule(ctx, r.ID); err == nil {
			before, had = b, true
		}
	}
	out, err := s.Store.SaveRule(ctx, r)
	if err != nil {
		return out, err
	}
	shopName := s.shopName(ctx, r.ShopID)
	target := shopName + " / " + r.Kind.Label()
	action := "自動処理を保存"
	if r.ID == 0 {
		action = "自動処理を追加"
	}
	// One read of the phases names all three.
	phases, _ := s.Store.ListPhases(ctx)
	var parts []string
	for _, p := range []struct {
		what string
		id   int64
	}{{"対象", out.TargetPhaseID}, {"成功時", out.SuccessPhaseID}, {"エラー時", out.ErrorPhaseID}} {
		if p.id == 0 {
			continue
		}
		parts = append(parts, p.what+" "+phaseIn(phases, p.id))
	}
	if out.Interval > 0 {
		parts = append(parts, fmt.Sprintf("間隔 %g分", out.Interval.Minutes()))
	}
	s.record(ctx, nil, action, target, strings.Join(parts, "、"))
	if (had || r.ID == 0) && r.Enabled != before.Enabled {
		s.record(ctx, nil, map[bool]string{true: "自動処理を開始", false: "自動処理を停止"}[r.Enabled], target, "")
	}
	return out, nil
}

// SetRuleEnabled implements store.Store.
func (s *Store) SetRuleEnabled(ctx context.Context, ruleID int64, enabled bool) error {
	err := s.Store.SetRuleEnabled(ctx, ruleID, enabled)
	target := fmt.Sprintf("自動処理ID %d", ruleID)
	if r, gerr := s.Store.GetRule(ctx, ruleID); gerr == nil {
		target = s.shopName(ctx, r.ShopID) + " / " + r.Kind.Label()
	}
	action := "自動処理を停止"
	if enabled {
		action = "自動処理を開始"
	}
	s.record(ctx, err, action, target, "")
	return err
}

// SetNotifyAddresses implements store.Store.
func (s *Store) SetNotifyAddresses(ctx context.Context, addrs []string, actor string) (store.NotifySetting, error) {
	out, err := s.Store.SetNotifyAddresses(ctx, addrs, actor)
	detail := strings.Join(out.Addresses, ", ")
	if len(out.Addresses) == 0 {
		detail = "なし (起動時の設定 --notify-to に戻す)"
	}
	s.record(ctx, err, "通知先を保存", "", detail)
	return out, err
}

// CreateGroup implements store.Store.
func (s *Store) CreateGroup(ctx context.Context, g user.Group) (user.Group, error) {
	out, err := s.Store.CreateGroup(ctx, g)
	s.record(ctx, err, "権限グループを追加", g.Name, permissions(g))
	return out, err
}

// UpdateGroup implements store.Store.
func (s *Store) UpdateGroup(ctx context.Context, g user.Group) error {
	before, gerr := s.Store.GetGroup(ctx, g.ID)
	err := s.Store.UpdateGroup(ctx, g)
	detail := permissions(g)
	if gerr == nil && before.Name != g.Name {
		detail = "旧名 " + before.Name + "、" + detail
	}
	s.record(ctx, err, "権限グループを保存", g.Name, detail)
	return err
}

// permissions writes a group's level per menu: 「連携履歴: 閲覧、…」.
func permissions(g user.Group) string {
	var parts []string
	for _, m := range user.Menus {
		parts = append(parts, m.Label()+": "+g.Permissions[m].Label())
	}
	return strings.Join(parts, "、")
}

// CreateUser implements store.Store.
func (s *Store) CreateUser(ctx context.Context, u user.User) (user.User, error) {
	out, err := s.Store.CreateUser(ctx, u)
	s.record(ctx, err, "ユーザーを追加", u.Login, s.groupName(ctx, u.GroupID))
	return out, err
}

// UpdateUser implements store.Store.
func (s *Store) UpdateUser(ctx context.Context, u user.User) error {
	err := s.Store.UpdateUser(ctx, u)
	s.record(ctx, err, "ユーザーを保存", s.userLogin(ctx, u.ID), s.groupName(ctx, u.GroupID))
	return err
}

func (s *Store) groupName(ctx context.Context, id int64) string {
	if g, err := s.Store.GetGroup(ctx, id); err == nil {
		return "権限グループ " + g.Name
	}
	return ""
}

// SetUserDisabled implements store.Store.
func (s *Store) SetUserDisabled(ctx context.Context, userID int64, disabled bool) error {
	err := s.Store.SetUserDisabled(ctx, userID, disabled)
	action := "ユーザーを有効化"
	if disabled {
		action = "ユーザーを無効化"
	}
	s.record(ctx, err, action, s.userLogin(ctx, userID), "")
	return err
}

// SetPassword implements store.Store: an administrator's reset, recorded without the password.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	err := s.Store.SetPassword(ctx, userID, hash)
	s.record(ctx, err, "パスワードを再設定", s.userLogin(ctx, userID), "")
	return err
}

// ChangePassword implements store.Store: a user's own change, recorded without the password.
func (s *Store) ChangePassword(ctx context.Context, userID int64, oldHash, newHash string) error {
	err := s.Store.ChangePassword(ctx, userID, oldHash, newHash)
	s.record(ctx, err, "パスワードを変更", s.userLogin(ctx, userID), "")
	return err
}

// CreateAPIToken implements store.Store: who got a token, and for what; never the token.
func (s *Store) CreateAPIToken(ctx context.Context, t user.APIToken) (user.APIToken, error) {
	out, err := s.Store.CreateAPIToken(ctx, t)
	s.record(ctx, err, "APIトークンを作成", s.userLogin(ctx, t.UserID), fmt.Sprintf("トークンID %d %s", out.ID, t.Name))
	return out, err
}

// DeleteAPIToken implements store.Store.
func (s *Store) DeleteAPIToken(ctx context.Context, id int64) error {
	target, detail := "", fmt.Sprintf("トークンID %d", id)
	if tokens, err := s.Store.ListAPITokens(ctx, 0); err == nil {
		if i := slices.IndexFunc(tokens, func(t user.APIToken) bool { return t.ID == id }); i >= 0 {
			target, detail = s.userLogin(ctx, tokens[i].UserID), detail+" "+tokens[i].Name
		}
	}
	err := s.Store.DeleteAPIToken(ctx, id)
	s.record(ctx, err, "APIトークンを取り消し", target, strings.TrimSpace(detail))
	return err
}

// SaveMailTemplate implements store.Store.
func (s *Store) SaveMailTemplate(ctx context.Context, t buyermail.Template) (buyermail.Template, error) {
	out, err := s.Store.SaveMailTemplate(ctx, t)
	action := "メールテンプレートを保存"
	if t.ID == 0 {
		action = "メールテンプレートを追加"
	}
	s.record(ctx, err, action, s.templateTarget(ctx, out), "")
	return out, err
}

// DeleteMailTemplate implements store.Store.
func (s *Store) DeleteMailTemplate(ctx context.Context, id int64) error {
	t, _ := s.Store.GetMailTemplate(ctx, id)
	err := s.Store.DeleteMailTemplate(ctx, id)
	s.record(ctx, err, "メールテンプレートを削除", s.templateTarget(ctx, t), "")
	return err
}

// SaveMailSettings implements store.Store. The password is recorded by the fact of its change.
func (s *Store) SaveMailSettings(ctx context.Context, ms buyermail.Settings) error {
	err := s.Store.SaveMailSettings(ctx, ms)
	detail := fmt.Sprintf("%s (%s) 送信元 %s", ms.Addr(), ms.TLS, ms.From)
	if ms.Password != "" {
		detail += "、パスワードを変更"
	}
	s.record(ctx, err, "メール送信設定を保存", s.shopName(ctx, ms.ShopID), detail)
	return err
}

func (s *Store) templateTarget(ctx context.Context, t buyermail.Template) string {
	if t.ShopID == 0 {
		return "共通 / " + t.Name
	}
	return s.shopName(ctx, t.ShopID) + " / " + t.Name
}

// SetShopSender implements store.Store: the ご依頼主 of the shop's carrier labels.
func (s *Store) SetShopSender(ctx context.Context, shopID int64, v shop.Sender, actor string) error {
	err := s.Store.SetShopSender(ctx, shopID, v, actor)
	s.record(ctx, err, "ご依頼主(出荷設定)を保存", s.shopName(ctx, shopID), v.Name)
	return err
}

// SetShopLogo implements store.Store: the logo of the shop's 納品書.
func (s *Store) SetShopLogo(ctx context.Context, shopID int64, l shop.Logo, actor string) error {
	err := s.Store.SetShopLogo(ctx, shopID, l, actor)
	s.record(ctx, err, "納品書のロゴを保存", s.shopName(ctx, shopID), l.ContentType)
	return err
}

// DeleteShopLogo implements store.Store: the logo of the shop's 納品書, removed.
func (s *Store) DeleteShopLogo(ctx context.Context, shopID int64, actor string) error {
	err := s.Store.DeleteShopLogo(ctx, shopID, actor)
	s.record(ctx, err, "納品書のロゴを削除", s.shopName(ctx, shopID), "")
	return err
}

// SetShopSetting implements store.Store: a shop setting such as the CSV shop's column mapping.
func (s *Store) SetShopSetting(ctx context.Context, shopID int64, name string, v any, actor string) error {
	err := s.Store.SetShopSetting(ctx, shopID, name, v, actor)
	s.record(ctx, err, "店舗の設定を保存", s.shopName(ctx, shopID), name)
	return err
}
