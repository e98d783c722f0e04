package api

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// RulePreview is what a rule would do now on its shop's orders, nothing sent (プレビュー).
type RulePreview struct {
	Kind string `json:"kind"`
	// Waiting counts the orders in the target phase; Orders are the first round's.
	Waiting   int64              `json:"waiting" doc:"対象処理フェーズの注文数"`
	BatchSize int                `json:"batch_size" doc:"1回の処理で扱う最大件数"`
	Orders    []RulePreviewOrder `json:"orders" doc:"最初の1回で扱う注文と、それぞれの結果"`
	Calls     []RulePreviewCall  `json:"calls" doc:"送信する呼び出し (送信はしていません。read_through では読み取りだけ送信済み。認証情報は含みません)"`
	MoreCalls bool               `json:"more_calls,omitempty"`
	From      *time.Time         `json:"from,omitempty" doc:"受注取込: 次に読む期間の始まり"`
	To        *time.Time         `json:"to,omitempty" doc:"受注取込: 次に読む期間の終わり"`
	Problem   string             `json:"problem,omitempty" doc:"店舗のクライアントを作れなかった理由 (認証情報の未入力など)。呼び出しは表示されません"`
	// Backlog is what waits beyond the first round; nil when the first round takes every order.
	Backlog *RulePreviewBacklog `json:"backlog,omitempty" doc:"最初の1回のほかに待っている注文と、一巡に要る回数・時間"`
	// ReadThrough says the reads were sent (read_through=true): the writes are those decided on
	// the marketplace's real answers.
	ReadThrough bool `json:"read_through,omitempty" doc:"true: 読み取りはモールへ送り連携履歴に記録した (更新は送信していない)"`
}

// RulePreviewBacklog is what waits beyond a preview's first round and what taking it needs.
type RulePreviewBacklog struct {
	Beyond        int64   `json:"beyond" doc:"最初の1回のほかに待っている注文数"`
	AtLeast       bool    `json:"at_least,omitempty" doc:"true: 件数が数えられる上限を超え、実際はさらに多い"`
	Rounds        int64   `json:"rounds" doc:"待っている注文を一巡するのに要る回数 (1回目を含む)"`
	CallsPerRound int     `json:"calls_per_round" doc:"1回あたりの呼び出し数 (1回目と同じとして)"`
	Seconds       float64 `json:"seconds,omitempty" doc:"モールの上限の速さで一巡に少なくともかかる秒数 (見積もれないときは省略)"`
	Message       string  `json:"message"`
}

// RulePreviewOrder is one order of a preview and what the rule would do with it.
type RulePreviewOrder struct {
	OrderID      int64  `json:"order_id"`
	Number       string `json:"number"`
	LinkStatus   string `json:"link_status"`
	Outcome      string `json:"outcome" enum:"send,pass,refuse,skip,wait" doc:"send: 送信する、pass: 送信せずに成功扱い、refuse: 送信せずにエラー、skip: 対象外、wait: 前回の送信の結果待ち"`
	OutcomeLabel string `json:"outcome_label"`
	// NewLinkStatus is the link status a refusal sets.
	NewLinkStatus string `json:"new_link_status,omitempty" doc:"refuse: 設定される連携ステータス"`
	Message       string `json:"message,omitempty" doc:"理由・連携メッセージ"`
}

// RulePreviewCall is a call the rule would make.
type RulePreviewCall struct {
	Operation string  `json:"operation"`
	Write     bool    `json:"write" doc:"true: 注文を更新する呼び出し"`
	OrderIDs  []int64 `json:"order_ids"`
	Request   string  `json:"request" doc:"リクエスト本文、または読み取りのメソッドとパス"`
	Sent      bool    `json:"sent,omitempty" doc:"true: read_through で実際に送った読み取り"`
}

type previewSavedInput struct {
	ID          int64 `path:"id" minimum:"1" doc:"自動処理ID"`
	ReadThrough bool  `query:"read_through" doc:"true: 読み取りだけは実際にモールへ送り (連携履歴に記録)、その結果で送る更新を表示する。更新は送信しない。受注取込には効かない"`
}

type rulePreviewOutput struct{ Body RulePreview }

// previewSavedRule previews a saved rule, started or not.
func (h *Handler) previewSavedRule(ctx context.Context, in *previewSavedInput) (*rulePreviewOutput, error) {
	rule, err := h.deps.Store.GetRule(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if in.ReadThrough {
		if ctx, err = readThrough(ctx); err != nil {
			return nil, err
		}
	}
	return h.previewRule(ctx, rule)
}

type previewDraftInput struct {
	ID            int64  `path:"id" minimum:"1" doc:"店舗ID"`
	Kind          string `query:"kind" required:"true" enum:"import,confirm,payment_review,status_fetch,ship_report,complete,capture,mail" doc:"自動処理の種類"`
	TargetPhaseID int64  `query:"target_phase_id" minimum:"0" doc:"対象処理フェーズ"`
	ReadThrough   bool   `query:"read_through" doc:"true: 読み取りだけは実際にモールへ送り (連携履歴に記録)、その結果で送る更新を表示する。更新は送信しない"`
}

// previewDraftRule previews a rule before it is saved.
func (h *Handler) previewDraftRule(ctx context.Context, in *previewDraftInput) (*rulePreviewOutput, error) {
	if in.ReadThrough {
		var err error
		if ctx, err = readThrough(ctx); err != nil {
			return nil, err
		}
	}
	return h.previewRule(ctx, workflow.Rule{ShopID: in.ID, Kind: workflow.JobKind(in.Kind), TargetPhaseID: in.TargetPhaseID})
}

func (h *Handler) previewRule(ctx context.Context, rule workflow.Rule) (*rulePreviewOutput, error) {
	p, _, err := jobs.PreviewShopRule(ctx, h.deps.Store, h.deps.Client, rule, h.now())
	if err != nil {
		return nil, err
	}
	out := &rulePreviewOutput{Body: RulePreview{Kind: string(p.Kind), Waiting: p.Waiting, BatchSize: p.BatchSize, MoreCalls: p.MoreCalls, Problem: p.Problem,
		Orders: make([]RulePreviewOrder, len(p.Rows)), Calls: make([]RulePreviewCall, len(p.Calls))}}
	for i, r := range p.Rows {
		out.Body.Orders[i] = RulePreviewOrder{OrderID: r.Order.ID, Number: r.Order.Number, LinkStatus: r.Order.LinkStatus, Outcome: string(r.Outcome),
			OutcomeLabel: r.Outcome.Label(), NewLinkStatus: r.LinkStatus, Message: r.Message}
	}
	for i, c := range p.Calls {
		out.Body.Calls[i] = RulePreviewCall{Operation: c.Op, Write: c.Write, OrderIDs: c.OrderIDs, Request: c.Request, Sent: c.Sent}
	}
	out.Body.ReadThrough = p.ReadThrough
	if b := p.Backlog; b.Beyond > 0 {
		out.Body.Backlog = &RulePreviewBacklog{Beyond: b.Beyond, AtLeast: b.AtLeast, Rounds: b.Rounds, CallsPerRound: b.CallsPerRound,
			Seconds: b.Duration.Seconds(), Message: p.BacklogMessage()}
	}
	if rule.Kind == workflow.JobImport {
		out.Body.From, out.Body.To = timePtr(p.From), timePtr(p.To)
	}
	return out, nil
}

// readThrough lets a preview send its reads: they spend the marketplace's quota and are recorded
// in 連携履歴, so it takes 自動処理 update rights, not the preview's view rights.
func readThrough(ctx context.Context) (context.Context, error) {
	if !principalOf(ctx).group.Allows(user.MenuWorkflow, user.Update) {
		return ctx, apperror.New(apperror.Forbidden, "読み取りを実際に行うプレビューは、モールの呼び出し回数を使うため自動処理の更新権限が必要です。管理者に権限グループの設定を依頼してください。")
	}
	return jobs.WithReadThrough(ctx), nil
}
