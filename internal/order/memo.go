package order

import (
	"strings"
	"unicode/utf8"
)

// MemoMaxRunes bounds an order's memo (備考・メモ): a few paragraphs, not a document.
const MemoMaxRunes = 2000

// EventMemo is the shop's memo on an order written or changed by an operator.
const EventMemo EventKind = "memo_changed"

// NormaliseMemo trims a memo and writes its line breaks as "\n", as browsers send "\r\n"; ok is
// false when it is longer than MemoMaxRunes or not UTF-8.
func NormaliseMemo(memo string) (string, bool) {
	memo = strings.TrimSpace(strings.ReplaceAll(memo, "\r\n", "\n"))
	return memo, utf8.ValidString(memo) && utf8.RuneCountInString(memo) <= MemoMaxRunes
}

// MemoEventText is the history's line for a memo changed to memo: its start, or that it was
// cleared.
func MemoEventText(memo string) string {
	if memo == "" {
		return "メモを削除しました"
	}
	first, _, more := strings.Cut(memo, "\n")
	if r := []rune(first); len(r) > 40 {
		first, more = string(r[:40]), true
	}
	if more {
		first += "…"
	}
	return "メモを変更しました: 「" + first + "」"
}
