package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// The UI languages: Japanese first, English second.
const (
	langJA = "ja"
	langEN = "en"
)

// languageOf reads the language cookie.
func languageOf(r *http.Request) string {
	if c, err := r.Cookie(languageCookie); err == nil && c.Value == langEN {
		return langEN
	}
	return langJA
}

// switchLanguage sets the language cookie and goes back.
func (h *Handler) switchLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if lang != langEN {
		lang = langJA
	}
	http.SetCookie(w, &http.Cookie{Name: languageCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.deps.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// t translates a UI text written in Japanese into the request's language. Texts missing from
// the English catalogue stay Japanese; messages from the domain (errors) are Japanese only.
func t(ctx context.Context, ja string) string {
	if stateOf(ctx).lang == langEN {
		if en, ok := english[ja]; ok {
			return en
		}
	}
	return ja
}

// tf translates a format written in Japanese and fills it in; the English catalogue keys the
// Japanese format.
func tf(ctx context.Context, ja string, args ...any) string {
	return fmt.Sprintf(t(ctx, ja), args...)
}

// navMenu is one entry of the navigation.
type navMenu struct {
	menu  user.Menu
	label string
	path  string
}

// navMenus are the menus that have pages, in display order.
var navMenus = []navMenu{
	{user.MenuOrders, "注文一括処理", "/orders"},
	{user.MenuHistory, "連携履歴", "/history"},
}

// english is the English catalogue, keyed by the Japanese text.
var english = map[string]string{
	"一元":       "ichigen",
	"ログイン":     "Log in",
	"ログアウト":    "Log out",
	"ログインID":   "Login",
	"パスワード":    "Password",
	"注文一括処理":   "Orders",
	"注文個別確認":   "Order",
	"連携履歴":     "API call history",
	"検索":       "Search",
	"条件をクリア":   "Clear",
	"店舗":       "Shop",
	"チャネル":     "Channel",
	"処理フェーズ":   "Phase",
	"連携ステータス":  "Link status",
	"連携メッセージ":  "Link message",
	"モールステータス": "Marketplace status",
	"入金状況":     "Payment",
	"管理区分":     "Management class",
	"注文日":      "Order date",
	"注文日時":     "Ordered at",
	"キーワード":    "Keyword",
	"注文番号・購入者名・配送番号": "Order number, buyer, tracking number",
	"すべて":     "All",
	"空欄(未処理)": "Blank (not processed)",
	"注文番号":    "Order number",
	"購入者":     "Buyer",
	"合計金額":    "Total",
	"更新日時":    "Updated",
	"件":       " orders",
	"該当する注文はありません。": "No orders match.",
	"選択した注文":        "Selected orders",
	"検索結果すべて":       "All results",
	"処理フェーズを移動":     "Move to phase",
	"連携ステータスを変更":    "Set link status",
	"CSV出力":         "Export CSV",
	"Shift_JISで出力":  "Shift_JIS",
	"移動先":           "Move to",
	"実行":            "Apply",
	"前へ":            "Previous",
	"次へ":            "Next",
	"フェーズ別件数":       "Orders per phase",
	"購入者情報":         "Buyer",
	"お届け先":          "Ship to",
	"商品":            "Items",
	"金額":            "Amounts",
	"決済":            "Payment",
	"出荷情報":          "Shipments",
	"発送日":           "Ship date",
	"配送会社":          "Carrier",
	"配送番号":          "Tracking number",
	"保存":            "Save",
	"履歴":            "Events",
	"日時":            "At",
	"操作者":           "By",
	"内容":            "What",
	"処理":            "Job",
	"操作":            "Operation",
	"結果":            "Outcome",
	"エラー":           "Error",
	"所要時間":          "Duration",
	"リクエスト":         "Request",
	"レスポンス":         "Response",
	"期間":            "Period",
	"商品合計":          "Goods",
	"消費税":           "Tax",
	"送料":            "Postage",
	"決済手数料":         "Payment fee",
	"値引き":           "Discount",
	"利用ポイント":        "Points",
	"請求金額":          "Requested",
	"支払方法":          "Payment method",
	"数量":            "Qty",
	"単価":            "Unit price",
	"税率":            "Tax rate",
	"商品名":           "Item",
	"選択肢":           "Options",
	"一覧へ戻る":         "Back to the list",
	"変更":            "Change",
	"この注文の連携履歴":     "This order's API calls",
	"この注文の連携履歴はありません。": "No API calls for this order yet.",
	"連携履歴はありません。":      "No API calls match.",
	"閲覧のみ":             "View only",
	"ページが見つかりません":      "Page not found",
	"エラーが発生しました":       "Something went wrong",
	"権限がありません":         "Not allowed",
	"ログインしてください":       "Please log in",
	"表示できるメニューがありません。管理者に権限グループの設定を依頼してください。": "No menu is open to you. Ask an administrator to set your permission group.",
	"件を表示":    "shown",
	"連携履歴の詳細": "API call",
	"氏名":      "Name",
	"行を追加":    "Add a row",

	// Bulk actions and the rule watch.
	"一括注文確認": "Confirm (Rakuten)",
	"再取得":    "Re-fetch",
	"同梱":     "Bundle",
	"楽天市場の注文を、注文確認の自動処理の対象処理フェーズへ移動します": "Moves the Rakuten orders into the phase the confirm rule takes orders from",
	"モールから注文を読み直し、モールステータスと入金状況を更新します":  "Reads the orders back from the marketplace and refreshes their marketplace and payment status",
	"同じ購入者・お届け先の注文を、いちばん古い注文にまとめます":     "Merges orders of one buyer and ship-to into the oldest",
	"自動処理「%s」が処理しています。「%s」に残り%d件。":      "The rule %s is working: %[3]d left in %[2]s.",
	"自動処理「%s」が終わりました。":                  "The rule %s is done.",
	"「%s」に%d件が残っています。自動処理「%s」の対象外の注文(連携ステータスが対象でない、モールの反映待ちなど)は、このフェーズに残ります。": "%[2]d orders stay in %[1]s. Orders the rule %[3]s does not take (another link status, waiting for the marketplace) stay in this phase.",
	"再表示":   "Reload",
	"結果を表示": "Show the result",

	// Bundles and splits.
	"同梱親":          "Bundle parent",
	"同梱子":          "Bundle children",
	"分割元":          "Split from",
	"分割先":          "Split into",
	"同梱解除":         "Undo bundle",
	"分割":           "Split",
	"分割解除":         "Undo split",
	"分割先へ移す数量":     "Qty to move",
	"上記の注意を確認しました": "I have read the note above",
	"同梱子はモールへ連携しません。同梱親の注文番号で連携します。":                        "A bundle child is never sent; its parent is sent under its own number.",
	"分割先へ移す数量を入力してください。移した商品で新しい注文(注文番号-連番)を作り、それぞれ出荷できます。": "Enter the quantities to move. They become a new order (number-n) that ships on its own.",
}
