package attention

import (
	"context"
	"fmt"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// StuckPhase is a shop's orders held in one phase longer than the company expects of it
// (workflow.Phase.ExpectedHours, issue 13 item 8): a stopped rule, an error nobody fixed or work
// left undone by hand.
type StuckPhase struct {
	Phase workflow.Phase
	// Total counts them, up to store.CountCap+1 (store.Capped).
	Total int64
	// Query is the order list's search that finds every one of them, the longest held first.
	Query store.OrderQuery
}

// StuckQuery finds a shop's orders that came into phase p before now minus what the company
// expects of it, oldest order first. Orders its rule finished with and left there (PhaseDone,
// a rule without a destination phase) wait for nothing, but are counted too: the list cannot
// leave them out, and a phase meant to hold finished orders is one without an expected time.
func StuckQuery(shopID int64, p workflow.Phase, now time.Time) store.OrderQuery {
	return store.OrderQuery{ShopID: shopID, PhaseID: p.ID, PhaseEnteredTo: now.Add(-p.Expected()), Ascending: true}
}

// gatherStuck counts a shop's orders held too long in each phase with an expected time, in the
// phases' order; phases without such orders are left out.
func gatherStuck(ctx context.Context, st store.Store, shopID int64, phases []workflow.Phase, now time.Time) ([]StuckPhase, error) {
	var out []StuckPhase
	for _, p := range phases {
		if p.Expected() <= 0 {
			continue
		}
		q := StuckQuery(shopID, p, now)
		count := q
		count.PageSize = 1
		page, err := st.SearchOrders(ctx, count)
		if err != nil {
			return nil, fmt.Errorf("attention: orders of shop %d held in phase %s: %w", shopID, p.Name, err)
		}
		if page.Total > 0 {
			out = append(out, StuckPhase{Phase: p, Total: page.Total, Query: q})
		}
	}
	return out, nil
}
