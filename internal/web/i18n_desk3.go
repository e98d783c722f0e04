package web

// The English of the order page's texts of issue 20 item 4 (memo, remarks, slip, labels), kept
// beside the feature so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"自動処理":           "Automation",
		"自動処理「%s」":       "Automation \"%s\"",
		"注文の再取得":         "Order refetch",
		"決済状況の照合":        "Payment check",
		"納品書を印刷":         "Print delivery slip",
		"納品書を印刷(選択した注文)": "Print delivery slips (selected orders)",
		"送料が未確定の注文が%d件あり、金額が「未確定」と印刷されます。送料を確定してから印刷してください。": "%d order(s) have no fixed postage yet and would print amounts as 未確定 (not fixed). Fix the postage before printing.",
		"印刷":  "Print",
		"納品書": "Delivery slips",
		"選んだ注文(または検索結果すべて)の納品書を、1件1ページ(A4)で印刷します": "Prints the delivery slips of the selected orders (or of every result), one A4 page each",
		"納品書 %d件(1件1ページ、A4縦)": "%d delivery slip(s), one A4 page each",
		"%sでの表示":        "As shown on %s",
		"モールのステータスコード":  "The marketplace's status code",
		"お届け希望日":        "Requested delivery date",
		"お届け時間帯":        "Requested time slot",
		"指定なし":          "None",
		"購入者の備考":        "Buyer's remarks",
		"購入者の備考はありません。": "The buyer left no remarks.",
		"メモ(店舗用)":       "Memo (shop only)",
		"メモを保存":         "Save memo",
		"メモはありません。":     "No memo.",
		"店舗内の申し送りなど。モールや購入者には送られません。":                                               "Notes for the shop's staff. Never sent to the marketplace or the buyer.",
		"分割先の注文には金額がありません。送料・手数料・請求金額は分割元の注文にまとめて残っています(モールへの請求は分割元の1件です)。":         "A split child has no amounts: postage, fees and the amount charged stay on the order it was split from (the marketplace charges that one order).",
		"分割元の金額は分割前の注文全体の金額です(分割先へ移した商品を含みます)。上の商品一覧は分割元に残った商品だけのため、商品の合計とは一致しません。": "A split order's amounts are the whole order's before the split (including the items moved to its split children); the items listed are only those left here, so they do not add up to the goods total.",
		"同梱親の金額はこの注文だけの金額です。同梱子の金額は含みません(モールへの請求は注文ごとです)。":                          "A bundle parent's amounts are its own order's only, without its bundled children's (the marketplace charges each order).",
	} {
		english[ja] = en
	}
}
