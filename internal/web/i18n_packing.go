package web

// The English of the packing bench's pages (配送番号取込, 送り状データ), added to the catalogue.
func init() {
	for ja, en := range map[string]string{
		"%d件の注文に配送番号を登録しました(%d行)。": "Saved tracking numbers on %d orders (%d rows).",
		"%d件を処理フェーズに移動しました。":       "Moved %d of them to the phase.",
		"お客様管理番号・注文番号":             "Customer reference / order number",
		"ファイル":                     "File",
		"ファイルから判断(B2・e飛伝)":         "From the file (B2, e-Hiden)",
		"別のファイルを取り込む":              "Import another file",
		"形式: %s / 配送会社: %s":        "Format: %s / carrier: %s",
		"照合する":                     "Check",
		"照合結果":                     "Result",
		"発送日(ファイルにない行)":            "Ship date (rows without one)",
		"登録した注文の移動先":               "Move the saved orders to",
		"登録しない行":                   "Rows not saved",
		"登録できる%d行を登録する":            "Save the %d valid rows",
		"移動しない":                    "Do not move",
		"行":                        "Line",
		"行数":                       "Rows",
		"送り状ソフト(B2クラウドの発行済データ、e飛伝Ⅲの出荷データ)のCSV、または「お客様管理番号(または注文番号),配送番号,発送日」の見出しなしCSVを取り込みます。UTF-8 と Shift_JIS のどちらでも読めます。まず照合結果を表示し、登録するまで何も変更しません。": "Imports the label program's CSV (B2 Cloud issued data, e-Hiden III shipment data), or a CSV without header of customer reference (or order number), tracking number and ship date. UTF-8 and Shift_JIS are both read. The result is shown first; nothing changes until you save.",
		"送り状データ": "Label data",
		"選んだ注文(または検索結果すべて)の送り状データを、運送会社の送り状ソフトの取込形式(Shift_JIS)で出力します": "Writes the selected orders (or every result) in the import layout of the carrier's label program (Shift_JIS)",
		"配送番号取込":   "Import tracking numbers",
		"出荷設定":     "Shipping settings",
		"店舗設定へ戻る":  "Back to the shop",
		"送り状のご依頼主": "Sender on the labels",
		"送り状データ(B2クラウド・e飛伝Ⅲ・ゆうプリR)のご依頼主欄に出力します。": "Printed as the sender of the label data (B2 Cloud, e-Hiden III, Yu-Print R).",
		"ご依頼主名":          "Sender name",
		"ご依頼主名(カナ)":      "Sender name (kana)",
		"ヤマト運輸 請求先顧客コード": "Yamato billing customer code",
		"ヤマト運輸 運賃管理番号":   "Yamato freight number",
		"佐川急便 お客様コード":    "Sagawa customer code",
		"出荷設定(送り状のご依頼主)": "Shipping settings (label sender)",
		"住所":             "Address",
		"郵便番号":           "Postal code",
		"電話番号":           "Phone",
	} {
		english[ja] = en
	}
}
