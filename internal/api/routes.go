package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/user"
)

// operation is one line of the operation table: an API operation with the menu and level it
// needs, as the UI's route table gives them for the same action.
type operation struct {
	ID      string
	Method  string
	Path    string // below Prefix, huma's {param} syntax
	Summary string
	// Menu and Level are what the token's group needs. Menu "" asks only for a valid token.
	Menu  user.Menu
	Level user.Level
	// DefaultStatus is the success status when it is not 200 (201 for a creation).
	DefaultStatus int
	// Signed marks an operation a machine calls without a token, authenticated by the
	// signature its handler checks (the own cart's order intake).
	Signed   bool
	register func(api huma.API, op huma.Operation)
}

// operations is the operation table: every operation of the API with what it needs. New
// operations go here and nowhere else; a request to an operation registered any other way is
// refused, and the operation × level test walks every operation of the OpenAPI document.
func (h *Handler) operations() []operation {
	view := func(id, path string, menu user.Menu, summary string, reg func(huma.API, huma.Operation)) operation {
		return operation{ID: id, Method: http.MethodGet, Path: path, Summary: summary, Menu: menu, Level: user.View, register: reg}
	}
	update := func(id, method, path string, menu user.Menu, summary string, reg func(huma.API, huma.Operation)) operation {
		return operation{ID: id, Method: method, Path: path, Summary: summary, Menu: menu, Level: user.Update, register: reg}
	}
	created := func(o operation) operation { o.DefaultStatus = http.StatusCreated; return o }
	deleted := func(o operation) operation { o.DefaultStatus = http.StatusNoContent; return o }
	const (
		get  = http.MethodGet
		post = http.MethodPost
		put  = http.MethodPut
		del  = http.MethodDelete
	)
	orders, history, shops, workflow, users := user.MenuOrders, user.MenuHistory, user.MenuShops, user.MenuWorkflow, user.MenuUsers
	return []operation{
		{ID: "get-me", Method: get, Path: "/me", Summary: "トークンのユーザーと権限", register: handle(h, h.me)},
		{ID: "intake-cart-order", Method: post, Path: "/ownshop/shops/{id}/orders", Summary: "自社カートからの注文の受付 (署名つき、注文番号で冪等)", Signed: true, register: h.registerCartIntake},

		view("get-attention", "/attention", orders, "要対応: 店舗ごとの認証情報の状態・停止中の自動処理と、連携エラーの注文を原因ごとにまとめたもの (まとまりごとに注文を探す filter つき)", handle(h, h.getAttention)),
		view("search-orders", "/orders", orders, "注文の検索 (注文一括処理)", handle(h, h.searchOrders)),
		view("list-saved-searches", "/saved-searches", orders, "保存した検索条件 (注文一括処理の左側に並ぶもの) の一覧。並び順 (position) の順、それぞれ当てはまる注文の件数つき", handle(h, h.listSavedSearches)),
		created(update("create-saved-search", post, "/saved-searches", orders, "検索条件の保存 (名前は50文字まで・重複不可、最大50件)。注文一括処理の画面にも並ぶ", handle(h, h.createSavedSearch))),
		deleted(update("delete-saved-search", del, "/saved-searches/{id}", orders, "保存した検索条件の削除", handle(h, h.deleteSavedSearch))),
		update("update-saved-search", http.MethodPatch, "/saved-searches/{id}", orders, "保存した検索条件の名前の変更・並べ替え (name・position のどちらか、または両方)", handle(h, h.updateSavedSearch)),
		view("search-saved-search-orders", "/saved-searches/{id}/orders", orders, "保存した検索条件で注文を検索 (GET /orders と同じページ。並び順は保存したときのもの)", handle(h, h.savedSearchOrders)),
		view("count-orders-by-phase", "/orders/phase-counts", orders, "処理フェーズごとの注文数 (検索条件つき)", handle(h, h.countOrdersByPhase)),
		view("export-orders", "/orders/export.csv", orders, "注文のCSV出力 (検索結果すべて、または注文IDを指定。最大100,000件)", csvResponse(handle(h, h.exportOrders))),
		view("export-labels", "/orders/labels.csv", orders, "送り状データのCSV出力 (B2クラウド・e飛伝Ⅲ・ゆうプリR の取込形式、Shift_JIS。検索結果すべて、または注文IDを指定)", labelsResponse(handle(h, h.exportLabels))),
		update("import-tracking", post, "/tracking-imports", orders, "配送番号の取込 (送り状ソフトの発行済データか2列CSV)。confirm=false で照合レポートのみ、confirm=true で登録できる行をすべて1つのトランザクションで登録し、指定した処理フェーズへ移動", withMaxBody(maxTrackingBody, handle(h, h.importTracking))),
		view("get-order", "/orders/{id}", orders, "注文の詳細 (注文個別確認)", handle(h, h.getOrder)),
		update("update-shipments", put, "/orders/{id}/shipments", orders, "出荷情報 (発送日・配送会社・配送番号) の保存", handle(h, h.updateShipments)),
		update("move-orders", post, "/orders/move", orders, "処理フェーズの移動 (移動先の自動処理を同じトランザクションで登録)。dry_run で件数と内訳を確認、10件を超えると confirm_count が必要、完了・キャンセルの注文は include_final のときだけ", handle(h, h.moveOrders)),
		update("confirm-orders", post, "/orders/confirm", orders, "注文確認 (店舗の注文確認の対象処理フェーズへ移動)", handle(h, h.confirmOrders)),
		update("set-link-status", post, "/orders/link-status", orders, "連携ステータスの手動変更。dry_run で件数と内訳を確認、10件を超えると confirm_count が必要、完了・キャンセルの注文は include_final のときだけ", handle(h, h.setLinkStatus)),
		update("refetch-orders", post, "/orders/refetch", orders, "モールのステータスを再取得", handle(h, h.refetchOrders)),
		update("bundle-orders", post, "/orders/bundle", orders, "同梱", handle(h, h.bundleOrders)),
		update("cancel-card-payments", post, "/orders/card-cancel", orders, "カード決済のキャンセル (自社カートのクロネコwebコレクト、仮売上の注文だけ。1件でも、まとめてでも)", handle(h, h.cancelCardPayments)),
		update("change-payment-method", post, "/orders/{id}/payment-method", orders, "決済方法の変更 (自社カート、注文キャンセル後。変更後の手数料は0円、配送ステータスは未配送へ)", handle(h, h.changePaymentMethod)),
		view("list-stored-cards", "/shops/{id}/members/{member}/cards", orders, "会員のお預かりカードの一覧 (自社カートのクロネコwebコレクト A03。カード番号はマスクされたものだけ)", handle(h, h.listStoredCards)),
		update("delete-stored-card", del, "/shops/{id}/members/{member}/cards/{card_key}", orders, "会員のお預かりカードの削除 (会員からの依頼で。webコレクト A05、操作履歴に会員IDとマスクしたカード番号を記録)", handle(h, h.deleteStoredCard)),
		update("set-payment-status", post, "/orders/{id}/payment-status", orders, "決済ステータスの手動変更 (自社カート、見た目上のステータス変更。理由を注文の履歴に残し、webコレクトには送らない)", handle(h, h.setPaymentStatus)),
		update("set-order-postage", post, "/orders/{id}/postage", orders, "送料未確定(楽天の-9999)の注文の送料をモールに反映 (ジョブを登録)。送料が確定している注文は拒否", handle(h, h.setOrderPostage)),
		update("set-orders-postage", post, "/orders/postage", orders, "選んだ注文のうち送料未確定の注文すべてに同じ送料をモールに反映 (注文ごとにジョブを登録)。dry_run で件数と内訳を確認、10件を超えると confirm_count が必要、完了・キャンセルの注文は include_final のときだけ", handle(h, h.setOrdersPostage)),
		update("set-order-memo", put, "/orders/{id}/memo", orders, "店舗のメモ (備考・メモ) の保存。取込では変わらず、変更は注文の履歴に残る。version を渡すと他の更新との衝突を 409 で拒否", handle(h, h.setOrderMemo)),
		update("mark-order-paid", post, "/orders/{id}/paid", orders, "入金確認: 店舗が代金を受け取る決済(選択制決済)の未入金の注文を入金済みにする (入金日つき)。入金済み・モールが入金を確認する決済・キャンセルの注文は拒否", handle(h, h.markOrderPaid)),
		update("mark-orders-paid", post, "/orders/paid", orders, "選んだ注文の入金確認 (入金日つき)。入金確認できない注文は変更せず件数を返す。dry_run で件数と内訳を確認、10件を超えると confirm_count が必要、完了の注文は include_final のときだけ", handle(h, h.markOrdersPaid)),
		update("cancel-order", post, "/orders/{id}/cancel", orders, "モールで注文をキャンセル (RMS cancelOrder、au PAY cancelTradeProc。ジョブを登録)。モールがキャンセルを受け付けない状態・理由・同梱や分割の注文は拒否", handle(h, h.cancelOrder)),
		update("cancel-orders", post, "/orders/cancel", orders, "選んだ注文をモールでキャンセル (注文ごとにジョブを登録)。キャンセルできない注文は変更せず理由ごとの件数を返す。取り消せないため dry_run で確かめ、confirm_count が常に必要", handle(h, h.cancelOrders)),
		update("edit-order", post, "/orders/{id}/edit", orders, "注文内容修正をモールに反映 (送付先・送料・決済手数料・数量・単価。RMS updateOrderSender、自社カートは仮売上のあいだwebコレクトの金額変更A07。ジョブを登録)。dry_run で送る変更を確認。モールが受け付けない状態・項目 (au PAY は変更APIなし) は理由つきで拒否", handle(h, h.editOrder)),
		update("unbundle-order", post, "/orders/{id}/unbundle", orders, "同梱の解除", handle(h, h.unbundleOrder)),
		created(update("split-order", post, "/orders/{id}/split", orders, "分割", handle(h, h.splitOrder))),
		update("unsplit-order", post, "/orders/{id}/unsplit", orders, "分割の解除", handle(h, h.unsplitOrder)),

		update("send-mail", post, "/orders/mail", orders, "メール送信 (選んだ注文の購入者へテンプレートのメールを送信。送信済みでももう一度送ります。ジョブを登録)", handle(h, h.sendMail)),
		view("list-order-mails", "/orders/{id}/mails", orders, "注文のメール履歴 (送信した本文つき)", handle(h, h.listOrderMails)),
		view("list-mails", "/mails", orders, "送信したメールの一覧 (新しい順)", handle(h, h.listRecentMails)),

		view("list-shops", "/shops", shops, "店舗の一覧 (認証情報は設定済みのキー名と有効期限のみ)", handle(h, h.listShops)),
		view("get-shop", "/shops/{id}", shops, "店舗", handle(h, h.getShop)),
		created(update("create-shop", post, "/shops", shops, "店舗の追加 (標準の処理フェーズつき)", handle(h, h.createShop))),
		update("update-shop", put, "/shops/{id}", shops, "店舗名・店舗ID・同一注文の上書きの保存", handle(h, h.updateShop)),
		update("set-shop-credentials", put, "/shops/{id}/credentials", shops, "認証情報の保存 (書き込みのみ。空の値は保存済みのまま)", handle(h, h.setCredentials)),
		update("test-shop-connection", post, "/shops/{id}/connection-test", shops, "接続テスト (注文の読み取りを1回だけ行い、認証情報と接続先を確かめる。失敗は ok: false と理由)", handle(h, h.testConnection)),
		{ID: "import-orders-range", Method: post, Path: "/shops/{id}/import", Summary: "期間を指定して受注取込 (ジョブを登録)", Menu: orders, Level: user.Update,
			DefaultStatus: http.StatusAccepted, register: handle(h, h.importRange)},
		view("get-shop-sender", "/shops/{id}/sender", shops, "店舗の出荷設定 (送り状のご依頼主と運送会社の契約番号)", handle(h, h.getSender)),
		update("set-shop-sender", put, "/shops/{id}/sender", shops, "店舗の出荷設定の保存", handle(h, h.setSender)),
		view("get-shop-csv-mapping", "/shops/{id}/csv-mapping", shops, "店舗のCSV注文取込の列の対応", handle(h, h.getCSVMapping)),
		update("set-shop-csv-mapping", put, "/shops/{id}/csv-mapping", shops, "店舗のCSV注文取込の列の対応の保存", handle(h, h.setCSVMapping)),
		update("import-csv-orders", post, "/shops/{id}/csv-orders", orders, "CSVから注文を取込 (店舗の列の対応で読み、壊れた行があれば行番号つきで全体を拒否。取込済みの注文は二重に取り込みません)", withMaxBody(maxTrackingBody, handle(h, h.importCSVOrders))),
		view("get-upload-progress", "/upload-progress/{key}", orders, "送ったファイルの確認の進み具合 (確認済みの行数と読んだバイト数。送るときの progress のキー)", handle(h, h.uploadProgress)),
		view("get-shop-csv-shipment-layout", "/shops/{id}/csv-shipment-layout", shops, "店舗の出荷データCSV(モールへアップロードするファイル)の列", handle(h, h.getShipmentLayout)),
		update("set-shop-csv-shipment-layout", put, "/shops/{id}/csv-shipment-layout", shops, "店舗の出荷データCSVの列の保存", handle(h, h.setShipmentLayout)),
		view("export-csv-shipments", "/shops/{id}/csv-shipments.csv", orders, "店舗の出荷データCSV (店舗が登録した列で、配送番号のある送付先1件が1行)", csvResponse(handle(h, h.exportShipments))),
		view("list-mail-templates", "/shops/{id}/mail-templates", shops, "店舗で使えるメールテンプレート (店舗のものと共通のもの) と差し込み項目", handle(h, h.listMailTemplates)),
		created(update("create-mail-template", post, "/mail-templates", shops, "メールテンプレートの追加 (知らない差し込み項目は 422)", handle(h, h.createMailTemplate))),
		update("update-mail-template", put, "/mail-templates/{id}", shops, "メールテンプレートの保存 (知らない差し込み項目は 422)", handle(h, h.updateMailTemplate)),
		deleted(update("delete-mail-template", del, "/mail-templates/{id}", shops, "メールテンプレートの削除 (自動処理が使っていれば 409)", handle(h, h.deleteMailTemplate))),
		update("preview-mail", post, "/mail-templates/preview", shops, "メールのプレビュー (店舗の実際の注文で差し込み、送信はしません)", handle(h, h.previewMail)),
		view("get-mail-settings", "/shops/{id}/mail-settings", shops, "店舗のメール送信設定 (SMTP。パスワードは返しません)", handle(h, h.getMailSettings)),
		update("set-mail-settings", put, "/shops/{id}/mail-settings", shops, "店舗のメール送信設定の保存 (パスワードは暗号化して保存。空なら保存済みのまま)", handle(h, h.setMailSettings)),
		view("get-notify-addresses", "/settings/notify", shops, "通知先 (エラー通知メールの送信先)", handle(h, h.getNotify)),
		update("set-notify-addresses", put, "/settings/notify", shops, "通知先の保存 (次のエラー通知から使います。空の配列で起動時の設定に戻ります)", handle(h, h.setNotify)),

		view("list-phases", "/phases", workflow, "処理フェーズ (表示順)。全店舗で共通", handle(h, h.listPhases)),
		created(update("create-phase", post, "/phases", workflow, "処理フェーズの追加", handle(h, h.createPhase))),
		update("reorder-phases", put, "/phases/order", workflow, "処理フェーズの並べ替え", handle(h, h.reorderPhases)),
		update("rename-phase", put, "/phases/{id}", workflow, "処理フェーズ名の変更", handle(h, h.renamePhase)),
		update("set-phase-expected", put, "/phases/{id}/expected-hours", workflow, "処理フェーズの想定滞留時間 (これより長く留まる注文を要対応が店舗ごとに数える。0は制限なし)", handle(h, h.setPhaseExpected)),
		deleted(update("delete-phase", del, "/phases/{id}", workflow, "処理フェーズの削除 (注文が残っている・自動処理が使っている・先頭の処理フェーズは 409)", handle(h, h.deletePhase))),
		view("list-rules", "/shops/{id}/rules", workflow, "店舗の自動処理", handle(h, h.listRules)),
		created(update("create-rule", post, "/shops/{id}/rules", workflow, "自動処理の追加", handle(h, h.createRule))),
		update("update-rule", put, "/rules/{id}", workflow, "自動処理の保存", handle(h, h.updateRule)),
		update("start-rule", post, "/rules/{id}/start", workflow, "自動処理の開始", handle(h, h.startRule)),
		update("stop-rule", post, "/rules/{id}/stop", workflow, "自動処理の停止", handle(h, h.stopRule)),
		view("preview-rule", "/rules/{id}/preview", workflow, "自動処理のプレビュー (対象処理フェーズの注文のどれを送り、どれを送らないかと理由、送信する内容。モールには何も送信しません)", handle(h, h.previewSavedRule)),
		view("preview-draft-rule", "/shops/{id}/rules/preview", workflow, "保存前の自動処理のプレビュー (種類と対象処理フェーズを指定。モールには何も送信しません)", handle(h, h.previewDraftRule)),

		view("list-users", "/users", users, "ユーザーの一覧", handle(h, h.listUsers)),
		created(update("create-user", post, "/users", users, "ユーザーの追加", handle(h, h.createUser))),
		update("update-user", put, "/users/{id}", users, "ユーザーの名前・メールアドレス・権限グループの保存", handle(h, h.updateUser)),
		update("set-user-disabled", put, "/users/{id}/disabled", users, "ユーザーの無効化・有効化", handle(h, h.setUserDisabled)),
		update("set-user-password", put, "/users/{id}/password", users, "ユーザーのパスワードの再設定 (ログイン中のWeb画面のセッションはすべて終了)", handle(h, h.setPassword)),
		view("list-groups", "/groups", users, "権限グループの一覧", handle(h, h.listGroups)),
		view("list-audit", "/audit", users, "操作履歴 (設定をだれがいつ変えたか。新しい順)", handle(h, h.listAudit)),
		created(update("create-group", post, "/groups", users, "権限グループの追加", handle(h, h.createGroup))),
		update("update-group", put, "/groups/{id}", users, "権限グループの保存 (メニューごとの権限)", handle(h, h.updateGroup)),

		view("list-calls", "/calls", history, "連携履歴の検索", handle(h, h.listCalls)),
		view("get-call", "/calls/{id}", history, "連携履歴 1件 (マスク済みのリクエストとレスポンス)", handle(h, h.getCall)),
	}
}

// permission is the operation's need as the OpenAPI document states it: "orders:update", or
// "token" for an operation open to any valid token.
func (o operation) permission() string {
	if o.Signed {
		return "signature"
	}
	if o.Menu == "" {
		return "token"
	}
	if o.Level >= user.Update {
		return string(o.Menu) + ":update"
	}
	return string(o.Menu) + ":view"
}

// humaOperation is the line as huma registers it.
func (o operation) humaOperation() huma.Operation {
	tag := string(o.Menu)
	if tag == "" {
		tag = "token"
	}
	return huma.Operation{
		OperationID:   o.ID,
		Method:        o.Method,
		Path:          o.Path,
		Summary:       o.Summary,
		Description:   "必要な権限: " + o.permission(),
		Tags:          []string{tag},
		DefaultStatus: o.DefaultStatus,
		Errors:        []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
		Extensions:    map[string]any{"x-ichigen-permission": o.permission()},
	}
}

// OperationInfo describes one line of the operation table, for tests and docs.
type OperationInfo struct {
	ID, Method, Path string
	Menu             user.Menu
	Level            user.Level
	Signed           bool
}

// Operations lists the operation table.
func (h *Handler) Operations() []OperationInfo {
	var out []OperationInfo
	for _, o := range h.operations() {
		out = append(out, OperationInfo{ID: o.ID, Method: o.Method, Path: o.Path, Menu: o.Menu, Level: o.Level, Signed: o.Signed})
	}
	return out
}

// handle registers fn as an operation whose errors become problem documents in one place.
func handle[I, O any](h *Handler, fn func(context.Context, *I) (*O, error)) func(huma.API, huma.Operation) {
	return func(api huma.API, op huma.Operation) {
		huma.Register(api, op, func(ctx context.Context, in *I) (*O, error) {
			out, err := fn(ctx, in)
			if err != nil {
				return nil, h.problem(ctx, err)
			}
			return out, nil
		})
	}
}
