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

// ordersUnit is the unit after a count of orders: 件, or " order(s)" in English.
func ordersUnit(ctx context.Context, n int64) string {
	if n == 1 && stateOf(ctx).lang == langEN {
		return " order"
	}
	return t(ctx, "件")
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
	{user.MenuOrders, "要対応", attentionPath},
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
	"送信内容が大きすぎます":      "Request too large",
	"ログインしてください":       "Please log in",
	"表示できるメニューがありません。管理者に権限グループの設定を依頼してください。": "No menu is open to you. Ask an administrator to set your permission group.",
	"件を表示":    "shown",
	"連携履歴の詳細": "API call",
	"氏名":      "Name",
	"行を追加":    "Add a row",

	// Passwords: one's own (パスワード変更) and an administrator's reset (パスワード再設定).
	"パスワード変更":      "Change password",
	"パスワードを変更する":   "Change password",
	"現在のパスワード":     "Current password",
	"新しいパスワード":     "New password",
	"新しいパスワード(確認)": "New password (again)",
	"パスワードは%d文字以上です。変更すると、ほかのブラウザや端末でのログインはすべてログアウトします。APIトークンはそのまま使えます(取り消すときは管理者が ichigen token revoke で)。": "At least %d characters. Changing it logs you out in every other browser and device; API tokens keep working (an administrator revokes them with ichigen token revoke).",
	"パスワード再設定": "Reset password",
	"再設定する":    "Reset",
	"再設定すると、このユーザーのログイン中の画面はすべてログアウトします。新しいパスワードは本人に伝えてください。": "Resetting logs this user out everywhere. Tell them the new password.",

	// Bulk actions and the rule watch.
	"一括注文確認": "Confirm orders",
	"再取得":    "Re-fetch",
	"同梱":     "Bundle",
	"注文確認のあるモールの注文を、注文確認の自動処理の対象処理フェーズへ移動します": "Moves the orders of marketplaces with order confirmation (Rakuten) into the phase the confirm rule takes orders from",
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

	// 要対応 (the start page) and the order list's filter by link message.
	// The labels of the domain's codes: channels, rule kinds, link, marketplace and payment
	// statuses, management classes. Phase and shop names are the operator's and stay as entered.
	"注文確認待ち":       "Awaiting confirmation",
	"審査中":          "In review",
	"入金待ち":         "Awaiting payment",
	"発送待ち":         "Awaiting shipment",
	"変更確定待ち":       "Change pending",
	"発送済み":         "Shipped",
	"完了":           "Completed",
	"保留":           "On hold",
	"キャンセル確定待ち":    "Cancellation pending",
	"入金済み":         "Paid",
	"未入金":          "Unpaid",
	"通常":           "Normal",
	"決済審査済み":       "Payment reviewed",
	"Amazon":       "Amazon",
	"楽天市場":         "Rakuten Ichiba",
	"au PAY マーケット": "au PAY Market",
	"Yahoo!ショッピング": "Yahoo! Shopping",
	"自社カート":        "Own cart",
	"CSV店舗":        "CSV shop",
	"受注取込":         "Order import",
	"注文確認":         "Order confirmation",
	"決済審査結果確認":     "Payment review check",
	"注文情報ステータス取得":  "Order status fetch",
	"出荷情報反映":       "Shipment report",
	"受注完了ステータス反映":  "Completion report",
	"売上確定":         "Payment capture",
	"注文確認済み":       "Confirmed",
	"注文確認エラー":      "Confirmation error",
	"決済審査OK":       "Payment review OK",
	"決済審査NG":       "Payment review NG",
	"発送完了報告中":      "Reporting shipment",
	"発送完了報告済み":     "Shipment reported",
	"発送完了報告エラー":    "Shipment report error",
	"注文情報ステータス取得エラー": "Status fetch error",
	"出荷情報反映済み":       "Shipment reflected",
	"出荷情報反映エラー":      "Shipment reflection error",
	"受注完了ステータス反映済み":  "Completion reflected",
	"受注完了ステータス反映エラー": "Completion error",
	"要対応":     "Needs attention",
	"削除できません": "Cannot be deleted",
	"操作履歴":    "Audit log",
	"画面・API・コマンド(ichigen user / ichigen token)で変更された設定(店舗・認証情報・処理フェーズ・自動処理・通知先・ユーザー・権限グループ・パスワード・APIトークン)を、だれがいつ変えたか新しい順に示します。認証情報・パスワード・トークンの値は記録しません。": "Who changed which setting when, through the UI, the API or the commands ichigen user / ichigen token (shops, credentials, phases, rules, notifications, users, groups, passwords, API tokens), newest first. Credential values, passwords and tokens are never recorded.",
	"操作履歴はまだありません。": "No changes recorded yet.",
	"対象":              "Target",
	"新しい操作":           "Newer",
	"古い操作":            "Older",
	"API呼び出し(直近1時間)":  "API calls (last hour)",
	"%d回 (上限の%.1f%%)": "%d (%.1f%% of the quota)",
	"429(上限超過): %d回・自動で再試行済み": "429 (over quota): %d, retried automatically",
	"失敗: %d回": "failed: %d",
	"対応が必要なものはありません。":                         "Nothing needs attention.",
	"認証エラーのため、この店舗の自動処理は止まっています。":             "This shop's rules are stopped by an auth error.",
	"新しい認証情報を店舗設定で保存すると再開します。":                "They resume when new credentials are saved in the shop settings.",
	"認証情報が未設定です: %s。":                         "Credentials not set: %s.",
	"自動処理「%s」が停止中のため、新しい注文を取り込んでいません。":        "The rule %s is stopped: no new orders are imported.",
	"自動処理「%s」が停止中です。":                         "The rule %s is stopped.",
	"自動処理「%s」が%sから成功していないため、新しい注文を取り込めていません。": "The rule %s has not succeeded since %s: new orders are not coming in.",
	"自動処理「%s」が%sから成功していません。":                  "The rule %s has not succeeded since %s.",
	"連携履歴で失敗した呼び出しを確認してください。呼び出しもない場合は、ichigenが動いているか(ログと/healthz)を確認してください。": "Look for failed calls in the API call history; if there are no calls either, check that ichigen is running (its log and /healthz).",
	"連携履歴へ": "API call history",
	"対象処理フェーズで%s件の注文が待っています。": "%s orders wait in its target phase.",
	"自動処理設定へ": "Rules",
	"店舗設定へ":   "Shop settings",
	"最新の注文日時": "Newest order",
	"件数を押すと、その注文だけの一覧を開きます。原因を直してから「検索結果すべて」を選び、処理フェーズの移動や連携ステータスの変更で送り直してください。": "A count opens the list of exactly those orders. Fix the cause, tick “All results” and send them again by moving them to a phase or setting their link status.",
	"件数の多い%d種類を表示しています。ほかの連携エラーは": "The %d most frequent link errors are shown. Find the others in",
	"で連携ステータスを選んで確認してください。":       "by their link status.",
	"店舗の状態":     "Shops",
	"認証情報の有効期限": "Credentials expire",
	"停止中の自動処理":  "Stopped rules",
	"(期限切れ)":    "(expired)",
	"(あと%d日)":   "(%d days left)",
	"認証情報の有効期限(%s)が切れています。新しいキーを発行して保存してください。":    "The credentials expired on %s. Issue a new key and save it.",
	"認証情報の有効期限(%s)まで、あと%d日です。新しいキーを発行して保存してください。": "The credentials expire on %s, in %d days. Issue a new key and save it.",
	"(メッセージなし)": "(no message)",
	"この条件を外す":   "Remove this condition",

	// 要対応: orders waiting for their postage.
	"送料が未確定の注文が%s件あります。送料が確定するまで注文確認できません。": "%s orders have no fixed postage yet; they cannot be confirmed until it is.",
	"注文確認されないまま注文日から%d日たつと、モールがキャンセルします。":   "The marketplace cancels an order left unconfirmed %d days after it was placed.",
	"一覧を開く":   "Open the list",
	"キャンセルまで": "Cancelled on",
	"未確定":     "Not fixed",
	"モールに反映":  "Push to the marketplace",
	"円":       "yen",
	"送料が未確定のため注文確認できません。送料を入力してモールに反映し、そのあと注文確認してください。":                                            "The postage is not fixed, so the order cannot be confirmed. Enter the postage and push it to the marketplace, then confirm the order.",
	"直し方: RMSで送料を設定するか、注文詳細で送料を入力してRMSに反映してから、注文確認の処理フェーズに移動して注文確認してください。RMSで直した送料は次の受注取込で反映されます。": "To fix: set the postage in RMS, or enter it on the order's page to push it to RMS, then move the order to the confirm rule's phase to confirm it. A postage set in RMS arrives with the next import.",

	// Settings.
	"%s分ごと": "every %s min",
	"(取り込んだ注文が入る処理フェーズ)":            "(imported orders arrive here)",
	"1つの処理フェーズを対象にできる自動処理は1種類だけです。": "One phase can be the target of one kind of rule only.",
	"このグループのユーザーはいません。":             "No user is in this group.",
	"この店舗の自動処理は認証エラーで止まっています。新しい認証情報を保存すると、止まっていた自動処理が再開し、止まっていた間の注文もまとめて取り込みます。": "This shop's rules are stopped by an auth error. Saving new credentials resumes them, and the orders of the stop are imported too.",
	"この店舗は認証エラーで止まっています。開始中の自動処理も、店舗設定で新しい認証情報を保存するまで動きません。":                      "This shop is stopped by an auth error. Started rules do not run until new credentials are saved in the shop settings.",
	"この項目を削除する": "Remove this value",
	"なし":        "None",
	"なし: メニューを表示せず、その画面と操作を受け付けません。閲覧: 見るだけで、変更はできません。更新: 変更もできます。": "None: the menu is hidden and its pages refused. View: look, change nothing. Update: change too.",
	"エラー時の移動先":       "On error",
	"エラー時の移動先処理フェーズ": "Phase on error",
	"エラー通知メールの送信先":   "Where error e-mails go",
	"オフ(既定)なら、取込済みの注文はモールステータスと入金状況だけを更新し、ほかの項目は ichigen で編集した内容を残します。": "Off (default): an import refreshes only the marketplace and payment status of orders already stored, keeping what was edited in ichigen.",
	"キャンセル":     "Cancel",
	"パスワード(確認)": "Password (again)",
	"パスワードは10文字以上です。保存するのはハッシュ(bcrypt)だけで、あとから表示することはできません。": "At least 10 characters. Only its hash (bcrypt) is kept; it cannot be shown later.",
	"メニュー":         "Menu",
	"メールアドレス":      "E-mail",
	"ユーザー":         "Users",
	"ユーザーを追加":      "Add a user",
	"ユーザー・権限設定":    "Users and permissions",
	"ユーザー・権限設定へ戻る": "Back to users and permissions",
	"上へ":           "Up",
	"下へ":           "Down",
	"不明":           "Unknown",
	"並べ替え":         "Order",
	"保存したら開始する":    "Start it when saved",
	"保存した値は表示しません。変更する項目だけを入力し、ほかは空欄のままにしてください。": "Saved values are never shown. Enter only what changes and leave the rest blank.",
	"停止":  "Stop",
	"停止中": "Stopped",
	"処理フェーズの追加・名前の変更・並べ替えは、受注取込を止めずに行えます。注文と自動処理は処理フェーズを名前ではなくIDで覚えているので、名前を変えてもそのままです。": "Phases can be added, renamed and reordered while imports run. Orders and rules refer to a phase by its id, so a rename keeps them.",
	"注文が残っている処理フェーズ、自動処理が使っている処理フェーズ、先頭の処理フェーズは削除できません。削除した処理フェーズの名前は、注文の履歴に残ります。":       "A phase with orders in it, one a rule uses, and the first one cannot be deleted. A deleted phase's name stays in the order histories.",
	"処理フェーズ「%s」を削除します。よろしいですか?": "Delete the phase “%s”?",
	"削除": "Delete",
	"処理フェーズ・自動処理設定": "Phases and rules",
	"処理フェーズ名":       "Phase name",
	"前回実行":          "Last run",
	"受注取込では不要です":    "Not needed for import",
	"受注取込の前回実行は、取り込み済みの期間の終わりです。移動で動く自動処理は、移動と同時に実行を登録し、1分ごとにも対象処理フェーズを確認します。": "An import's last run is the end of the period it covered. Rules that act on moved orders are queued with the move, and also look at their phase every minute.",
	"受注取込・決済審査結果確認・注文情報ステータス取得のように、定期的にモールを確認する自動処理の間隔です。":                     "How often rules that poll the marketplace (import, payment review, status fetch) run.",
	"同一注文を上書きする":  "Overwrite orders already imported",
	"名前を変更":       "Rename",
	"基本情報":        "Shop",
	"実行間隔":        "Interval",
	"実行間隔(分)":     "Interval (minutes)",
	"対象処理フェーズ":    "Target phase",
	"店舗がまだありません。": "No shops yet.",
	"店舗がまだありません。店舗設定で店舗を追加してください。": "No shops yet. Add one in the shop settings.",
	"店舗を追加":         "Add a shop",
	"店舗コード":         "Shop code",
	"店舗一覧へ戻る":       "Back to the shops",
	"店舗名":           "Shop name",
	"店舗設定":          "Shops",
	"店舗設定・通知先":      "Shops and notifications",
	"成功時の移動先":       "On success",
	"成功時の移動先処理フェーズ": "Phase on success",
	"所属するユーザー":      "Members",
	"新しい処理フェーズ":     "New phase",
	"新しい店舗には標準の処理フェーズが作られます。認証情報は作成後の画面で入力します。": "A new shop gets the standard phases. Its credentials are entered on the next page.",
	"更新":          "Update",
	"有効":          "Active",
	"有効にする":       "Enable",
	"有効期限":        "Expires",
	"有効期限(分かる場合)": "Expiry (if known)",
	"有効期限が近づいています。新しいキーを発行して保存してください。": "The key expires soon. Issue a new one and save it.",
	"未設定": "Not set",
	"楽天の店舗URL、au PAY の店舗IDなど": "Rakuten shop URL, au PAY shop id, …",
	"権限グループ":                  "Permission group",
	"権限グループを追加":               "Add a group",
	"権限グループ名":                 "Group name",
	"次回実行":                    "Next run",
	"注文一括処理・注文個別確認":           "Orders",
	"注文数":                     "Orders",
	"無効":                      "Disabled",
	"無効にする":                   "Disable",
	"状態":                      "Status",
	"移動したとき":                  "On move",
	"稼働中":                     "Running",
	"空欄なら、キーを入れ替えたときは不明になり、楽天はモールから毎日読み取ります。": "Blank: a replaced key's expiry is unknown until Rakuten's is read (daily).",
	"編集":   "Edit",
	"自動処理": "Rule",
	"自動処理の実行でエラーがあると、実行ごとに1通のメールをこの宛先に送ります(エラーのない実行では送りません)。APIキーの認証エラーと有効期限の警告も同じ宛先に送ります。": "A rule run with errors sends one e-mail to these addresses (a clean run sends none), as do auth errors and key expiry warnings.",
	"自動処理はまだありません。": "No rules yet.",
	"自動処理を編集":       "Edit the rule",
	"自動処理を追加":       "Add a rule",
	"自動処理設定":        "Rules",
	"設定":            "Settings",
	"設定済み":          "Set",
	"認証エラー":         "Auth error",
	"認証情報":          "Credentials",
	"認証情報を保存":       "Save credentials",
	"追加":            "Add",
	"通知先":           "Notifications",
	"通知先が設定されていません。自動処理でエラーがあってもメールは送られません。": "No address is set: errors are not e-mailed.",
	"通知先の設定": "Change the addresses",
	"メールアドレス(1行に1つ、%d件まで)":                           "E-mail addresses (one a line, at most %d)",
	"この画面で保存した宛先に送ります。":                              "They go to the addresses saved here.",
	"この画面で保存した通知先がないため、起動時の設定(--notify-to)の宛先に送ります。": "No address is saved here, so they go to the start-up configuration's (--notify-to).",
	"メールの送信サーバーが設定されていないため、通知先があってもメールは送られません。起動時に --smtp-addr(環境変数 ICHIGEN_SMTP_ADDR)で送信サーバーを指定してください。": "No mail server is configured, so no e-mail is sent whatever the addresses. Start ichigen with --smtp-addr (ICHIGEN_SMTP_ADDR).",
	"保存すると、次のエラー通知からこの宛先に送ります。ichigen の再起動は要りません。":                                                       "Once saved, the next error e-mail goes to these addresses; ichigen need not restart.",
	"起動時の設定(--notify-to): %s。この画面の通知先を空にして保存すると、この宛先に送ります。":                                              "Start-up configuration (--notify-to): %s. Saving an empty list here sends to these.",
	"起動時の設定(--notify-to または環境変数 ICHIGEN_NOTIFY_TO)の宛先はありません。":                                            "The start-up configuration (--notify-to or ICHIGEN_NOTIFY_TO) names no address.",
	"最終更新: %s (%s)": "Last saved: %s (%s)",
	"開始":            "Start",
	"開始中":           "Started",
	"閲覧":            "View",
	"閲覧のみ: 変更するには、この設定の更新権限が必要です。": "View only: changing this needs the update level of this menu.",

	// The confirmation of a bulk move or link-status change.
	"一括操作の確認":    "Confirm the bulk action",
	"現在の処理フェーズ":  "Current phase",
	"対象の件数":      "Orders changed",
	"うち完了・キャンセル": "Of which completed or cancelled",
	"移動先の自動処理":   "Rule of the destination",
	"開始中: 移動した注文はすぐにモールへ連携されます。": "Started: the orders moved are sent to the marketplace at once.",
	"完了・キャンセルの%s件も含める":           "Include the %s completed or cancelled",
	"やめる":           "Cancel",
	"%s件を「%s」へ移動する": "Move %s orders to “%s”",
	"%s件の連携ステータスを「%s」に変更する": "Set the link status of %s orders to “%s”",
}
