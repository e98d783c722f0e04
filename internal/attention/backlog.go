package attention

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// BacklogOrders is how many orders waiting for a started polling rule (決済審査結果確認,
// 注文情報ステータス取得) make a backlog 要対応 explains: a phase that holds a batch's worth or
// more is not drained by one look, and an operator asks why the queue does not move.
const BacklogOrders = 100

// Backlog is a started polling rule whose target phase holds BacklogOrders or more: how many
// wait, how many calls one sweep over them makes, and how long that takes at the shop's quota.
// The rule looks at the oldest order first (jobs.WaitingQuery), so newer orders wait behind
// older ones; each sweep moves only the orders the marketplace has decided since.
type Backlog struct {
	Rule workflow.Rule
	// PhaseName is the target phase's name.
	PhaseName string
	// Waiting counts the orders in the target phase, up to store.CountCap+1 (store.Capped).
	Waiting int64
	// OrdersPerCall is how many orders one call reads; Calls how many calls one sweep makes.
	OrdersPerCall int
	Calls         int64
	// Sweep is Calls at the shop's quota: how long one look at every waiting order takes.
	Sweep time.Duration
	// Oldest is when the oldest waiting order was placed: it is looked at first.
	Oldest time.Time
}

// gatherBacklogs finds the shop's started polling rules with a backlog, in the rules' order.
func gatherBacklogs(ctx context.Context, st store.Store, sh shop.Shop, rules []workflow.Rule, phases []workflow.Phase, perSecond float64) ([]Backlog, error) {
	var out []Backlog
	for _, rule := range rules {
		if !rule.Enabled || !rule.Kind.Polls() || !rule.Kind.NeedsTargetPhase() || rule.TargetPhaseID == 0 {
			continue
		}
		q := jobs.WaitingQuery(rule)
		q.PageSize = 1
		page, err := st.SearchOrders(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("attention: backlog of rule %d: %w", rule.ID, err)
		}
		if page.Total < BacklogOrders || len(page.Orders) == 0 {
			continue
		}
		b := Backlog{Rule: rule, Waiting: page.Total, OrdersPerCall: max(sh.Channel.Spec().PollOrdersPerCall, 1), Oldest: page.Orders[0].OrderedAt}
		for _, p := range phases {
			if p.ID == rule.TargetPhaseID {
				b.PhaseName = p.Name
			}
		}
		b.Calls = (b.Waiting + int64(b.OrdersPerCall) - 1) / int64(b.OrdersPerCall)
		if perSecond > 0 {
			b.Sweep = time.Duration(math.Ceil(float64(b.Calls)/perSecond)) * time.Second
		}
		out = append(out, b)
	}
	return out, nil
}
