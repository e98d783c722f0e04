package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestAttentionShowsOverdueImport: GET /attention shows a started import whose last success is
// older than three intervals, with when it last succeeded; a new success clears it.
func TestAttentionShowsOverdueImport(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		ctx := t.Context()
		rule, err := b.st.SaveRule(ctx, workflow.Rule{ShopID: b.shop.ID, Kind: workflow.JobImport, Interval: 5 * time.Minute, Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		last := time.Now().Add(-20 * time.Minute).Truncate(time.Second)
		if err := b.st.MarkRuleSucceeded(ctx, rule.ID, last); err != nil {
			t.Fatal(err)
		}
		viewer := b.tokenFor(t, only(user.MenuOrders, user.View))
		got := decode[Attention](t, b.do(t, viewer, http.MethodGet, "/attention", nil), http.StatusOK)
		if !got.NeedsAttention || len(got.Shops) != 1 || !got.Shops[0].NeedsAttention {
			t.Fatalf("attention: %+v", got)
		}
		overdue := got.Shops[0].OverdueRules
		if len(overdue) != 1 || overdue[0].ID != rule.ID || overdue[0].Kind != string(workflow.JobImport) || overdue[0].KindLabel != "受注取込" ||
			!overdue[0].LastSucceededAt.Equal(last) || overdue[0].IntervalSeconds != 300 || overdue[0].OverdueAfterSeconds != 900 {
			t.Fatalf("overdue rules %+v, want the import last succeeded at %v", overdue, last)
		}
		if err := b.st.MarkRuleSucceeded(ctx, rule.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		got = decode[Attention](t, b.do(t, viewer, http.MethodGet, "/attention", nil), http.StatusOK)
		if overdue := got.Shops[0].OverdueRules; overdue == nil || len(overdue) != 0 {
			t.Fatalf("overdue rules after a success: %+v, want none", overdue)
		}
	})
}
