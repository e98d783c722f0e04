package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/buyermail"
	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
	"github.com/ichigen-oms/ichigen/internal/workflow"
)

// linkBlank is the filter value of 空欄(未処理), and of no link message; an empty value does not
// filter.
const linkBlank = "-"

// orderFilter is the order list's search as the form sends it; its fields are the query
// parameters' names.
type orderFilter struct {
	Shop, Channel, Phase, Link, Message, Market, Payment, Class, From, To, Keyword, Sort, Dir string
	Page, Size                                                                                int
	// Postage is "unfixed" for the orders whose postage is not fixed yet (送料未確定).
	Postage string
	// Prime is "1" for the Prime orders only; ShipBy a day (YYYY-MM-DD): the orders whose
	// LatestShipDate (出荷期限) is on or before it.
	Prime, ShipBy string
	// Entered finds the orders that came into their phase before it (Japan time,
	// enteredLayout): 要対応's link to the orders held in a phase longer than expected.
	Entered string
	// Batch finds the orders of one bulk move: the result banner's 「結果を表示」.
	Batch string
	// Date is a day range relative to the day the list is opened (order.DayRange: today,
	// last7, thismonth…); it stands for From and To, which the list then leaves out.
	Date string
}

// enteredLayout is the Entered filter's form: minutes in Japan time.
const enteredLayout = "2006-01-02T15:04"

// postageUnfixed is the Postage filter's value of 送料未確定.
const postageUnfixed = "unfixed"

// filterKeys are the query parameters of orderFilter, in the order they appear in URLs.
var filterKeys = []string{"shop", "channel", "phase", "link", "msg", "market", "payment", "class", "postage", "prime", "shipby", "entered", "date", "from", "to", "q", "sort", "dir", "batch"}

func (f *orderFilter) field(key string) *string {
	switch key {
	case "shop":
		return &f.Shop
	case "channel":
		return &f.Channel
	case "phase":
		return &f.Phase
	case "link":
		return &f.Link
	case "msg":
		return &f.Message
	case "market":
		return &f.Market
	case "payment":
		return &f.Payment
	case "class":
		return &f.Class
	case "postage":
		return &f.Postage
	case "prime":
		return &f.Prime
	case "shipby":
		return &f.ShipBy
	case "entered":
		return &f.Entered
	case "date":
		return &f.Date
	case "from":
		return &f.From
	case "to":
		return &f.To
	case "q":
		return &f.Keyword
	case "sort":
		return &f.Sort
	case "dir":
		return &f.Dir
	case "batch":
		return &f.Batch
	}
	panic("unknown filter key " + key)
}

// listParams are the query parameters the list's pages take beside filterKeys: the page and
// its size, and the phase whose orders the watch banner follows.
var listParams = []string{"page", "size", "watch", batchParam}

// checkParams refuses a query parameter the page does not take, naming it: the search drops
// what it does not know, and a filter with a typo (phase_id for phase) selects every order.
func checkParams(v url.Values, extra ...string) error {
	var unknown []string
	for name := range v {
		if !slices.Contains(filterKeys, name) && !slices.Contains(listParams, name) && !slices.Contains(extra, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return apperror.New(apperror.Invalid, "検索条件「%s」は使えません。一覧の検索フォームから条件を選び直してください(知らない条件を無視すると、すべての注文が対象になってしまうためです)。",
		strings.Join(unknown, "」「"))
}

// readFilter reads the filter from query or form values. The link message is taken whole, as
// its group on the 要対応 page links to it.
func readFilter(v url.Values) orderFilter {
	var f orderFilter
	for _, k := range filterKeys {
		*f.field(k) = strings.TrimSpace(v.Get(k))
	}
	f.Message = v.Get("msg")
	if f.Date != "" { // the range stands for the days: the URL and a saved search carry the range alone
		f.From, f.To = "", ""
	}
	f.Page, _ = strconv.Atoi(v.Get("page"))
	f.Size, _ = strconv.Atoi(v.Get("size"))
	return f
}

// values are the filter's non-empty parameters.
func (f orderFilter) values() url.Values {
	v := url.Values{}
	for _, k := range filterKeys {
		if s := *f.field(k); s != "" {
			v.Set(k, s)
		}
	}
	if f.Size != 0 {
		v.Set("size", strconv.Itoa(f.Size))
	}
	return v
}

// url is the order list with this filter and the given parameters changed.
func (f orderFilter) url(path string, set ...string) string {
	v := f.values()
	if f.Page > 1 {
		v.Set("page", strconv.Itoa(f.Page))
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			v.Del(set[i])
		} else {
			v.Set(set[i], set[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// message is the link message the filter asks for: "" for none, as the orders have it.
func (f orderFilter) message() string {
	if f.Message == linkBlank {
		return ""
	}
	return f.Message
}

// messageText shows a link message in a line: cut after messageRunes characters (the whole is
// in the title), and said to be missing when empty.
func messageText(ctx context.Context, msg string) string {
	if msg == "" {
		return t(ctx, "(メッセージなし)")
	}
	if r := []rune(msg); len(r) > messageRunes {
		return string(r[:messageRunes]) + "…"
	}
	return msg
}

// messageRunes is how much of a link message a line shows.
const messageRunes = 60

// sortURL is the link of a column header: sort by it, flipping the direction when it is the
// current sort.
func (f orderFilter) sortURL(col store.OrderSort) string {
	dir := "desc"
	if store.OrderSort(f.Sort) == col && f.Dir != "asc" {
		dir = "asc"
	}
	return f.url("/orders", "sort", string(col), "dir", dir, "page", "")
}

// sortMark is the arrow beside the current sort's header.
func (f orderFilter) sortMark(col store.OrderSort) string {
	if store.OrderSort(f.Sort) != col {
		return ""
	}
	if f.Dir == "asc" {
		return "▲"
	}
	return "▼"
}

// query turns the filter into a store query, with the message of the first field it cannot read.
func (f orderFilter) query() (store.OrderQuery, error) {
	q := store.OrderQuery{Page: f.Page, PageSize: f.Size, Keyword: f.Keyword, Ascending: f.Dir == "asc"}
	var err error
	if q.ShopID, err = optionalID(f.Shop, "店舗"); err != nil {
		return q, err
	}
	if q.PhaseID, err = optionalID(f.Phase, "処理フェーズ"); err != nil {
		return q, err
	}
	if q.Batch, err = optionalID(f.Batch, "一括操作"); err != nil {
		return q, err
	}
	if f.Channel != "" {
		if !shop.Channel(f.Channel).Valid() {
			return q, apperror.New(apperror.Invalid, "チャネル「%s」はありません。一覧から選んでください。", f.Channel)
		}
		q.Channel = shop.Channel(f.Channel)
	}
	// An error without a message is a group of its own on the 要対応 page.
	q.LinkStatus, q.LinkMessage = store.Exactly(f.Link, linkBlank), store.Exactly(f.Message, linkBlank)
	q.MarketplaceStatus = order.MarketplaceStatus(f.Market)
	q.PaymentStatus = order.PaymentStatus(f.Payment)
	q.ManagementClass = order.ManagementClass(f.Class)
	switch f.Postage {
	case "":
	case postageUnfixed:
		q.PostageUnfixed = true
	default:
		return q, apperror.New(apperror.Invalid, "送料の指定「%s」が読めません。一覧から選び直してください。", f.Postage)
	}
	if err = f.shipQuery(&q); err != nil {
		return q, err
	}
	if f.Entered != "" {
		if q.PhaseEnteredTo, err = time.ParseInLocation(enteredLayout, f.Entered, order.JST); err != nil {
			return q, apperror.New(apperror.Invalid, "処理フェーズに入った日時の指定「%s」が読めません。要対応の「一覧を開く」から開き直してください。", f.Entered)
		}
	}
	if q.OrderedWithin, err = order.ParseDayRange(f.Date, "注文日"); err != nil {
		return q, err
	}
	if q.OrderedFrom, err = order.ParseDay(f.From, "注文日(開始)"); err != nil {
		return q, err
	}
	if q.OrderedTo, err = order.ParseDay(f.To, "注文日(終了)"); err != nil {
		return q, err
	}
	if !q.OrderedTo.IsZero() {
		q.OrderedTo = q.OrderedTo.AddDate(0, 0, 1) // the last day is included
	}
	if !slices.Contains(store.OrderSorts, store.OrderSort(f.Sort)) {
		return q, apperror.New(apperror.Invalid, "並べ替えの指定「%s」が読めません。列の見出しをクリックして並べ替えてください。", f.Sort)
	}
	q.Sort = store.OrderSort(f.Sort)
	return q, nil
}

func optionalID(s, what string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperror.New(apperror.Invalid, "%sの指定「%s」が読めません。一覧から選び直してください。", what, s)
	}
	return id, nil
}

// choice is one option of a select.
type choice struct {
	Value, Label string
}

// catalog is what the order pages show names from: the shops and the phases.
type catalog struct {
	Shops     []shop.Shop
	shopByID  map[int64]shop.Shop
	phaseByID map[int64]workflow.Phase
	Phases    []workflow.Phase // in order; every shop's (seed 000)
}

func (h *Handler) loadCatalog(ctx context.Context) (*catalog, error) {
	shops, err := h.deps.Store.ListShops(ctx)
	if err != nil {
		return nil, err
	}
	c := &catalog{Shops: shops, shopByID: map[int64]shop.Shop{}, phaseByID: map[int64]workflow.Phase{}}
	for _, s := range shops {
		c.shopByID[s.ID] = s
	}
	if c.Phases, err = h.deps.Store.ListPhases(ctx); err != nil {
		return nil, err
	}
	for _, p := range c.Phases {
		c.phaseByID[p.ID] = p
	}
	return c, nil
}

func (c *catalog) shopName(id int64) string { return c.shopByID[id].Name }

// offers reports whether a shop's channel offers a job kind (一括注文確認 needs JobConfirm).
func (c *catalog) offers(k workflow.JobKind) bool {
	return slices.ContainsFunc(c.Shops, func(s shop.Shop) bool { return slices.Contains(s.Channel.JobKinds(), k) })
}

func (c *catalog) phaseName(id int64) string {
	if p, ok := c.phaseByID[id]; ok {
		return p.Name
	}
	return ""
}

// linkLabel names a link status.
func linkLabel(code string) string { return workflow.LinkStatus(code).Label() }

// linkChoices are every link status of the shops' channels, for the filter.
func (c *catalog) linkChoices() []choice {
	out := []choice{{linkBlank, workflow.LinkNone.Label()}}
	seen := map[workflow.LinkStatus]bool{workflow.LinkNone: true}
	for _, ch := range shop.Channels() {
		for _, l := range ch.LinkStatuses() {
			if !seen[l] {
				seen[l] = true
				out = append(out, choice{string(l), l.Label()})
			}
		}
	}
	return out
}

// manualLinkChoices are the link statuses that may be set by hand on the orders the filter can
// find: its shop's or channel's, else those every channel allows.
func (c *catalog) manualLinkChoices(q store.OrderQuery) []choice {
	var channels []shop.Channel
	switch {
	case q.ShopID != 0:
		channels = []shop.Channel{c.shopByID[q.ShopID].Channel}
	case q.Channel != "":
		channels = []shop.Channel{q.Channel}
	default:
		for _, s := range c.Shops {
			if !slices.Contains(channels, s.Channel) {
				channels = append(channels, s.Channel)
			}
		}
	}
	var out []choice
	for i, ch := range channels {
		var next []choice
		for _, l := range ch.ManualLinkStatuses() {
			if i == 0 || slices.ContainsFunc(out, func(c choice) bool { return c.Value == string(l) }) {
				next = append(next, choice{string(l), l.Label()})
			}
		}
		out = next
	}
	return out
}

var marketChoices = func() []choice {
	var out []choice
	for _, s := range []order.MarketplaceStatus{order.StatusUnconfirmed, order.StatusInReview, order.StatusAwaitingPayment,
		order.StatusAwaitingShipment, order.StatusChanging, order.StatusShipped, order.StatusCompleted, order.StatusOnHold,
		order.StatusCancelPending, order.StatusCancelled, order.StatusUnknown} {
		out = append(out, choice{string(s), s.Label()})
	}
	return out
}()

var paymentChoices = append([]choice{{string(order.Unpaid), order.Unpaid.Label()}, {string(order.Paid), order.Paid.Label()}}, cardPaymentChoices()...)

// cardPaymentChoices are the own cart's card payment statuses (seed 004), filterable beside
// 未入金 and 入金済み.
func cardPaymentChoices() []choice {
	var out []choice
	for _, p := range order.CardPaymentStatuses {
		out = append(out, choice{string(p), p.Label()})
	}
	return out
}

var classChoices = func() []choice {
	var out []choice
	for _, m := range []order.ManagementClass{order.Normal, order.BundleParent, order.BundleChild, order.Split} {
		out = append(out, choice{string(m), m.Label()})
	}
	return out
}()

var postageChoices = []choice{{postageUnfixed, "未確定"}}

// channelChoices are the registered channels, for the filter.
func channelChoices() []choice {
	var out []choice
	for _, c := range shop.Channels() {
		out = append(out, choice{string(c), c.Label()})
	}
	return out
}

// orderListView is what the order list shows.
type orderListView struct {
	F         orderFilter
	Query     store.OrderQuery
	Result    store.OrderPage
	Cat       *catalog
	CanUpdate bool
	Error     string
	// Watch is the first question of the banner that watches a rule take moved orders.
	Watch string
	// Templates are the mail templates 「メール送信」 offers, every shop's.
	Templates []buyermail.Template
	// DateSpan is the days a relative day range (F.Date) stands for today: 「11/25〜12/01」.
	DateSpan string
}

// templateLabel names a template with its shop, as the order list offers every shop's.
func (v orderListView) templateLabel(t buyermail.Template) string {
	if t.ShopID == 0 {
		return "共通 / " + t.Name
	}
	return v.Cat.shopByID[t.ShopID].Name + " / " + t.Name
}

// orderList is 注文一括処理: search, sort, page, select and act.
func (h *Handler) orderList(w http.ResponseWriter, r *http.Request) {
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := orderListView{F: readFilter(r.URL.Query()), Cat: cat, CanUpdate: stateOf(r.Context()).group.Allows(user.MenuOrders, user.Update)}
	h.pageSize(w, r, &v.F)
	status := http.StatusOK
	var q store.OrderQuery
	err = checkParams(r.URL.Query())
	if err == nil {
		q, err = v.F.query()
	}
	if err == nil {
		v.Result, err = h.deps.Store.SearchOrders(r.Context(), q)
	}
	if err != nil {
		if apperror.CodeOf(err) != apperror.Invalid {
			h.fail(w, r, err)
			return
		}
		v.Error, status = apperror.MessageOf(err), http.StatusUnprocessableEntity
	}
	v.Query = q
	v.F.Page = v.Result.Page
	v.DateSpan = daySpan(q.OrderedWithin, h.deps.Now())
	v.Watch = watchStart(r, v.F.url("/orders"), 0)
	if v.CanUpdate {
		if v.Templates, err = h.deps.Store.ListMailTemplates(r.Context(), 0); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, orderListPage(v))
}

// phaseCountsView is the side bar: per shop, each phase with its count under the filter.
type phaseCountsView struct {
	F      orderFilter
	Cat    *catalog
	Counts store.PhaseCounts
}

// phaseCounts answers the side bar, loaded by htmx after the list so the list never waits.
func (h *Handler) phaseCounts(w http.ResponseWriter, r *http.Request) {
	f := readFilter(r.URL.Query())
	if err := checkParams(r.URL.Query()); err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := f.query()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cat, err := h.loadCatalog(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	counts, err := h.deps.Store.CountOrdersByPhase(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, phaseCountsFragment(phaseCountsView{F: f, Cat: cat, Counts: counts}))
}

// pageRange is "1–50" of a result page.
func pageRange(p store.OrderPage) string {
	if p.Total == 0 {
		return "0"
	}
	first := int64((p.Page-1)*p.PageSize) + 1
	last := first + int64(len(p.Orders)) - 1
	if !store.Capped(p.Total) {
		last = min(last, p.Total)
	}
	return strconv.FormatInt(first, 10) + "–" + strconv.FormatInt(last, 10)
}

func hasNext(p store.OrderPage) bool {
	if store.Capped(p.Total) { // more than the count says: a full page may have a next one
		return len(p.Orders) == p.PageSize
	}
	return int64(p.Page*p.PageSize) < p.Total
}

func itoa(n int) string      { return strconv.Itoa(n) }
func i64toa(n int64) string  { return strconv.FormatInt(n, 10) }
func idPath(id int64) string { return "/orders/" + i64toa(id) }
func number(n int64) string  { return order.Grouped(n) }

// count shows a count of the order list: "10,000+" when it stands for more than store.CountCap.
func count(n int64) string {
	if store.Capped(n) {
		return number(store.CountCap) + "+"
	}
	return number(n)
}
func selected(a, b string) bool { return a == b }

// isErrorLink reports whether a link status is an error state, shown in red.
func isErrorLink(code string) bool { return workflow.LinkStatus(code).IsError() }

// enteredText shows the Entered filter as the list's chip does: 「2026-12-01 10:00」.
func (f orderFilter) enteredText() string { return strings.Replace(f.Entered, "T", " ", 1) }
