package web

// The English of acknowledging bounced buyer mails and of the shop's bounce address.
func init() {
	for ja, en := range map[string]string{
		"不達通知(バウンス)の転送先:": "Forward bounces to:",
		"送信元メールアドレスのメールボックスで、届いたメールをこのアドレスへ転送する設定をしてください。転送された不達通知は、元のメールのMessage-IDがなくても、この店舗の宛先から注文を探して「不達」にします。": "Set the sender address's mailbox to forward what it receives to this address. A forwarded bounce report marks the mail 不達 even without the original Message-ID, found by its recipient among this shop's mails.",
		"確認済み(%s %s)":            "Acknowledged (%s %s)",
		"メモ(例: 電話で連絡済み)":         "Note (e.g. called the buyer)",
		"確認済みにする":                "Acknowledge",
		"不達メール%s件をまとめて確認済みにする":   "Acknowledge all %s bounced mails",
		"不達メールをまとめて確認済みにする":      "Acknowledge bounced mails",
		"確認済みにしていない不達メールはありません。": "No bounced mail is left to acknowledge.",
		"%sの不達メール%d件を確認済みにします。要対応の件数から外れ、注文の履歴には残ります。": "%s: %d bounced mails will be acknowledged. They leave the attention count and stay in the orders' history.",
		"%d件を確認済みにする":            "Acknowledge %d",
		"%sの不達メール%d件を確認済みにしました。": "%s: %d bounced mails acknowledged.",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
