package web

// The English of the order list's volume and bulk-result texts (issue 20 items 2 and 3), kept
// beside the features so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"%s件以上":        "%s+ orders",
		"ページ":          "Page",
		"表示件数":         "Per page",
		"%d件":          "%d",
		"移動":           "Go",
		"全文を表示":        "Show the whole message",
		"店舗別の件数を折りたたむ": "Fold the counts per shop",
	} {
		english[ja] = en
	}
}
