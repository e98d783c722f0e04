package web

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
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
