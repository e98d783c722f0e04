package api

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// outcomeLabels are the outcomes as 連携履歴 names them.
var outcomeLabels = map[channel.Outcome]string{
	channel.OutcomeOK: "成功", channel.OutcomeRejected: "拒否", channel.OutcomeRetry: "一時エラー(再試行)",
	channel.OutcomeUnknown: "結果不明(読み戻し)", channel.OutcomeAuth: "認証エラー",
}

// CallSummary is one row of the API call history (連携履歴).
type CallSummary struct {
	ID           int64     `json:"id"`
	At           time.Time `json:"at"`
	ShopID       int64     `json:"shop_id"`
	OrderID      int64     `json:"order_id,omitempty"`
	JobKind      string    `json:"job_kind"`
	JobKindLabel string    `json:"job_kind_label"`
	Operation    string    `json:"operation" example:"confirmOrder"`
	Outcome      string    `json:"outcome" enum:"ok,rejected,transient,unknown,auth"`
	OutcomeLabel string    `json:"outcome_label"`
	HTTPStatus   int       `json:"http_status"`
	ErrorCode    string    `json:"error_code"`
	ErrorMessage string    `json:"error_message"`
	DurationMs   int64     `json:"duration_ms"`
}

func callSummaryOf(c channel.Call) CallSummary {
	label := ""
	if c.JobKind != "" {
		label = workflow.JobKind(c.JobKind).Label()
	}
	outcome := outcomeLabels[c.Outcome]
	if outcome == "" {
		outcome = string(c.Outcome)
	}
	return CallSummary{ID: c.ID, At: c.At, ShopID: c.ShopID, OrderID: c.OrderID, JobKind: c.JobKind, JobKindLabel: label, Operation: c.Operation,
		Outcome: string(c.Outcome), OutcomeLabel: outcome, HTTPStatus: c.HTTPStatus, ErrorCode: c.ErrorCode, ErrorMessage: c.ErrorMessage,
		DurationMs: c.Duration.Milliseconds()}
}

type listCallsInput struct {
	Shop     int64  `query:"shop" minimum:"1" doc:"店舗ID"`
	Order    int64  `query:"order" minimum:"1" doc:"注文ID"`
	JobKind  string `query:"job_kind" doc:"処理 (import, confirm, payment_review, status_fetch, ship_report, complete, refetch など)"`
	Outcome  string `query:"outcome" enum:"ok,rejected,transient,unknown,auth" doc:"結果"`
	From     string `query:"from" format:"date" doc:"期間の開始 (日本時間、この日を含む)"`
	To       string `query:"to" format:"date" doc:"期間の終了 (日本時間、この日を含む)"`
	Page     int    `query:"page" default:"1" minimum:"1"`
	PageSize int    `query:"page_size" default:"100" minimum:"1" maximum:"1000"`
}

type callsOutput struct {
	Body struct {
		Calls    []CallSummary `json:"calls" doc:"新しい順"`
		Page     int           `json:"page"`
		PageSize int           `json:"page_size"`
	}
}

// listCalls searches the API call history, newest first.
func (h *Handler) listCalls(ctx context.Context, in *listCallsInput) (*callsOutput, error) {
	q := store.CallQuery{ShopID: in.Shop, OrderID: in.Order, JobKind: in.JobKind, Outcome: channel.Outcome(in.Outcome), Page: in.Page, PageSize: in.PageSize}
	var err error
	if q.From, err = order.ParseDay(in.From, "期間(開始)"); err != nil {
		return nil, err
	}
	if q.To, err = order.ParseDay(in.To, "期間(終了)"); err != nil {
		return nil, err
	}
	if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1)
	}
	calls, err := h.deps.Store.ListCalls(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &callsOutput{}
	_, out.Body.PageSize, _ = store.Normalise(in.Page, in.PageSize)
	out.Body.Page = max(in.Page, 1)
	out.Body.Calls = make([]CallSummary, len(calls))
	for i, c := range calls {
		out.Body.Calls[i] = callSummaryOf(c)
	}
	return out, nil
}

// Call is one marketplace call with its request and the marketplace's answer, as recorded:
// the channel clients redact credentials before a call is stored.
type Call struct {
	CallSummary
	Request  string `json:"request" doc:"送ったリクエスト (認証情報はマスク済み)"`
	Response string `json:"response" doc:"モールの応答"`
}

type callInput struct {
	ID int64 `path:"id" minimum:"1" doc:"連携履歴ID"`
}

type callOutput struct{ Body Call }

func (h *Handler) getCall(ctx context.Context, in *callInput) (*callOutput, error) {
	c, err := h.deps.Store.GetCall(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &callOutput{Body: Call{CallSummary: callSummaryOf(c), Request: c.Request, Response: c.Response}}, nil
}
