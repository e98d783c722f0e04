package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// importPath is the 受注取込 dialog: a date-range import of one shop's orders.
const importPath = "/orders/import"

// importForm is the 受注取込 form as entered: the shop, the first and last day (JST) and
// whether orders already in ichigen take the marketplace's version (同一注文を上書きする, off
// unless ticked).
type importForm struct {
	Shop, From, To string
	Overwrite      bool
}

// importView is the 受注取込 page: the shops that import, the form and a refusal.
type importView struct {
	Shops      []shop.Shop
	F          importForm
	Error      string
	Today      string // the latest day the form takes
	Earliest   string // the earliest
	HistoryURL string // 連携履歴 of the imports, "" when the user may not view it
}

// importURL is the 受注取込 page with the order list's shop, if one, preselected.
func importURL(shopID string) string {
	if shopID == "" {
		return importPath
	}
	return importPath + "?" + url.Values{"shop": {shopID}}.Encode()
}

// importsOrders reports whether the shop's channel imports orders.
func importsOrders(s shop.Shop) bool {
	return slices.Contains(shop.Connected(), s.Channel) && slices.Contains(s.Channel.JobKinds(), workflow.JobImport)
}

// importPage shows the 受注取込 form, the shop preselected from the order list's filter.
func (h *Handler) importPage(w http.ResponseWriter, r *http.Request) {
	today := h.deps.Now().In(order.JST).Format(time.DateOnly)
	h.renderImport(w, r, http.StatusOK, importView{F: importForm{Shop: r.URL.Query().Get("shop"), From: today, To: today}})
}

func (h *Handler) renderImport(w http.ResponseWriter, r *http.Request, status int, v importView) {
	shops, err := h.deps.Store.ListShops(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Shops = slices.DeleteFunc(shops, func(s shop.Shop) bool { return !importsOrders(s) })
	now := h.deps.Now()
	v.Today, v.Earliest = now.In(order.JST).Format(time.DateOnly), earliestImportDay(now).Format(time.DateOnly)
	if stateOf(r.Context()).group.Allows(user.MenuHistory, user.View) {
		v.HistoryURL = historyFilter{Shop: v.F.Shop, Kind: string(workflow.JobImport)}.pageURL(1)
	}
	h.render(w, r, status, importPage(v))
}

// earliestImportDay is the first whole day (JST) within jobs.MaxImportRange of now.
func earliestImportDay(now time.Time) time.Time {
	limit := now.Add(-jobs.MaxImportRange).In(order.JST)
	day := time.Date(limit.Year(), limit.Month(), limit.Day(), 0, 0, 0, 0, order.JST)
	if day.Before(limit) {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// importRange reads the form's days as the range jobs.ImportRangeArgs takes: from the first
// day's start to the end of the last, or to now when the last is today.
func importRange(f importForm, now time.Time) (from, to time.Time, err error) {
	if f.From == "" || f.To == "" {
		return from, to, apperror.New(apperror.Invalid, "取込期間の開始日と終了日を入力してください。")
	}
	if from, err = order.ParseDay(f.From, "取込期間の開始日"); err != nil {
		return from, to, err
	}
	if to, err = order.ParseDay(f.To, "取込期間の終了日"); err != nil {
		return from, to, err
	}
	today := now.In(order.JST).Format(time.DateOnly)
	switch earliest := earliestImportDay(now); {
	case to.Before(from):
		return from, to, apperror.New(apperror.Invalid, "取込期間の開始日(%s)は終了日(%s)以前にしてください。", f.From, f.To)
	case to.Format(time.DateOnly) > today:
		return from, to, apperror.New(apperror.Invalid, "取込期間の終了日に未来の日付は指定できません。今日(%s)までの日付を入力してください。", today)
	case from.Before(earliest):
		return from, to, apperror.New(apperror.Invalid, "取込期間の開始日は%s以降にしてください(モールで検索できるのは730日前までです)。", earliest.Format(time.DateOnly))
	}
	if to = to.AddDate(0, 0, 1); to.After(now) {
		to = now
	}
	return from, to, nil
}

// importOrders queues the range import the form asks for (jobs.ImportRangeArgs), as the API's
// import-orders-range does, and says where to watch it.
func (h *Handler) importOrders(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := importForm{Shop: r.PostFormValue("shop"), From: r.PostFormValue("from"), To: r.PostFormValue("to"), Overwrite: r.PostFormValue("overwrite") == "1"}
	refuse := func(err error) {
		if statusOf(err) == http.StatusInternalServerError {
			h.fail(w, r, err)
			return
		}
		h.renderImport(w, r, statusOf(err), importView{F: f, Error: apperror.MessageOf(err)})
	}
	sh, err := h.importShop(r, f.Shop)
	if err != nil {
		refuse(err)
		return
	}
	now := h.deps.Now()
	from, to, err := importRange(f, now)
	if err != nil {
		refuse(err)
		return
	}
	q, err := h.jobQueue()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := q.ImportRange(ctx, jobs.ImportRangeArgs{ShopID: sh.ID, From: from, To: to, Overwrite: f.Overwrite}, now); err != nil {
		refuse(err)
		return
	}
	h.setFlash(w, r, importQueuedMessage(sh, f))
	http.Redirect(w, r, importPath+"?shop="+i64toa(sh.ID), http.StatusSeeOther)
}

// importShop is the shop the form names, if it imports and is not stopped.
func (h *Handler) importShop(r *http.Request, id string) (shop.Shop, error) {
	shopID, err := optionalID(id, "店舗")
	if err != nil {
		return shop.Shop{}, err
	}
	if shopID == 0 {
		return shop.Shop{}, apperror.New(apperror.Invalid, "取り込む店舗を選んでください。")
	}
	sh, err := h.deps.Store.GetShop(r.Context(), shopID)
	switch {
	case err != nil:
		return sh, err
	case !importsOrders(sh):
		return sh, apperror.New(apperror.Invalid, "店舗「%s」(%s)は受注取込に対応していません。", sh.Name, sh.Channel.Label())
	case sh.Status == shop.AuthError:
		return sh, apperror.New(apperror.Invalid, "店舗「%s」は認証エラーで止まっているため取り込めません。店舗設定で認証情報を保存してから、もう一度実行してください。", sh.Name)
	}
	return sh, nil
}

// importQueuedMessage is the banner after queuing: what was queued, that it runs in the
// background, and where to watch it.
func importQueuedMessage(sh shop.Shop, f importForm) string {
	overwrite := "取込済みの注文は上書きせず、モールステータスと入金状況だけ更新します"
	if f.Overwrite {
		overwrite = "取込済みの注文はモールの内容で上書きします"
	}
	return fmt.Sprintf("店舗「%s」の受注取込(%s〜%s)を登録しました。%s。取込はバックグラウンドで順に行い、取り込んだ注文は注文一括処理の一覧に表示されます。"+
		"進み具合とモールとの通信は連携履歴(処理「受注取込」)で確認できます。", sh.Name, f.From, f.To, overwrite)
}
