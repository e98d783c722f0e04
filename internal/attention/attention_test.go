package attention

import (
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/rakuten"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestStoppedRuleNeedsAttentionOnlyWhenItHoldsOrdersUp: a shop needs the operator for an auth
// error, missing or expiring credentials, errors, and a stopped rule that holds orders up (orders
// in its target phase, or the import); a rule stopped with nothing waiting is a choice.
func TestStoppedRuleNeedsAttentionOnlyWhenItHoldsOrdersUp(t *testing.T) {
	t.Parallel()
	calm := shop.Shop{Channel: shop.Channel(rakuten.Name), Status: shop.Active}
	report := workflow.Rule{Kind: workflow.JobShipReport, TargetPhaseID: 3}
	for _, c := range []struct {
		name string
		s    Shop
		want bool
	}{
		{"nothing", Shop{Shop: calm}, false},
		{"a phase rule stopped, nothing waiting", Shop{Shop: calm, Stopped: []StoppedRule{{Rule: report}}}, false},
		{"a phase rule stopped, orders waiting", Shop{Shop: calm, Stopped: []StoppedRule{{Rule: report, Waiting: 3}}}, true},
		{"the import stopped", Shop{Shop: calm, Stopped: []StoppedRule{{Rule: workflow.Rule{Kind: workflow.JobImport}}}}, true},
		{"auth error", Shop{Shop: shop.Shop{Channel: shop.Channel(rakuten.Name), Status: shop.AuthError}}, true},
		{"credentials expire soon", Shop{Shop: calm, ExpireSoon: true}, true},
		{"credentials missing", Shop{Shop: calm, Missing: shop.Channel(rakuten.Name).CredentialKeys()[:1]}, true},
		{"orders in error", Shop{Shop: calm, Errors: []store.LinkErrorGroup{{LinkStatus: string(rakuten.LinkShipReportError), Count: 1}}}, true},
	} {
		if got := c.s.Needed(); got != c.want {
			t.Errorf("%s: needed %v, want %v", c.name, got, c.want)
		}
		if got := (Report{Shops: []Shop{{Shop: calm}, c.s}}).Needed(); got != c.want {
			t.Errorf("%s: the report needed %v, want %v", c.name, got, c.want)
		}
	}
}
