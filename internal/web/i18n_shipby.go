package web

// The English of the ship-by (出荷期限) and Prime texts, kept beside the feature so that merges do
// not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"出荷期限":    "Ship by",
		"Prime":   "Prime",
		"Primeのみ": "Prime only",
		"この日までに出荷期限が来る注文":                       "Orders due to ship by this day",
		"Primeの指定「%s」が読めません。一覧から選び直してください。":     "Cannot read the Prime filter \"%s\". Choose it again from the list.",
		"Prime注文(お届けを約束した注文です。出荷期限までに出荷してください)": "Prime order (a delivery promised to the buyer: ship it by the ship-by date)",
		"出荷期限まで24時間を切った、または過ぎた発送待ちの注文が%s件あります。": "%s order(s) awaiting shipment are due to ship within 24 hours or are past their ship-by date.",
		"%s (%s超過)": "%s (%s late)",
		"%s (あと%s)": "%s (%s left)",
		"%d分":       "%d min",
		"%d時間":      "%d h",
		"直し方: 出荷期限までに梱包して発送し、配送番号を入れて出荷通知してください。期限を過ぎてから出荷通知すると、モールの出荷遅延に数えられ、アカウントの評価が下がります。": "To fix: pack and ship the order before its ship-by date, enter the tracking number and report the shipment. A shipment reported after the date counts as a late shipment at the marketplace and lowers the account's rating.",
	} {
		english[ja] = en
	}
}
