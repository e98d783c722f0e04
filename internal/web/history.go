package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// historyFilter is the 連携履歴 search as the form sends it.
type historyFilter struct {
	Shop, Kind, Outcome, From, To string
	Page                          int
}

func readHistoryFilter(v url.Values) historyFilter {
	f := historyFilter{Shop: v.Get("shop"), Kind: v.Get("kind"), Outcome: v.Get("outcome"), From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to"))}
	f.Page, _ = strconv.Atoi(v.Get("page"))
	f.Page = max(f.Page, 1)
	return f
}

func (f historyFilter) query() (store.CallQuery, error) {
	q := store.CallQuery{JobKind: f.Kind, Outcome: channel.Outcome(f.Outcome), Page: f.Page, PageSize: historyPageSize}
	var err error
	if q.ShopID, err = optionalID(f.Shop, "店舗"); err != nil {
		return q, err
	}
	if q.From, err = order.ParseDay(f.From, "期間(開始)"); err != nil {
		return q, err
	}
	if q.To, err = order.ParseDay(f.To, "期間(終了)"); err != nil {
		return q, err
	}
	if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1)
	}
	return q, nil
}

func (f historyFilter) pageURL(page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"shop": f.Shop, "kind": f.Kind, "outcome": f.Outcome, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/history"
	}
	return "/history?" + v.Encode()
}

const historyPageSize = 100

var kindChoices = func() []choice {
	var out []choice
	for _, k := range workflow.JobKinds {
		out = append(out, choice{string(k), k.Label()})
	}
	return out
}()

var outcomeChoices = []choice{{string(channel.OutcomeOK), "成功"}, {string(channel.OutcomeRejected), "拒否"},
	{string(channel.OutcomeRetry), "一時エラー(再試行)"}, {string(channel.OutcomeUnknown), "結果不明(読み戻し)"}, {string(channel.OutcomeAuth), "認証エラー"}}

func outcomeLabel(o channel.Outcome) string {
	for _, c := range outcomeChoices {
		if c.Value == string(o) {
			return c.Label
		}
	}
	return string(o)
}

func kindLabel(k string) string {
	if k == "" {
		return ""
	}
	return workflow.JobKind(k).Label()
}

// historyView is what 連携履歴 shows.
type historyView struct {
	F     historyFilter
	Calls []channel.Call
	Cat   *catalog
	Error string
}

// historyList is 連携履歴: every marketplace call, newest first.
func (h *Handler) historyList(w http.ResponseWriter, r *http.Request) {
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := historyView{F: readHistoryFilter(r.URL.Query()), Cat: cat}
	status := http.StatusOK
	q, err := v.F.query()
	if err == nil {
		v.Calls, err = h.deps.Store.ListCalls(r.Context(), q)
	}
	if err != nil {
		if apperror.CodeOf(err) != apperror.Invalid {
			h.fail(w, r, err)
			return
		}
		v.Error, status = apperror.MessageOf(err), http.StatusUnprocessableEntity
	}
	h.render(w, r, status, historyPage(v))
}

// historyDetail shows one call with its request and the marketplace's answer, as recorded:
// the channel clients redact credentials before a call is stored.
func (h *Handler) historyDetail(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, apperror.New(apperror.NotFound, "連携履歴が見つかりません。URLが誤っています。"))
		return
	}
	c, err := h.deps.Store.GetCall(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, historyDetailPage(c, cat))
}

func callPath(id int64) string { return "/history/" + i64toa(id) }

func ms(c channel.Call) string { return strconv.FormatInt(c.Duration.Milliseconds(), 10) + " ms" }
