package web

// The English of 要対応's bounced buyer mails, added to the catalogue.
func init() {
	for ja, en := range map[string]string{
		"この7日間に購入者へのメール%s件が不達(バウンス)で戻りました。": "%s buyer mails bounced in the last 7 days.",
		"テンプレート": "Template",
		"宛先":     "Recipient",
		"不達の内容":  "Bounce report",
		"注文を開く":  "Open the order",
		"不達":     "Bounced",
		"直し方: 注文画面で購入者のメールアドレスを確認し、モールのメッセージ機能などで連絡してください。アドレスを直したら、注文一覧で注文を選び「メール送信」からもう一度送信できます。": "To fix: check the buyer's e-mail address on the order page and contact the buyer through the mall's messages. Once the address is right, select the order in the order list and send the mail again with 「メール送信」.",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
