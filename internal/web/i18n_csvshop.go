package web

// The English of the CSV shop's pages (注文CSV取込, CSV設定) and the 送り状データ page, added to the catalogue. Keys already
// in it (住所, 電話番号, …) are left to their first English.
func init() {
	for ja, en := range map[string]string{
		"CSV設定":      "CSV settings",
		"注文CSVの列の対応": "Order CSV column mapping",
		"注文CSVの見出し(1行目)の列名を、注文の項目ごとに入力します。1行が1商品で、同じ注文番号の行は1件の注文になります。*は必須です。": "Enter, for each order field, the column name in the order CSV's header (line 1). One line is one item; lines with the same order number make one order. * is required.",
		"まだ登録されていません。登録するまでこの店舗の注文CSVは取り込めません。":                                "Not saved yet. This shop's order CSV cannot be imported until it is.",
		"注文CSVを取り込む":  "Import an order CSV",
		"出荷データCSVの形式": "Shipment CSV layout",
		"モールや取引先に渡す出荷データの列を、1行に1列ずつ「見出し,項目」または「見出し,,固定文字」で入力します。項目: order_number(注文番号) ship_date(発送日) carrier_code(配送会社コード) carrier_name(配送会社名) tracking_number(配送番号) package_key(荷物) buyer_name(注文者名)": "Enter the columns of the shipment data you hand to the mall or partner, one per line, as \"header,field\" or \"header,,fixed text\". Fields: order_number, ship_date, carrier_code, carrier_name, tracking_number, package_key, buyer_name",
		"列":           "Columns",
		"出荷データCSVの出力": "Shipment CSV download",
		"選んだ処理フェーズにあるこの店舗の注文のうち、配送番号のある荷物を1行ずつ出力します。": "Writes one line per parcel with a tracking number, of this shop's orders in the chosen phase.",
		"出荷データをダウンロード": "Download the shipment data",
		"注文CSV取込":      "Import order CSV",
		"店舗のCSV設定で登録した列の対応で、注文CSVを取り込みます。UTF-8 と Shift_JIS のどちらでも読めます。1行でも読めない行があればファイル全体を取り込まず、行番号と直し方を表示します。取込済みの注文番号は二度と取り込みません。": "Imports an order CSV with the column mapping saved in the shop's CSV settings. UTF-8 and Shift_JIS are both read. If any line cannot be read, nothing of the file is imported and each line is shown with what to fix. An order number already imported is never imported again.",
		"ほか%d行":      "and %d more lines",
		"取り込む処理フェーズ": "Import into phase",
		"取り込む":       "Import",
		"ファイルの注文%d件のうち、%d件を新しく登録しました。%d件は取込済みのため取り込んでいません。": "Of the file's %d orders, %d were added. %d were already imported and were left as they are.",
		"CSV設定(注文CSVの列の対応・出荷データの形式)":                        "CSV settings (order CSV mapping, shipment CSV layout)",
		"%d行を出力します。%d件の注文は出力しません。注意が%d件あります。":               "%d rows will be written. %d orders are left out. %d warnings.",
		"次の注意を確認してから送り状ソフトに取り込んでください。":                      "Check these warnings before importing the file into the label program.",
		"出力しません":         "Left out",
		"ほか%d件の注意があります。": "%d more warnings.",
		"送り状データをダウンロード":  "Download the label data",
		"注文一覧へ戻る":        "Back to the orders",
		"注文番号":           "Order number",
		"注文日時":           "Ordered at",
		"注文者名":           "Buyer name",
		"注文者名(カナ)":       "Buyer name (kana)",
		"メールアドレス":        "E-mail address",
		"お届け先名":          "Recipient name",
		"お届け先電話番号":       "Recipient phone",
		"お届け先郵便番号":       "Recipient postal code",
		"お届け先住所":         "Recipient address",
		"お届け希望日":         "Delivery date",
		"お届け時間帯":         "Delivery time",
		"商品コード":          "SKU",
		"商品名":            "Item name",
		"単価":             "Unit price",
		"数量":             "Quantity",
		"税率":             "Tax rate",
		"送料":             "Postage",
		"手数料":            "Fee",
		"支払方法":           "Payment method",
	} {
		if _, ok := english[ja]; !ok {
			english[ja] = en
		}
	}
}
