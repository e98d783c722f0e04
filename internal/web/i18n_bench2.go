package web

// The English of the large-upload additions (the progress bar, the order file's dry run).
func init() {
	for ja, en := range map[string]string{
		"ファイルを送っています… %d%%": "Sending the file… %d%%",
		"ファイルを受け取りました。行を照合しています。大きなファイルでは1分ほどかかります…": "File received. Checking its rows; a large file takes about a minute…",
		"送信が途中で切れました。何も登録していません。もう一度送ってください。":        "The upload was cut off. Nothing was saved. Please send it again.",
		"確認する(まだ登録しません)": "Check (nothing is saved yet)",
		"確認しました(まだ何も登録していません)。ファイルの注文%d件のうち、%d件を新しく登録します。%d件は取込済みのため取り込みません。": "Checked (nothing saved yet). Of the file's %d orders, %d will be added; %d are already imported and will be left out.",
		"行":      "Line",
		"注文番号":   "Order number",
		"注文者":    "Buyer",
		"商品":     "Items",
		"請求金額":   "Amount billed",
		"結果":     "Result",
		"取り込みます": "Will be added",
		"取込済みのため取り込みません":  "Already imported: left out",
		"最初の%d件を表示しています。": "Showing the first %d.",
		"%d件を登録する":        "Add %d orders",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
