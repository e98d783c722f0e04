package jobs

import (
	"slices"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// WaitingQuery finds the orders a rule takes from its target phase, in the order it takes them;
// the dispatcher, a rule's preview and 要対応's backlog read the phase through it.
//
// A polling rule (注文情報ステータス取得, 決済審査結果確認 / 入金確認) takes the oldest order first.
// Its orders wait for the marketplace to decide (a payment review, a bank transfer, a card's
// authorisation), and an older order is likelier decided than one placed minutes ago: with a
// backlog longer than a run's step budget, oldest-first spends the calls where they move
// orders, and no order is left behind a stream of newer ones (a newest-first sweep can starve
// the oldest for as long as orders keep coming). The marketplaces allow it: both RMS getOrder and
// au PAY's per-trade read take any order numbers in any order, so the order of the numbers is
// ichigen's to choose. Other kinds keep the newest first, as before: their orders are ready the
// moment they enter the phase, and one run takes them all.
func WaitingQuery(rule workflow.Rule) store.OrderQuery {
	return store.OrderQuery{ShopID: rule.ShopID, PhaseID: rule.TargetPhaseID, Sort: store.SortOrderedAt, Ascending: rule.Kind.Polls()}
}

// stillWaiting drops from a batch read back the orders the rule no longer takes: moved away
// since, or finished by this rule and left in the phase (no phase to move it to).
func stillWaiting(rule workflow.Rule, batch []order.Order) []order.Order {
	return slices.DeleteFunc(batch, func(o order.Order) bool { return o.PhaseID != rule.TargetPhaseID || o.PhaseDone })
}
