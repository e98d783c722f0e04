package api

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/shopflow"
	"github.com/ichigen-oms/ichigen/internal/user"
)

type createShopInput struct {
	Body struct {
		Channel string `json:"channel" doc:"チャネル: ichigen が連携できるもの (rakuten, aupay)"`
		Name    string `json:"name" maxLength:"200" doc:"店舗名"`
		Code    string `json:"code" maxLength:"200" doc:"モールの店舗ID"`
		// WithoutRules leaves the new shop without its channel's usual rules.
		WithoutRules bool `json:"without_rules,omitempty" doc:"true: チャネルの標準の自動処理を用意しない (既定では停止中で用意します)"`
	}
}

// CreatedShop is a new shop with the rules it was given (stopped) and what to do next.
type CreatedShop struct {
	Shop
	Rules   []Rule `json:"rules" doc:"用意した標準の自動処理 (停止中)"`
	Message string `json:"message"`
	// RulesWithheld says the rules were not made because the caller may not update 自動処理.
	RulesWithheld bool `json:"rules_withheld,omitempty" doc:"true: 自動処理の更新権限がないため標準の自動処理を用意しなかった (権限を持つ管理者が追加します)"`
}

type createdShopOutput struct{ Body CreatedShop }

// createShop adds a shop with the default phases and its channel's usual rules, stopped, as the
// UI's 店舗設定 does; its credentials are set next.
func (h *Handler) createShop(ctx context.Context, in *createShopInput) (*createdShopOutput, error) {
	sh := shop.Shop{Channel: shop.Channel(in.Body.Channel), Name: strings.TrimSpace(in.Body.Name), Code: strings.TrimSpace(in.Body.Code)}
	if !slices.Contains(shop.Connected(), sh.Channel) {
		return nil, apperror.New(apperror.Invalid, "チャネルを一覧から選んでください。")
	}
	sh, err := h.deps.Store.CreateShop(ctx, sh)
	if err != nil {
		return nil, err
	}
	out := CreatedShop{Shop: shopOf(sh, h.now()), Rules: []Rule{}, Message: fmt.Sprintf("店舗「%s」を作成しました。続けて認証情報を設定してください。", sh.Name)}
	if !in.Body.WithoutRules && !principalOf(ctx).group.Allows(user.MenuWorkflow, user.Update) {
		out.RulesWithheld, out.Message = true, shopflow.Withheld(sh)
		return &createdShopOutput{Body: out}, nil
	}
	if !in.Body.WithoutRules {
		rules, err := shopflow.Offer(ctx, h.deps.Store, sh)
		if err != nil {
			return nil, err
		}
		for _, r := range rules {
			out.Rules = append(out.Rules, ruleOf(r))
		}
		if len(rules) > 0 {
			out.Message = shopflow.Created(sh, rules)
		}
	}
	return &createdShopOutput{Body: out}, nil
}

type updateShopInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"店舗ID"`
	Body struct {
		Name               string `json:"name" maxLength:"200" doc:"店舗名"`
		Code               string `json:"code" maxLength:"200" doc:"モールの店舗ID"`
		OverwriteSameOrder bool   `json:"overwrite_same_order" doc:"同一注文を上書きする (取込済みの注文をモールの内容で更新する)"`
	}
}

// updateShop saves a shop's name, code and whether an import overwrites orders it already
// has, as the UI's 店舗設定 form does. The channel never changes; credentials have their own
// operation.
func (h *Handler) updateShop(ctx context.Context, in *updateShopInput) (*shopOutput, error) {
	sh, err := h.deps.Store.GetShop(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	sh.Name, sh.Code, sh.OverwriteSameOrder = strings.TrimSpace(in.Body.Name), strings.TrimSpace(in.Body.Code), in.Body.OverwriteSameOrder
	if err := h.deps.Store.UpdateShop(ctx, sh); err != nil {
		return nil, err
	}
	if sh, err = h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	return &shopOutput{Body: shopOf(sh, h.now())}, nil
}

type setCredentialsInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"店舗ID"`
	Body struct {
		Credentials map[string]string `json:"credentials" doc:"キー → 値 (キーは店舗のチャネルのもの: serviceSecret, licenseKey, endpoint, apiKey, shopId, callsPerSecond)。空の値は保存済みの値のまま"`
		Clear       []string          `json:"clear,omitempty" maxItems:"20" doc:"削除する任意の認証情報のキー (必須のキーは削除できません)"`
		ExpireAt    *time.Time        `json:"expire_at,omitempty" doc:"認証情報の有効期限。有効期限のあるキー (licenseKey, apiKey) を変えると、指定しない限り不明に戻ります"`
	}
}

// CredentialsResult is a shop after its credentials were saved: which keys are set and their
// expiry, never the values.
type CredentialsResult struct {
	Shop    Shop   `json:"shop"`
	Message string `json:"message"`
}

type credentialsOutput struct{ Body CredentialsResult }

// setCredentials stores the credentials the request carries, as the UI's form does: a blank
// value keeps the stored one, an optional key is removed only when named in clear, replacing
// an expiring key makes the expiry unknown unless given, a new endpoint needs every secret
// entered again (shop.CheckDestinationChange), and a shop stopped by an auth error goes back
// to work.
func (h *Handler) setCredentials(ctx context.Context, in *setCredentialsInput) (*credentialsOutput, error) {
	sh, err := h.deps.Store.GetShop(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	keys := map[string]shop.CredentialKey{}
	for _, k := range sh.Channel.CredentialKeys() {
		keys[k.Name] = k
	}
	creds := shop.Credentials{}
	for k, v := range sh.Credentials.Plain() {
		creds[k] = v
	}
	var changed []string
	expiring := false
	names := make([]string, 0, len(in.Body.Credentials))
	for name := range in.Body.Credentials {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		v := strings.TrimSpace(in.Body.Credentials[name])
		if v == "" {
			continue
		}
		// A key entered again with its stored value (as a new endpoint asks) keeps its expiry.
		expiring = expiring || (keys[name].Expiring && creds[name] != v)
		creds[name] = v // a key the channel does not use is refused by CheckCredentials
		changed = append(changed, name)
	}
	for _, name := range in.Body.Clear {
		k, ok := keys[name]
		switch {
		case !ok:
			return nil, apperror.New(apperror.Invalid, "%sの店舗では「%s」という認証情報は使いません。", sh.Channel.Label(), name)
		case k.Required:
			return nil, apperror.New(apperror.Invalid, "「%s」は必須のため削除できません。新しい値を送ってください。", k.Label)
		case creds[name] != "":
			delete(creds, name)
			changed = append(changed, name+"(削除)")
		}
	}
	expiry := sh.CredentialsExpireAt
	if expiring {
		expiry = time.Time{} // a new key's expiry is unknown until given or read from the marketplace
	}
	if in.Body.ExpireAt != nil {
		expiry = *in.Body.ExpireAt
		changed = append(changed, "有効期限")
	}
	if len(changed) == 0 {
		return nil, apperror.New(apperror.Invalid,
			"変更する認証情報を送ってください。保存済みの値は返さないため、変更しない項目は送らないか空のままで構いません。")
	}
	if err := sh.Channel.CheckCredentials(creds); err != nil {
		return nil, err
	}
	if err := sh.Channel.CheckDestinationChange(sh.Credentials, creds, changed); err != nil {
		return nil, err
	}
	if err := h.deps.Store.SetShopCredentials(ctx, sh.ID, creds, expiry); err != nil {
		return nil, err
	}
	msg := "認証情報を保存しました(" + strings.Join(changed, "、") + ")。"
	if sh.Status == shop.AuthError {
		msg += "認証エラーを解除したので、止まっていた自動処理は再開します。"
	} else {
		msg += "次の自動処理から新しい認証情報を使います。"
	}
	saved, err := h.deps.Store.GetShop(ctx, sh.ID)
	if err != nil {
		return nil, err
	}
	return &credentialsOutput{Body: CredentialsResult{Shop: shopOf(saved, h.now()), Message: msg}}, nil
}

type importRangeInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"店舗ID"`
	Body struct {
		From      time.Time `json:"from" doc:"取込期間の開始日時 (RFC 3339)。730日前以降"`
		To        time.Time `json:"to" doc:"取込期間の終了日時 (RFC 3339, 含まない)。未来は不可"`
		Overwrite bool      `json:"overwrite,omitempty" doc:"ichigen にある注文をモールの内容で上書きする (同一注文の上書き)。false ならモールのステータスと入金状況だけ更新"`
	}
}

// ImportQueued is an on-demand import as queued.
type ImportQueued struct {
	JobID   int64  `json:"job_id"`
	Message string `json:"message"`
}

type importQueuedOutput struct{ Body ImportQueued }

// importRange queues an import of the shop's orders of a date range (jobs.ImportRangeArgs), as
// `ichigen import` does; a running ichigen works it beside the shop's import rule.
func (h *Handler) importRange(ctx context.Context, in *importRangeInput) (*importQueuedOutput, error) {
	sh, err := h.deps.Store.GetShop(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	id, err := h.deps.Queue.ImportRange(ctx, jobs.ImportRangeArgs{ShopID: sh.ID, From: in.Body.From, To: in.Body.To, Overwrite: in.Body.Overwrite}, h.now())
	if err != nil {
		return nil, err
	}
	return &importQueuedOutput{Body: ImportQueued{JobID: id,
		Message: "店舗「" + sh.Name + "」の期間指定の受注取込を登録しました。まもなく取り込みます。"}}, nil
}

type connectionTestInput struct {
	ID int64 `path:"id" minimum:"1" doc:"店舗ID"`
}

// ConnectionTest is what 接続テスト found.
type ConnectionTest struct {
	OK      bool   `json:"ok" doc:"モールが認証情報を受け付けたか"`
	Message string `json:"message" doc:"結果と、失敗ならすること"`
}

type connectionTestOutput struct{ Body ConnectionTest }

// testConnection is the UI's 接続テスト: one harmless read of the shop's orders through its
// client (paced on its quota, in 連携履歴), and what is wrong if it fails. A failed test is an
// answer, not an error: 200 with ok false.
func (h *Handler) testConnection(ctx context.Context, in *connectionTestInput) (*connectionTestOutput, error) {
	sh, err := h.deps.Store.GetShop(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if err := sh.Channel.CheckCredentials(sh.Credentials); err != nil {
		return nil, apperror.New(apperror.Invalid, "認証情報がまだ揃っていません(%s)。先に認証情報を保存してから接続テストしてください。", apperror.MessageOf(err))
	}
	if h.deps.Client == nil {
		return nil, apperror.New(apperror.Invalid, "このサーバーからはモールに接続できません。")
	}
	client, err := h.deps.Client(sh)
	if err != nil {
		return nil, apperror.New(apperror.Invalid, "%s", err.Error())
	}
	v := shopflow.CheckConnection(ctx, client, sh, h.now())
	return &connectionTestOutput{Body: ConnectionTest{OK: v.OK, Message: v.Message}}, nil
}
