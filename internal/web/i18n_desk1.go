package web

// The English of a new shop's texts (its usual rules, 接続テスト, its status), kept beside the
// feature so that merges do not meet in i18n.go.
func init() {
	for ja, en := range map[string]string{
		"チャネルの標準の自動処理を停止中で用意する": "Prepare the channel's usual automation rules, stopped",
		"標準の自動処理は、楽天なら受注取込 → 注文確認 → 決済審査結果確認 → 発送完了報告、au PAY なら受注取込 → 注文情報ステータス取得 → 出荷情報反映 → 受注完了ステータス反映です。足りない処理フェーズは名前で作られ、全店舗で共有されます。": "The usual rules are, on Rakuten, import → confirm → payment review → shipment report; on au PAY, import → status fetch → ship report → completion. Missing phases are made by name and shared by every shop.",
		"認証情報未設定":          "Credentials not set",
		"最後の失敗(%s %s): %s": "last failure (%s %s): %s",
		"接続テスト":            "Test connection",
		"注文の読み取りを1回だけ行い、認証情報と接続先を確かめます(送信はしません)。": "Makes one read of orders to check the credentials and the endpoint (sends nothing).",
		"%s秒ごと":  "every %s s",
		"%s時間ごと": "every %s h",
	} {
		english[ja] = en
	}
}
