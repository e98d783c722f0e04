package web

import (
	"net/http"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// rulePreviewPath shows what a rule would do now, sending nothing (プレビュー).
const rulePreviewPath = "/settings/rules/preview"

// rulePreviewView is a rule's preview on its shop's orders.
type rulePreviewView struct {
	Cat     *catalog
	Shop    shop.Shop
	Rule    workflow.Rule
	Preview jobs.Preview
	// ReadThroughURL is this preview again with its reads sent (read=1).
	ReadThroughURL string
	// CanReadThrough: the user may send the reads (自動処理 update rights).
	CanReadThrough bool
}

// previewRulePath is the preview of a saved rule.
func previewRulePath(id int64) string { return rulePreviewPath + "?rule=" + i64toa(id) }

// previewRule shows what a rule would do now on the shop's orders in its target phase: which it
// would take, pass, refuse (and why) or leave, and the requests it would send, without sending
// anything (jobs.PreviewRule). The rule is a saved one (rule=ID) or the rule form as entered
// (shop_id, kind, target_phase_id), so an operator sees it before saving or starting it. It is a
// read: nothing is stored, sent, or recorded in the call history.
func (h *Handler) previewRule(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cat, err := h.loadCatalog(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var rule workflow.Rule
	if id, perr := strconv.ParseInt(q.Get("rule"), 10, 64); perr == nil {
		if rule, err = h.deps.Store.GetRule(ctx, id); err != nil {
			h.fail(w, r, err)
			return
		}
	} else {
		num := func(name string) int64 { n, _ := strconv.ParseInt(q.Get(name), 10, 64); return n }
		rule = workflow.Rule{ShopID: num("shop_id"), Kind: workflow.JobKind(q.Get("kind")), TargetPhaseID: num("target_phase_id")}
	}
	pctx := ctx
	if q.Get("read") == "1" {
		if !canUpdate(ctx, user.MenuWorkflow) { // the reads spend the quota: update rights, not view
			h.fail(w, r, apperror.New(apperror.Forbidden, "読み取りを実際に行うプレビューは、モールの呼び出し回数を使うため自動処理の更新権限が必要です。管理者に権限グループの設定を依頼してください。"))
			return
		}
		pctx = jobs.WithReadThrough(ctx) // reads only, and recorded: never a write
	}
	preview, sh, err := jobs.PreviewShopRule(pctx, h.deps.Store, h.deps.Client, rule, h.deps.Now())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rq := r.URL.Query()
	rq.Set("read", "1")
	v := rulePreviewView{Cat: cat, Shop: sh, Rule: rule, Preview: preview, ReadThroughURL: rulePreviewPath + "?" + rq.Encode(), CanReadThrough: canUpdate(ctx, user.MenuWorkflow)}
	if r.Header.Get("HX-Request") == "true" {
		h.render(w, r, http.StatusOK, rulePreview(v))
		return
	}
	h.render(w, r, http.StatusOK, rulePreviewPage(v))
}

// previewOutcomes are the outcomes in the order the preview counts them.
var previewOutcomes = []jobs.Outcome{jobs.OutcomeSend, jobs.OutcomePass, jobs.OutcomeRefuse, jobs.OutcomeSkip, jobs.OutcomeWait}
