package web

// The English of 入金確認's texts, kept beside the feature so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"入金確認":       "Confirm payment",
		"入金確認済み":     "Payment confirmed",
		"入金日":        "Payment date",
		"空欄は今日":      "Empty: today",
		"入金日(空欄は今日)": "Payment date (empty: today)",
		"店舗が代金を受け取る決済です。入金を確かめたら入金日を入れて入金確認してください。":    "The shop collects this payment itself. Once the money is in, enter the day and confirm the payment.",
		"選んだ注文のうち、店舗が代金を受け取る決済(選択制決済)の未入金の注文を入金済みにします": "Marks the selected unpaid orders whose payment the shop collects itself (selective settlement) as paid",
	} {
		english[ja] = en
	}
}
