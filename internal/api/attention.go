package api

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Attention is what needs the operator (要対応), as the UI's start page shows it.
type Attention struct {
	NeedsAttention  bool            `json:"needs_attention" doc:"対応が必要なものがある (false なら「対応が必要なものはありません」)"`
	Shops           []ShopAttention `json:"shops" doc:"すべての店舗 (店舗設定の順)"`
	ErrorGroups     []ErrorGroup    `json:"error_groups" doc:"連携エラーの注文を店舗・連携ステータス・連携メッセージでまとめたもの。注文の多い順、店舗ごとに最大20"`
	MoreErrorGroups bool            `json:"more_error_groups" doc:"どこかの店舗にほかにもまとまりがある (注文の少ないものは省いています。shops[].more_error_groups でどの店舗かわかります)"`
}

// ShopAttention is one shop's credentials and stopped rules.
type ShopAttention struct {
	ShopID                 int64         `json:"shop_id"`
	ShopName               string        `json:"shop_name"`
	Channel                string        `json:"channel"`
	NeedsAttention         bool          `json:"needs_attention" doc:"この店舗に対応が必要なものがある"`
	Status                 string        `json:"status" enum:"active,auth_error" doc:"auth_error: 認証エラーで自動処理が止まっている"`
	StatusMessage          string        `json:"status_message"`
	CredentialsExpireAt    *time.Time    `json:"credentials_expire_at,omitempty" doc:"認証情報の有効期限 (わかっている場合)"`
	CredentialsDaysLeft    *int          `json:"credentials_days_left,omitempty" doc:"有効期限までの日数 (1日未満も1日。切れていれば0以下。期限がわからなければなし)"`
	CredentialsExpireSoon  bool          `json:"credentials_expire_soon" doc:"有効期限まで14日以内、または切れている"`
	MissingCredentials     []string      `json:"missing_credentials" doc:"未設定の必須の認証情報のキー名"`
	StoppedRules           []StoppedRule `json:"stopped_rules" doc:"停止中の自動処理"`
	OverdueRules           []OverdueRule `json:"overdue_rules" doc:"開始中なのに最後の成功から時間がたちすぎている定期実行の自動処理 (受注取込・決済審査結果確認・注文情報ステータス取得)"`
	Backlogs               []RuleBacklog `json:"backlogs" doc:"開始中の決済審査結果確認・注文情報ステータス取得で待っている注文が多いもの: 件数、全件を1回確認する呼び出し回数と時間 (古い注文から順に確認)"`
	Calls                  CallUse       `json:"calls" doc:"直近1時間のモールAPIの呼び出し"`
	MoreErrorGroups        bool          `json:"more_error_groups" doc:"この店舗には、error_groups に含めなかった件数の少ないまとまりもある"`
	UnfixedPostage         PostageWaits  `json:"unfixed_postage" doc:"送料が未確定 (楽天の-9999) のまま注文確認待ちの注文。送料が確定するまで注文確認できず、モールが一定日数でキャンセルします"`
	ExpiringAuthorizations CaptureWaits  `json:"expiring_authorizations" doc:"自社カート: 仮売上のまま、注文から58日の売上確定の期限まで7日以内の注文。期限を過ぎると仮売上期限切れになり、ヤマト運輸から入金されません"`
}

// CallUse is a shop's calls of the last hour against the pace its marketplace allows.
type CallUse struct {
	CallsPerSecond float64 `json:"calls_per_second" doc:"モールが認証情報ごとに許す1秒あたりの呼び出し回数 (ichigen はこれを超えません)。連携しないチャネルは0"`
	LastHour       int64   `json:"last_hour" doc:"直近1時間の呼び出し回数"`
	QuotaUse       float64 `json:"quota_use" doc:"直近1時間の呼び出しが上限に占める割合 (1 = 上限まで使った)"`
	Throttled      int64   `json:"throttled" doc:"直近1時間に上限超過 (HTTP 429) で断られた呼び出し (自動で再試行しています)"`
	Failed         int64   `json:"failed" doc:"直近1時間に成功しなかった呼び出し (429を含む。連携履歴で内容を確認できます)"`
}

// StoppedRule is a stopped automation rule with the orders waiting for it.
type StoppedRule struct {
	ID            int64  `json:"id"`
	Kind          string `json:"kind"`
	KindLabel     string `json:"kind_label" example:"出荷情報反映"`
	TargetPhaseID int64  `json:"target_phase_id,omitempty"`
	Waiting       int64  `json:"waiting" doc:"対象処理フェーズにある注文の件数 (10,000件を超えるときは10,000で、waiting_cappedがtrue)"`
	WaitingCapped bool   `json:"waiting_capped"`
	Blocking      bool   `json:"blocking" doc:"注文が止まっている (対象処理フェーズに注文がある、または受注取込)"`
}

// ErrorGroup is the orders of one shop that failed alike: one error link status, one message.
type ErrorGroup struct {
	ShopID          int64       `json:"shop_id"`
	ShopName        string      `json:"shop_name"`
	LinkStatus      string      `json:"link_status"`
	LinkStatusLabel string      `json:"link_status_label" example:"発送完了報告エラー"`
	LinkMessage     string      `json:"link_message"`
	Count           int64       `json:"count" doc:"注文の件数 (10,000件を超えるときは10,000で、count_cappedがtrue)"`
	CountCapped     bool        `json:"count_capped"`
	NewestOrderedAt time.Time   `json:"newest_ordered_at" doc:"いちばん新しい注文の注文日時"`
	Filter          OrderFilter `json:"filter" doc:"この注文だけを探す検索条件: GET /orders のクエリ、または一括処理の filter にそのまま使えます"`
}

type attentionOutput struct{ Body Attention }

// getAttention answers 要対応: per shop the credentials' health and the stopped rules, and the
// orders in error grouped by cause, each with the filter that finds exactly them.
func (h *Handler) getAttention(ctx context.Context, _ *struct{}) (*attentionOutput, error) {
	r, err := attention.Gather(ctx, h.deps.Store, h.now())
	if err != nil {
		return nil, err
	}
	out := &attentionOutput{Body: Attention{NeedsAttention: r.Needed(), Shops: make([]ShopAttention, 0, len(r.Shops)),
		ErrorGroups: []ErrorGroup{}, MoreErrorGroups: r.MoreErrors}}
	names := make(map[int64]string, len(r.Shops))
	for _, s := range r.Shops {
		sa := ShopAttention{ShopID: s.Shop.ID, ShopName: s.Shop.Name, Channel: string(s.Shop.Channel), NeedsAttention: s.Needed(),
			Status: string(s.Shop.Status), StatusMessage: s.Shop.StatusMessage, CredentialsExpireAt: timePtr(s.Shop.CredentialsExpireAt),
			CredentialsExpireSoon: s.ExpireSoon, MissingCredentials: []string{}, StoppedRules: []StoppedRule{},
			Calls: CallUse{CallsPerSecond: s.CallsPerSecond, LastHour: s.LastHour.Calls, QuotaUse: s.QuotaUse(),
				Throttled: s.LastHour.Throttled, Failed: s.LastHour.Failed}, MoreErrorGroups: s.MoreErrors, OverdueRules: overdueRulesOf(s)}
		if s.ExpiryKnown {
			days := s.DaysLeft
			sa.CredentialsDaysLeft = &days
		}
		for _, k := range s.Missing {
			sa.MissingCredentials = append(sa.MissingCredentials, k.Name)
		}
		for _, r := range s.Stopped {
			sa.StoppedRules = append(sa.StoppedRules, StoppedRule{ID: r.Rule.ID, Kind: string(r.Rule.Kind), KindLabel: r.Rule.Kind.Label(),
				TargetPhaseID: r.Rule.TargetPhaseID, Waiting: min(r.Waiting, store.CountCap), WaitingCapped: store.Capped(r.Waiting), Blocking: r.Blocking()})
		}
		sa.UnfixedPostage = postageWaitsOf(s)
		sa.Backlogs = backlogsOf(s)
		sa.ExpiringAuthorizations = captureWaitsOf(s, h.deps.Now())
		out.Body.Shops = append(out.Body.Shops, sa)
		names[s.Shop.ID] = s.Shop.Name
	}
	for _, g := range r.Errors {
		out.Body.ErrorGroups = append(out.Body.ErrorGroups, errorGroupOf(g, names[g.ShopID]))
	}
	return out, nil
}

// errorGroupOf shows a group with the filter that finds exactly its orders.
func errorGroupOf(g store.LinkErrorGroup, shopName string) ErrorGroup {
	message := g.LinkMessage
	if message == "" {
		message = linkNone
	}
	return ErrorGroup{ShopID: g.ShopID, ShopName: shopName, LinkStatus: g.LinkStatus, LinkStatusLabel: workflow.LinkStatus(g.LinkStatus).Label(),
		LinkMessage: g.LinkMessage, Count: min(g.Count, store.CountCap), CountCapped: store.Capped(g.Count), NewestOrderedAt: g.Newest,
		Filter: OrderFilter{Shop: g.ShopID, LinkStatus: g.LinkStatus, LinkMessage: message}}
}
