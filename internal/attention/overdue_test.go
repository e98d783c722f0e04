package attention_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/attention"
	"github.com/ichigen-oms/ichigen/internal/store/storetest"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestOverduePollingRulesNeedAttention: a started polling rule whose last successful run is
// older than three intervals (at least ten minutes) is overdue, with when it last succeeded; a
// rule that is recent, stopped, not polling, never run, or in a shop stopped by an auth error is
// not.
func TestOverduePollingRulesNeedAttention(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := engine.Open(t)
			now := time.Now().Truncate(time.Second)
			late, _ := storetest.NewShop(t, st, "late")
			// rule saves a rule of a shop; a phase rule takes the shop's target-th phase.
			rule := func(shopID int64, kind workflow.JobKind, target int, interval time.Duration, enabled bool, succeeded time.Duration) workflow.Rule {
				t.Helper()
				r := workflow.Rule{ShopID: shopID, Kind: kind, Interval: interval, Enabled: enabled}
				if kind.NeedsTargetPhase() {
					phases, err := st.ListPhases(ctx)
					if err != nil {
						t.Fatal(err)
					}
					r.TargetPhaseID, r.SuccessPhaseID, r.ErrorPhaseID = phases[target].ID, phases[len(phases)-1].ID, phases[len(phases)-2].ID
				}
				r, err := st.SaveRule(ctx, r)
				if err != nil {
					t.Fatal(err)
				}
				if succeeded > 0 {
					if err := st.MarkRuleSucceeded(ctx, r.ID, now.Add(-succeeded)); err != nil {
						t.Fatal(err)
					}
				}
				return r
			}
			imports := rule(late.ID, workflow.JobImport, 0, 5*time.Minute, true, 16*time.Minute)
			review := rule(late.ID, workflow.JobPaymentReview, 0, time.Minute, true, 11*time.Minute)
			rule(late.ID, workflow.JobConfirm, 1, 0, true, time.Hour) // not polling
			recent, _ := storetest.NewShop(t, st, "recent")
			rule(recent.ID, workflow.JobImport, 0, 5*time.Minute, true, 14*time.Minute)     // within three intervals
			rule(recent.ID, workflow.JobPaymentReview, 0, time.Minute, true, 9*time.Minute) // within the 10-minute floor
			stopped, _ := storetest.NewShop(t, st, "stopped")
			rule(stopped.ID, workflow.JobImport, 0, 5*time.Minute, false, time.Hour)
			fresh, _ := storetest.NewShop(t, st, "fresh")
			rule(fresh.ID, workflow.JobImport, 0, 5*time.Minute, true, 0) // not run yet
			refused, _ := storetest.NewShop(t, st, "refused")
			rule(refused.ID, workflow.JobImport, 0, 5*time.Minute, true, time.Hour)
			if _, err := st.MarkAuthError(ctx, refused.ID, "licenseKeyの有効期限が切れています。"); err != nil {
				t.Fatal(err)
			}

			r, err := attention.Gather(ctx, st, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range r.Shops {
				var got []int64
				for _, o := range s.Overdue {
					got = append(got, o.Rule.ID)
					if !o.LastSuccess.Equal(o.Rule.LastSuccessAt) || o.LastSuccess.IsZero() {
						t.Errorf("rule %d: last success %v", o.Rule.ID, o.LastSuccess)
					}
				}
				var want []int64
				if s.Shop.ID == late.ID {
					want = []int64{imports.ID, review.ID}
					if !s.Needed() {
						t.Error("a shop with overdue rules does not need attention")
					}
					if len(s.Overdue) > 0 && !s.Overdue[0].LastSuccess.Equal(now.Add(-16*time.Minute)) {
						t.Errorf("import last succeeded %v, want %v", s.Overdue[0].LastSuccess, now.Add(-16*time.Minute))
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("shop %s: overdue rules %v, want %v", s.Shop.Name, got, want)
				}
			}
		})
	}
}
