package orderops

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// NoConfirmRuleError refuses a confirmation for a shop that runs no started confirm rule: it has
// none, or only a stopped one. Its code and message are those of the apperror it wraps; an edge
// may word it its own way.
type NoConfirmRuleError struct {
	Shop    shop.Shop
	Stopped bool
	err     *apperror.Error
}

func (e *NoConfirmRuleError) Error() string { return e.err.Error() }

// Unwrap gives the domain error: apperror.Invalid with what to do.
func (e *NoConfirmRuleError) Unwrap() error { return e.err }

func noConfirmRule(sh shop.Shop, stopped bool) *NoConfirmRuleError {
	e := &NoConfirmRuleError{Shop: sh, Stopped: stopped,
		err: apperror.New(apperror.Invalid, "店舗「%s」には注文確認の自動処理がありません。自動処理設定で注文確認を追加してから実行してください。", sh.Name)}
	if stopped {
		e.err = apperror.New(apperror.Invalid, "店舗「%s」の注文確認の自動処理は停止中です。自動処理を開始してから実行してください。", sh.Name)
	}
	return e
}

// ConfirmPhase is the phase a started confirm rule of the shop takes orders from.
func ConfirmPhase(ctx context.Context, st store.Store, sh shop.Shop) (int64, error) {
	rules, err := st.ListRules(ctx, sh.ID)
	if err != nil {
		return 0, err
	}
	stopped := false
	for _, rule := range rules {
		if rule.Kind != workflow.JobConfirm || rule.TargetPhaseID == 0 {
			continue
		}
		if rule.Enabled {
			return rule.TargetPhaseID, nil
		}
		stopped = true
	}
	return 0, noConfirmRule(sh, stopped)
}

// PlanConfirm plans 注文確認 of orders the way ichigen confirms: each shop's orders move into the
// phase its started confirm rule takes orders from, and the move queues the rule. ids are the
// orders of each of shops. Nothing is planned when one order's channel does not confirm orders,
// or one shop runs no started confirm rule (*NoConfirmRuleError).
func PlanConfirm(ctx context.Context, st store.Store, shops []shop.Shop, ids map[int64][]int64) ([]Plan, error) {
	var others []string
	for _, sh := range shops {
		if !slices.Contains(sh.Channel.JobKinds(), workflow.JobConfirm) {
			others = append(others, fmt.Sprintf("「%s」(%s)の%d件", sh.Name, sh.Channel.Label(), len(ids[sh.ID])))
		}
	}
	if len(others) > 0 {
		var confirming []string
		for _, c := range shop.Channels() {
			if slices.Contains(c.JobKinds(), workflow.JobConfirm) {
				confirming = append(confirming, c.Label())
			}
		}
		them := strings.Join(confirming, "・")
		return nil, apperror.New(apperror.Invalid, "一括注文確認は%sの注文だけが対象です。%s以外の注文が含まれています: %s。チャネルで「%s」に絞り込んでから選び直してください。",
			them, them, strings.Join(others, "、"), them)
	}
	targets := map[int64]int64{}
	for _, sh := range shops {
		var err error
		if targets[sh.ID], err = ConfirmPhase(ctx, st, sh); err != nil {
			return nil, err
		}
	}
	plans := make([]Plan, 0, len(shops))
	for _, sh := range shops {
		p, err := PlanMoveTo(ctx, st, ids[sh.ID], targets[sh.ID], false)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	return plans, nil
}
