package web

// The English of the order list's saved searches (issue 20 item 3), kept beside the feature.
func init() {
	for ja, en := range map[string]string{
		"検索条件の名前":  "Name of the search",
		"この条件を保存":  "Save this search",
		"保存した検索条件": "Saved searches",
		"まだありません。一覧で条件を指定して「この条件を保存」を押すと、ここに並びます。": "None yet. Filter the list and press 「Save this search」 to keep it here.",
		"検索条件「%s」を削除します。よろしいですか?":                  "Delete the saved search 「%s」?",
		"検索条件「%s」を削除": "Delete the saved search 「%s」",
		"検索条件「%s」を保存しました。左の「保存した検索条件」から開けます。": "Saved the search 「%s」. Open it from 「Saved searches」 on the left.",
		"検索条件「%s」を削除しました。":                    "Deleted the saved search 「%s」.",
	} {
		english[ja] = en
	}
}
