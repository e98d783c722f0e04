package attention

import (
	"time"

	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// OverdueFloor is the least time a started polling rule goes without a successful run before
// 要対応 shows it: above the few minutes a run left behind by a crashed instance takes to be run
// again (jobs.RescueAfter), so a crash taken up as designed does not alarm anyone.
const OverdueFloor = 10 * time.Minute

// OverdueAfter is how long rule may go without a successful run before it is overdue: three of
// its intervals, and at least OverdueFloor.
func OverdueAfter(rule workflow.Rule) time.Duration {
	interval := rule.Interval
	if interval <= 0 {
		interval = workflow.DefaultPollInterval
	}
	return max(3*interval, OverdueFloor)
}

// OverdueRule is a started polling rule (import, status fetch, payment review) whose last
// successful run is older than OverdueAfter: for import, new orders are not coming in.
type OverdueRule struct {
	Rule workflow.Rule
	// LastSuccess is when a run of the rule last succeeded.
	LastSuccess time.Time
}

// overdueRules are the shop's started polling rules overdue at now. A shop stopped by an auth
// error is left out (its refused key is shown, and is the cause), and so is a rule that has not
// succeeded yet at all.
func overdueRules(sh shop.Shop, rules []workflow.Rule, now time.Time) []OverdueRule {
	if sh.Status == shop.AuthError {
		return nil
	}
	var out []OverdueRule
	for _, r := range rules {
		if r.Enabled && r.Kind.Polls() && !r.LastSuccessAt.IsZero() && now.Sub(r.LastSuccessAt) > OverdueAfter(r) {
			out = append(out, OverdueRule{Rule: r, LastSuccess: r.LastSuccessAt})
		}
	}
	return out
}
