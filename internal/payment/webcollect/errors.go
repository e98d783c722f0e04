package webcollect

// Error codes the client acts on or the simulator answers with: 10 characters, the function's
// code, a class digit and six digits (marketplace-apis.md §5a.4; texts from the CS-Cart addon's
// ja .po and w2Commerce's YamatoKwcErrorMessage.xml, which agree code for code).
const (
	CodeMaintenance     = "Z010000000" // メンテナンス中
	CodeNotPost         = "Z012000001" // POST以外のリクエスト方式
	CodeNoFunction      = "Z012000002" // 機能区分なし
	CodeBadFunction     = "Z012000003" // 機能区分不正セット
	CodeInProgress      = "Z012000004" // 同受注番号にて決済中
	CodeGatewayTimeout  = "Z012000005" // タイムアウト
	CodePoolOver        = "Z012000006" // APIトランザクションのプール数オーバー
	CodeTradeSuspended  = "Z012000007" // 取引停止
	CodeAPIUnavailable  = "Z012000008" // API利用不可
	CodeAPIUnavailable2 = "Z012000009" // API利用不可
	CodeSystemError     = "Z019999999" // システムエラー

	CodeTokenOrderNoTaken = "A082000003" // 受付番号重複
	CodeTokenUnknown      = "A082000004" // トークンのカード情報取得失敗
	CodeTokenDeclined     = "A082000010" // 与信処理不可

	CodeCancelNoTrade     = "A062010001" // 受注データが存在しない
	CodeCancelBadStatus   = "A062010003" // 取消不可ステータス
	CodeCancelAfterBilled = "A062030001" // 請求後取消エラー

	CodeChangeBadTrade = "A073000001" // 受注データ不正
	CodeChangeSame     = "A074000001" // 金額変更なし
	CodeChangeDeclined = "A076000001" // 金額変更時の与信失敗

	// A11's codes are not in any public catalogue; the simulator follows A06's pattern (L).
	CodeReAuthNoTrade   = "A112010001"
	CodeReAuthBadStatus = "A112010003"

	// The stored-card functions' refusals: A03's checksum code is public (A031010571); A05's
	// checksum code follows it, and the unknown-card code is the simulator's own (L).
	CodeCardInfoCheckSum   = "A031010571" // チェックサム不正
	CodeCardDeleteCheckSum = "A051010571" // チェックサム不正
	CodeCardDeleteNoCard   = "A052000001" // お預かり情報なし

	CodeShipSlipMissing = "E011010401" // 伝票番号 未入力
	CodeShipSlipLength  = "E011010402" // 伝票番号 桁数不正
	CodeShipSlipChars   = "E011010404" // 伝票番号 文字種不正
	CodeShipNoOption    = "E011010251" // 加盟店が出荷情報登録不可 (他社配送の契約なし)
	CodeShipBadTrade    = "E011010351" // 受注データ不正
	CodeShipBadSlip     = "E011010451" // 伝票番号不正
	CodeShipRegistered  = "E012000001" // 伝票登録済み

	CodeShipCancelNotAllowed = "E021010251" // 取消不可
	CodeShipCancelBadTrade   = "E021010351" // 受注データ不正
	CodeShipCancelSlip       = "E022000001" // 伝票データ紐付けエラー
)

// texts are webコレクト's words for its codes, as the operator reads them.
var texts = map[string]string{
	CodeMaintenance: "メンテナンス中です", CodeNotPost: "POST以外のリクエスト方式です", CodeNoFunction: "機能区分がありません",
	CodeBadFunction: "機能区分が不正です", CodeInProgress: "同じ受付番号で決済中です", CodeGatewayTimeout: "タイムアウトしました",
	CodePoolOver: "APIトランザクションのプール数を超えました", CodeTradeSuspended: "取引が停止されています",
	CodeAPIUnavailable: "APIを利用できません", CodeAPIUnavailable2: "APIを利用できません", CodeSystemError: "システムエラーです",
	CodeTokenOrderNoTaken: "受付番号が重複しています", CodeTokenUnknown: "トークンのカード情報を取得できませんでした", CodeTokenDeclined: "与信処理ができませんでした",
	CodeCancelNoTrade: "受注データが存在しません", CodeCancelBadStatus: "取消できないステータスです", CodeCancelAfterBilled: "請求後のため取消できません",
	CodeChangeBadTrade: "受注データが不正です", CodeChangeSame: "金額に変更がありません", CodeChangeDeclined: "金額変更時の与信に失敗しました",
	CodeReAuthNoTrade: "受注データが存在しません", CodeReAuthBadStatus: "再与信できないステータスです",
	CodeShipSlipMissing: "伝票番号が入力されていません", CodeShipSlipLength: "伝票番号の桁数が不正です", CodeShipSlipChars: "伝票番号に使えない文字が含まれています",
	CodeShipNoOption: "出荷情報登録ができない加盟店です", CodeShipBadTrade: "受注データが不正です", CodeShipBadSlip: "伝票番号が不正です",
	CodeShipRegistered: "伝票は登録済みです", CodeShipCancelNotAllowed: "取消できません", CodeShipCancelBadTrade: "受注データが不正です",
	CodeShipCancelSlip:   "伝票データの紐付けエラーです",
	CodeCardInfoCheckSum: "チェックサムが不正です", CodeCardDeleteCheckSum: "チェックサムが不正です", CodeCardDeleteNoCard: "お預かり情報がありません",
}

// Text returns webコレクト's words for a code ("" when the code is not known here).
func Text(code string) string { return texts[code] }
