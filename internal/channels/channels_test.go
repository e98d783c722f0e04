package channels

import (
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// TestEveryConnectedChannelIsComplete: each channel registered here has its simulator and demo
// shop, so `ichigen sim` and `ichigen demo` cover it, and its link statuses are named.
func TestEveryConnectedChannelIsComplete(t *testing.T) {
	t.Parallel()
	if err := channel.CheckRegistry(); err != nil {
		t.Fatal(err)
	}
	connected := 0
	for _, s := range channel.All() {
		if s.Planned {
			continue
		}
		connected++
		if s.FileOnly {
			if s.FileDemo == nil || s.FileDemo.ShopName == "" || s.FileDemo.Orders == nil {
				t.Errorf("%s: file-only channel without a demo shop and its order files", s.Name)
			}
			continue
		}
		if s.Simulator.Demo.ShopName == "" || len(s.Simulator.Flags) == 0 {
			t.Errorf("%s: simulator without a demo shop or credentials", s.Name)
		}
		for _, l := range s.LinkStatuses {
			if l.Status.Label() != l.Label {
				t.Errorf("%s: %s is labelled %q, not %q", s.Name, l.Status, l.Status.Label(), l.Label)
			}
		}
	}
	if connected < 2 {
		t.Fatalf("%d connected channels registered", connected)
	}
}
