package channel

import (
	"slices"
	"time"

	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// Step is one automation rule of a channel's usual flow, with its phases named rather than
// numbered: the phases are the company's, shared by every shop, and found (or made) by name.
type Step struct {
	Kind workflow.JobKind
	// Target, Success and Error are the phases the rule takes its orders from and moves them to
	// ("" for none: an import has no target).
	Target, Success, Error string
	// Interval is a polling rule's pace (0: workflow.DefaultPollInterval).
	Interval time.Duration
}

// Flow is a channel's usual run of automation rules, as the seeds describe it (Rakuten: 受注取込
// → 注文確認 → 決済審査結果確認 → 発送完了報告). A new shop is offered it, stopped until its
// credentials are in, so it works the first day without the operator building the chain.
type Flow []Step

// Phases returns the phases the flow names, each once, in the order it first names them.
func (f Flow) Phases() []string {
	var out []string
	for _, s := range f {
		for _, name := range []string{s.Target, s.Success, s.Error} {
			if name != "" && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}

// Rules returns the flow's rules for shop, stopped; phase gives a phase's id by name.
func (f Flow) Rules(shopID int64, phase func(name string) int64) []workflow.Rule {
	id := func(name string) int64 {
		if name == "" {
			return 0
		}
		return phase(name)
	}
	out := make([]workflow.Rule, 0, len(f))
	for _, s := range f {
		out = append(out, workflow.Rule{ShopID: shopID, Kind: s.Kind, TargetPhaseID: id(s.Target),
			SuccessPhaseID: id(s.Success), ErrorPhaseID: id(s.Error), Interval: s.Interval})
	}
	return out
}
