package web

// The English of issue 20's saved-search leftovers (desk5): relative order dates, renaming and
// moving saved searches. Kept beside the feature so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"開くたびにその日から数えます (保存した検索条件も)": "Counted from the day the list is opened (saved searches too)",
		"日付で指定":          "By dates",
		"検索条件「%s」を上へ":    "Move saved search “%s” up",
		"検索条件「%s」を下へ":    "Move saved search “%s” down",
		"検索条件「%s」の名前を変更": "Rename saved search “%s”",
		"新しい名前":          "New name",
	} {
		english[ja] = en
	}
}
