package api

import (
	"net/http"
	"testing"
)

// TestRulePreviewIsARead: a user who may only view the rules previews a rule before saving it
// (the orders waiting in its target phase, each with what the rule would do) and a saved one; a
// kind the shop's channel lacks, or a missing target phase, is refused with what to do.
func TestRulePreviewIsARead(t *testing.T) {
	t.Parallel()
	forEngine(t, func(t *testing.T, b *testBundle) {
		token := b.tokenFor(t, only("workflow", 1))
		draft := "/shops/" + i64(b.shop.ID) + "/rules/preview?kind=confirm&target_phase_id=" + i64(b.phases["新規受付"].ID)
		got := decode[RulePreview](t, b.do(t, token, http.MethodGet, draft, nil), http.StatusOK)
		if got.Waiting != 30 || len(got.Orders) != 30 || got.BatchSize != 100 {
			t.Fatalf("preview of 30 waiting orders: waiting %d, %d shown, batch %d", got.Waiting, len(got.Orders), got.BatchSize)
		}
		for _, o := range got.Orders {
			if o.Outcome == "" || o.OutcomeLabel == "" || o.Number == "" {
				t.Fatalf("order without its outcome: %+v", o)
			}
		}
		saved := decode[RulePreview](t, b.do(t, token, http.MethodGet, "/rules/"+i64(b.ruleID)+"/preview", nil), http.StatusOK)
		if saved.Kind != "ship_report" || saved.Waiting != 0 || len(saved.Orders) != 0 {
			t.Fatalf("saved rule's preview: %+v", saved)
		}
		if p := problem(t, b.do(t, token, http.MethodGet, "/shops/"+i64(b.shop.ID)+"/rules/preview?kind=confirm", nil), http.StatusUnprocessableEntity); p.Detail != "対象処理フェーズを選んでからプレビューしてください。" {
			t.Errorf("no target phase: %q", p.Detail)
		}
	})
}
