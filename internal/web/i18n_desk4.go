package web

// The English of the rule preview's texts, kept in a file of their own so that merges do not
// meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"%d件の注文":          "%d orders",
		"—":               "—",
		"プレビュー":           "Preview",
		"プレビュー(送信しません)":   "Preview (sends nothing)",
		"プレビュー: 自動処理「%s」": "Preview: rule %s",
		"プレビューです。モールには何も送信していません。連携履歴にも記録されません。":                "This is a preview. Nothing was sent to the marketplace, and nothing is recorded in the call history.",
		"メール送信はモールを呼び出しません。「送信する」の注文の購入者へ、テンプレートのメールを1通ずつ送ります。": "Sending mail does not call the marketplace. The buyer of each order marked Send gets one mail from the template.",
		"モールへの呼び出しはありません。": "No call to the marketplace.",
		"保存・開始の前に「プレビュー」で、対象処理フェーズの注文のどれを送り、どれを送らないか(理由)と、送信する内容を確かめられます。モールには何も送信しません。": "Before saving or starting a rule, Preview shows which orders of the target phase it would send and which not (and why), and what it would send. Nothing is sent to the marketplace.",
		"呼び出しが多いため、最初の分だけを表示しています。":                            "There are many calls: only the first are shown.",
		"対象処理フェーズ「%s」に%s件の注文があります。1回の処理で最大%d件を扱います。最初の%d件の結果:": "The target phase %s holds %s orders. One round takes up to %d orders. The first %d:",
		"次の取込は %s 〜 %s に注文・更新された注文を読みます。":                      "The next import reads the orders placed or changed from %s to %s.",
		"理由・連携メッセージ": "Reason / link message",
		"自動処理のプレビュー": "Rule preview",
		"自動処理設定へ戻る":  "Back to the rules",
		"認証情報(ライセンスキー・APIキー)はヘッダーで送るため、ここには表示しません。": "Credentials (license key, API key) travel in headers and are not shown here.",
		"読み取り": "Read",
		"更新":   "Write",
		"送信する内容(%d回の呼び出し)": "What would be sent (%d calls)",
		"送信する":           "Send",
		"送信せずに成功扱い":      "Done without a call",
		"送信せずにエラー":       "Refused before any call",
		"対象外(処理フェーズに残る)": "Not taken (stays in the phase)",
		"前回の送信の結果待ち":     "Waiting for an earlier send's result",
		"件":              "",
		"結果":             "Outcome",
		"注文番号":           "Order number",
		"注文日時":           "Ordered at",
		"連携ステータス":        "Link status",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
