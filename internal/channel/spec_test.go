package channel

import (
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestRegisterRefusesASpecThatCannotWork: a connected channel that leaves out its credentials,
// its import, its client or its quota, or names a pace credential it does not have, is refused
// the moment it registers, never found missing at the first call.
func TestRegisterRefusesASpecThatCannotWork(t *testing.T) {
	t.Parallel()
	full := func() Spec {
		return Spec{Name: "testshop", Label: "テスト", LabelEN: "Test", Credentials: []CredentialKey{{Name: "key", Required: true}},
			JobKinds: []workflow.JobKind{workflow.JobImport}, Quota: Quota{PerSecond: 1, PaceKey: "key"},
			NewClient: func(Account) (Client, error) { return nil, nil }}
	}
	for name, breakIt := range map[string]func(*Spec){
		"no English label":     func(s *Spec) { s.LabelEN = "" },
		"no credentials":       func(s *Spec) { s.Credentials = nil },
		"no import":            func(s *Spec) { s.JobKinds = []workflow.JobKind{workflow.JobShipReport} },
		"no client":            func(s *Spec) { s.NewClient = nil },
		"no quota":             func(s *Spec) { s.Quota.PerSecond = 0 },
		"an unknown pace key":  func(s *Spec) { s.Quota.PaceKey = "licenseKey" },
		"an unlabelled status": func(s *Spec) { s.LinkStatuses = []LinkStatus{{Status: "testshop_done"}} },
	} {
		s := full()
		breakIt(&s)
		if err := s.check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := full().check(); err != nil {
		t.Fatalf("a whole spec: %v", err)
	}
	Register(Spec{Name: "twiceshop", Label: "x", LabelEN: "x", Planned: true})
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "registered twice") {
				t.Errorf("a name registered twice: %v", r)
			}
		}()
		Register(Spec{Name: "twiceshop", Label: "x", LabelEN: "x", Planned: true})
	}()
}

// TestFileOnlyChannelHasNothingToCall: a file-only channel (the CSV shop) registers without a
// client, credentials, quota or simulator, needs a demo shop with its order files, and is
// refused when it claims anything that makes a call; CheckRegistry asks it for no simulator.
func TestFileOnlyChannelHasNothingToCall(t *testing.T) {
	t.Parallel()
	full := func() Spec {
		return Spec{Name: "fileshop", Label: "ファイル", LabelEN: "File", FileOnly: true,
			FileDemo: &FileDemo{ShopName: "デモ", Orders: func(int, int, time.Time, func(int) int) []byte { return nil }}}
	}
	if err := full().check(); err != nil {
		t.Fatalf("a file-only spec: %v", err)
	}
	for name, breakIt := range map[string]func(*Spec){
		"a client":       func(s *Spec) { s.NewClient = func(Account) (Client, error) { return nil, nil } },
		"credentials":    func(s *Spec) { s.Credentials = []CredentialKey{{Name: "key"}} },
		"a quota":        func(s *Spec) { s.Quota.PerSecond = 1 },
		"an import job":  func(s *Spec) { s.JobKinds = []workflow.JobKind{workflow.JobImport} },
		"a simulator":    func(s *Spec) { s.Simulator = &Simulator{} },
		"no demo shop":   func(s *Spec) { s.FileDemo = nil },
		"no demo orders": func(s *Spec) { s.FileDemo.Orders = nil },
	} {
		s := full()
		breakIt(&s)
		if err := s.check(); err == nil {
			t.Errorf("a file-only channel with %s: accepted", name)
		}
	}
}
