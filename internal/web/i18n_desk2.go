package web

// The English of the order list's volume and bulk-result texts (issue 20 items 2 and 3), kept
// beside the features so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"%s件以上":         "%s+ orders",
		"ページ":           "Page",
		"表示件数":          "Per page",
		"%d件":           "%d",
		"移動":            "Go",
		"全文を表示":         "Show the whole message",
		"店舗別の件数を折りたたむ":  "Fold the counts per shop",
		"件以上":           "+ orders",
		"商品1つを1行に出力します": "One row per line item",
		"お届け先":          "Ship-to",
		"発送":            "Shipment",
		"一括操作の対象の注文":    "Orders of the bulk action",
		"一括操作の結果:":      "Bulk action result:",
		"自動処理「%s」の結果:":  "Result of the rule %s:",
		"成功 %d件":        "%d succeeded",
		"失敗 %d件":        "%d failed",
		"待ち %d件":        "%d waiting",
		"失敗した注文は「結果を表示」で確かめ、連携メッセージに従って直してから連携ステータスを戻してください。": "Open the failed orders with Show result, fix them as their link message says, then set their link status back.",
		"「%s」に残った注文は自動処理の対象外(連携ステータスが対象でない、モールの反映待ちなど)です。":    "The orders left in %s are not the rule's to take (their link status does not match, or the marketplace has not caught up).",
	} {
		english[ja] = en
	}
}
