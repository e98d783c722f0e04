package channels

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestEveryConnectedChannelOffersItsDemoFlow: a new shop is offered its channel's Flow, and the
// demo shop runs the same chain of rules (the demo only paces its polls faster), so what the
// demo shows is what a new shop gets. A channel with an API and no flow would leave a new shop
// to build its chain by hand.
func TestEveryConnectedChannelOffersItsDemoFlow(t *testing.T) {
	t.Parallel()
	for _, s := range channel.All() {
		if s.Planned || s.FileOnly {
			continue
		}
		if len(s.Flow) == 0 {
			t.Errorf("%s: no flow to offer a new shop", s.Name)
			continue
		}
		// Phases by name: the flow's own ids are the position of each name.
		var names []string
		id := func(name string) int64 {
			if i := slices.Index(names, name); i >= 0 {
				return int64(i + 1)
			}
			names = append(names, name)
			return int64(len(names))
		}
		chain := func(rules []workflow.Rule) []string {
			var out []string
			for _, r := range rules {
				out = append(out, fmt.Sprintf("%s %d→%d/%d", r.Kind, r.TargetPhaseID, r.SuccessPhaseID, r.ErrorPhaseID))
			}
			return out
		}
		for _, p := range s.Flow.Phases() {
			id(p)
		}
		got := chain(s.Flow.Rules(0, id))
		want := chain(s.Simulator.Demo.Rules(id))
		if !slices.Equal(got, want) {
			t.Errorf("%s: flow %v, demo shop runs %v (phases %v)", s.Name, got, want, names)
		}
		for _, k := range s.Flow.Rules(0, id) {
			if !slices.Contains(s.JobKinds, k.Kind) {
				t.Errorf("%s: flow has %s, which the channel does not offer", s.Name, k.Kind)
			}
		}
	}
}
