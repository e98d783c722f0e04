package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// TestEveryUITextHasItsEnglish: every text the templates and handlers pass to t or tf is in the
// English catalogue, so the English switch leaves no Japanese behind but the domain's messages.
func TestEveryUITextHasItsEnglish(t *testing.T) {
	t.Parallel()
	call := regexp.MustCompile(`\btf?\(ctx, "([^"]+)"`)
	files, err := filepath.Glob("*.templ")
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		if !strings.HasSuffix(f, "_templ.go") && !strings.HasSuffix(f, "_test.go") {
			files = append(files, f)
		}
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			if _, ok := english[m[1]]; !ok {
				t.Errorf("%s: %q has no English", f, m[1])
			}
		}
	}
	for _, m := range append(append([]navMenu{}, navMenus...), settingsMenus...) {
		if _, ok := english[m.label]; !ok {
			t.Errorf("menu %q has no English", m.label)
		}
	}
}

// TestEveryCodeLabelHasItsEnglish: the labels of channels, rule kinds and statuses the pages show
// through t read in English too (a rule's whole-call refusal, 「…エラー(一括)」, excepted: it is
// its kind's label with a suffix).
func TestEveryCodeLabelHasItsEnglish(t *testing.T) {
	var labels []string
	for _, c := range shop.Channels() {
		labels = append(labels, c.Label())
		for _, l := range c.LinkStatuses() {
			if !strings.HasSuffix(l.Label(), "エラー(一括)") {
				labels = append(labels, l.Label())
			}
		}
	}
	for _, k := range workflow.JobKinds {
		labels = append(labels, k.Label())
	}
	for _, c := range append(append(append([]choice{}, marketChoices...), paymentChoices...), classChoices...) {
		labels = append(labels, c.Label)
	}
	for _, l := range labels {
		if _, ok := english[l]; !ok {
			t.Errorf("%q has no English", l)
		}
	}
}
