package ordercsv

import (
	"testing"

	"golang.org/x/text/encoding/japanese"
)

// TestShiftJISKeepsWhatJapaneseTextCarries: an address typed on a Mac or a phone (〜, −) keeps
// its characters in their Windows form; only what Shift_JIS has no form of becomes "?".
func TestShiftJISKeepsWhatJapaneseTextCarries(t *testing.T) {
	e := japanese.ShiftJIS.NewEncoder()
	for in, want := range map[string]string{
		"港区1−2−3":         "港区1－2－3",
		"10:00〜12:00":     "10:00～12:00",
		"髙橋 ㈱ ①":          "髙橋 ㈱ ①",
		"¢£¬‖—":           "￠￡￢∥―",
		"¥1,000‾":         "￥1,000￣",
		"🍵 お茶":            "? お茶",
		"𠮷野家":             "?野家",
		"plain ascii 123": "plain ascii 123",
	} {
		got := sjisSafe(e, in)
		if got != want {
			t.Errorf("%q became %q, want %q", in, got, want)
		}
		if _, err := e.String(got); err != nil {
			t.Errorf("%q still does not encode: %v", got, err)
		}
	}
}

// TestNeutraliseGuardsWhatASpreadsheetWouldRun: = + - @ tab and CR first get a leading ';
// anything else, including a formula character later in the cell, is left as written.
func TestNeutraliseGuardsWhatASpreadsheetWouldRun(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+81 3":                    "'+81 3",
		"-1+1":                     "'-1+1",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\t=1":                     "'\t=1",
		"\r=1":                     "'\r=1",
		"山田 =花子":                   "山田 =花子",
		"":                         "",
		"＝全角":                      "＝全角",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}
