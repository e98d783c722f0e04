package api

import (
	"context"
	"time"

	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Phase is a processing phase (処理フェーズ): the company's, shared by every shop (seed 000).
type Phase struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Position int64  `json:"position" doc:"表示順"`
	// ExpectedHours is how long an order should stay in the phase; 要対応 counts each shop's
	// orders held in it longer.
	ExpectedHours int64 `json:"expected_hours" doc:"想定滞留時間(時間)。これより長く留まる注文を要対応が店舗ごとに数える。0は制限なし"`
}

type phasesOutput struct {
	Body struct {
		Phases []Phase `json:"phases"`
	}
}

// phases answers the phases in order.
func (h *Handler) phases(ctx context.Context) (*phasesOutput, error) {
	list, err := h.deps.Store.ListPhases(ctx)
	if err != nil {
		return nil, err
	}
	out := &phasesOutput{}
	out.Body.Phases = make([]Phase, len(list))
	for i, p := range list {
		out.Body.Phases[i] = Phase(p)
	}
	return out, nil
}

func (h *Handler) listPhases(ctx context.Context, _ *struct{}) (*phasesOutput, error) {
	return h.phases(ctx)
}

// PhaseName is a new or changed phase's name.
type PhaseName struct {
	Name string `json:"name" minLength:"1" maxLength:"200" doc:"処理フェーズ名 (40文字以内)"`
}

type createPhaseInput struct {
	Body PhaseName
}

type phaseOutput struct{ Body Phase }

// createPhase adds a phase at the end of the list; import goes on meanwhile.
func (h *Handler) createPhase(ctx context.Context, in *createPhaseInput) (*phaseOutput, error) {
	p, err := h.deps.Store.CreatePhase(ctx, in.Body.Name)
	if err != nil {
		return nil, err
	}
	return &phaseOutput{Body: Phase(p)}, nil
}

type renamePhaseInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"処理フェーズID"`
	Body PhaseName
}

func (h *Handler) renamePhase(ctx context.Context, in *renamePhaseInput) (*phaseOutput, error) {
	if err := h.deps.Store.RenamePhase(ctx, in.ID, in.Body.Name); err != nil {
		return nil, err
	}
	c, err := h.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	return &phaseOutput{Body: Phase(c.phase[in.ID])}, nil
}

type deletePhaseInput struct {
	ID int64 `path:"id" minimum:"1" doc:"処理フェーズID"`
}

// deletePhase deletes a phase that no order of any shop is in, no shop's rule uses, and that is
// not the first (imports fill it): 204. Otherwise the store's refusal, a 409 problem document,
// says every reason and what to do. The orders' histories keep the phase's name.
func (h *Handler) deletePhase(ctx context.Context, in *deletePhaseInput) (*struct{}, error) {
	c, err := h.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	if err := h.deps.Store.DeletePhase(ctx, in.ID); err != nil {
		return nil, err
	}
	p := c.phase[in.ID]
	h.deps.Logger.Info("phase deleted", "phase", in.ID, "name", p.Name, "by", principalOf(ctx).user.Login)
	return nil, nil
}

type reorderPhasesInput struct {
	Body struct {
		IDs []int64 `json:"ids" minItems:"1" maxItems:"1000" doc:"処理フェーズIDすべてを新しい順番で"`
	}
}

func (h *Handler) reorderPhases(ctx context.Context, in *reorderPhasesInput) (*phasesOutput, error) {
	if err := h.deps.Store.ReorderPhases(ctx, in.Body.IDs); err != nil {
		return nil, err
	}
	return h.phases(ctx)
}

// Rule is an automation rule (自動処理).
type Rule struct {
	ID              int64      `json:"id"`
	ShopID          int64      `json:"shop_id"`
	Kind            string     `json:"kind"`
	KindLabel       string     `json:"kind_label"`
	TargetPhaseID   int64      `json:"target_phase_id,omitempty" doc:"対象処理フェーズ"`
	SuccessPhaseID  int64      `json:"success_phase_id,omitempty" doc:"成功時の移動先処理フェーズ (なし: 注文は対象処理フェーズに残る)"`
	ErrorPhaseID    int64      `json:"error_phase_id,omitempty" doc:"エラー時の移動先処理フェーズ (なし: 注文は対象処理フェーズに残る)"`
	Enabled         bool       `json:"enabled" doc:"true: 開始、false: 停止"`
	IntervalSeconds int64      `json:"interval_seconds" doc:"定期実行の間隔 (受注取込・ステータス取得・決済審査)"`
	LastRunAt       *time.Time `json:"last_run_at,omitempty"`
	NextRunAt       *time.Time `json:"next_run_at,omitempty"`
	MailTemplateID  int64      `json:"mail_template_id,omitempty" doc:"メール送信: 送信するメールテンプレート"`
}

func ruleOf(r workflow.Rule) Rule {
	return Rule{ID: r.ID, ShopID: r.ShopID, Kind: string(r.Kind), KindLabel: r.Kind.Label(), TargetPhaseID: r.TargetPhaseID,
		SuccessPhaseID: r.SuccessPhaseID, ErrorPhaseID: r.ErrorPhaseID, Enabled: r.Enabled, IntervalSeconds: int64(r.Interval / time.Second),
		LastRunAt: timePtr(r.LastRunAt), NextRunAt: timePtr(r.NextRunAt), MailTemplateID: r.MailTemplateID}
}

// RuleInput is a rule as the client saves it.
type RuleInput struct {
	Kind            string `json:"kind" enum:"import,confirm,payment_review,status_fetch,ship_report,complete,capture,mail" doc:"自動処理の種類 (店舗のチャネルが使えるもの。mail はメール送信で、どの店舗でも使えます)"`
	TargetPhaseID   int64  `json:"target_phase_id,omitempty" minimum:"0" doc:"対象処理フェーズ (受注取込では取り込んだ注文を入れるフェーズ、省略可)"`
	SuccessPhaseID  int64  `json:"success_phase_id,omitempty" minimum:"0" doc:"成功時の移動先処理フェーズ (省略可: 注文は対象処理フェーズに残り、移動するまで再び処理されない)"`
	ErrorPhaseID    int64  `json:"error_phase_id,omitempty" minimum:"0" doc:"エラー時の移動先処理フェーズ (省略可: 同上)"`
	Enabled         bool   `json:"enabled,omitempty" doc:"true で開始"`
	IntervalSeconds int64  `json:"interval_seconds,omitempty" minimum:"0" maximum:"86400" doc:"定期実行の間隔 (秒)。省略時 300"`
	MailTemplateID  int64  `json:"mail_template_id,omitempty" minimum:"0" doc:"メール送信: 送信するメールテンプレート (必須)"`
}

func (in RuleInput) rule(id, shopID int64) workflow.Rule {
	return workflow.Rule{ID: id, ShopID: shopID, Kind: workflow.JobKind(in.Kind), TargetPhaseID: in.TargetPhaseID,
		SuccessPhaseID: in.SuccessPhaseID, ErrorPhaseID: in.ErrorPhaseID, Enabled: in.Enabled,
		Interval: time.Duration(in.IntervalSeconds) * time.Second, MailTemplateID: in.MailTemplateID}
}

type rulesOutput struct {
	Body struct {
		Rules []Rule `json:"rules"`
	}
}

func (h *Handler) listRules(ctx context.Context, in *shopInput) (*rulesOutput, error) {
	if _, err := h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	rules, err := h.deps.Store.ListRules(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &rulesOutput{}
	out.Body.Rules = make([]Rule, len(rules))
	for i, r := range rules {
		out.Body.Rules[i] = ruleOf(r)
	}
	return out, nil
}

type ruleOutput struct{ Body Rule }

type createRuleInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"店舗ID"`
	Body RuleInput
}

func (h *Handler) createRule(ctx context.Context, in *createRuleInput) (*ruleOutput, error) {
	if _, err := h.deps.Store.GetShop(ctx, in.ID); err != nil {
		return nil, err
	}
	r, err := h.deps.Store.SaveRule(ctx, in.Body.rule(0, in.ID))
	if err != nil {
		return nil, err
	}
	return h.rule(ctx, r.ID)
}

type ruleIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"自動処理ID"`
}

type updateRuleInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"自動処理ID"`
	Body RuleInput
}

// updateRule saves every field of a rule; its shop stays.
func (h *Handler) updateRule(ctx context.Context, in *updateRuleInput) (*ruleOutput, error) {
	old, err := h.deps.Store.GetRule(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	if _, err := h.deps.Store.SaveRule(ctx, in.Body.rule(old.ID, old.ShopID)); err != nil {
		return nil, err
	}
	return h.rule(ctx, in.ID)
}

func (h *Handler) rule(ctx context.Context, id int64) (*ruleOutput, error) {
	r, err := h.deps.Store.GetRule(ctx, id)
	if err != nil {
		return nil, err
	}
	return &ruleOutput{Body: ruleOf(r)}, nil
}

// setRuleEnabled starts (開始) or stops (停止) a rule.
func (h *Handler) setRuleEnabled(ctx context.Context, id int64, enabled bool) (*ruleOutput, error) {
	if err := h.deps.Store.SetRuleEnabled(ctx, id, enabled); err != nil {
		return nil, err
	}
	return h.rule(ctx, id)
}

func (h *Handler) startRule(ctx context.Context, in *ruleIDInput) (*ruleOutput, error) {
	return h.setRuleEnabled(ctx, in.ID, true)
}

func (h *Handler) stopRule(ctx context.Context, in *ruleIDInput) (*ruleOutput, error) {
	return h.setRuleEnabled(ctx, in.ID, false)
}
