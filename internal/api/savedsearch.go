package api

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// Saved searches (issue 20 item 3): the same ones as the order list's side bar. A search saved
// here keeps the list's query string too, so the UI links to it; a search saved in the UI is
// shown here with its filter. Both count and run the store query kept when it was saved.

// SavedSearch is one saved search with the count of its orders.
type SavedSearch struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name" example:"楽天 発送待ち"`
	Position    int         `json:"position" doc:"並び順 (1から。注文一括処理の左側の並び)"`
	Filter      OrderFilter `json:"filter" doc:"検索条件 (GET /orders と同じ)。画面でしか指定できない条件 (処理フェーズに入った日時など) は query にだけあります"`
	Query       string      `json:"query" doc:"注文一括処理の画面の検索条件 (/orders? のあと)" example:"phase=3&shop=1"`
	Count       int64       `json:"count" doc:"当てはまる注文の件数 (10,000件を超えるときは10,000で、count_cappedがtrue)"`
	CountCapped bool        `json:"count_capped" doc:"当てはまる注文が10,000件を超える"`
	CreatedAt   time.Time   `json:"created_at"`
	CreatedBy   string      `json:"created_by" doc:"保存したユーザーのログインID"`
}

// listKeys pairs the API filter's query names with the order list's (internal/web filterKeys):
// the one place the two spellings meet.
var listKeys = [][2]string{
	{"shop", "shop"}, {"channel", "channel"}, {"phase", "phase"}, {"link_status", "link"}, {"link_message", "msg"},
	{"marketplace_status", "market"}, {"payment_status", "payment"}, {"management_class", "class"}, {"postage", "postage"},
	{"prime", "prime"}, {"ship_by", "shipby"}, {"ordered_from", "from"}, {"ordered_to", "to"}, {"q", "q"},
	{"date", "date"},
}

// listBlank is the order list's value of 空欄(未処理) and of no link message (the API's "none").
const listBlank = "-"

// fields are the filter's values by their API query names.
func (f *OrderFilter) fields() map[string]*string {
	return map[string]*string{"channel": &f.Channel, "link_status": &f.LinkStatus, "link_message": &f.LinkMessage,
		"marketplace_status": &f.MarketplaceStatus, "payment_status": &f.PaymentStatus, "management_class": &f.ManagementClass,
		"postage": &f.Postage, "ship_by": &f.ShipBy, "ordered_from": &f.OrderedFrom, "ordered_to": &f.OrderedTo, "q": &f.Keyword,
		"date": &f.Date}
}

// listQuery is the order list's query string of a filter.
func (f OrderFilter) listQuery() string {
	v := url.Values{}
	strs := f.fields()
	for _, k := range listKeys {
		var s string
		switch k[0] {
		case "shop":
			s = listID(f.Shop)
		case "phase":
			s = listID(f.Phase)
		case "prime":
			if f.Prime {
				s = "1"
			}
		default:
			s = strings.TrimSpace(*strs[k[0]])
			if (k[0] == "link_status" || k[0] == "link_message") && s == linkNone {
				s = listBlank
			}
		}
		if s != "" {
			v.Set(k[1], s)
		}
	}
	return v.Encode()
}

// filterOfList is the filter of an order list's query string, as far as the API has its fields.
func filterOfList(query string) OrderFilter {
	v, _ := url.ParseQuery(query)
	var f OrderFilter
	strs := f.fields()
	for _, k := range listKeys {
		s := v.Get(k[1])
		switch k[0] {
		case "shop":
			f.Shop, _ = strconv.ParseInt(s, 10, 64)
		case "phase":
			f.Phase, _ = strconv.ParseInt(s, 10, 64)
		case "prime":
			f.Prime = s == "1"
		default:
			if (k[0] == "link_status" || k[0] == "link_message") && s == listBlank {
				s = linkNone
			}
			*strs[k[0]] = s
		}
	}
	return f
}

func listID(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func (h *Handler) savedSearchOf(ctx context.Context, s store.SavedSearch) (SavedSearch, error) {
	n, err := h.deps.Store.CountOrders(ctx, s.Filter)
	return SavedSearch{ID: s.ID, Name: s.Name, Position: s.Position, Filter: filterOfList(s.Query), Query: s.Query, Count: min(n, store.CountCap),
		CountCapped: store.Capped(n), CreatedAt: s.CreatedAt, CreatedBy: s.CreatedBy}, err
}

type savedSearchesOutput struct{ Body []SavedSearch }

// listSavedSearches lists the saved searches by name, each with one bounded count.
func (h *Handler) listSavedSearches(ctx context.Context, _ *struct{}) (*savedSearchesOutput, error) {
	list, err := h.deps.Store.ListSavedSearches(ctx)
	if err != nil {
		return nil, err
	}
	out := &savedSearchesOutput{Body: make([]SavedSearch, len(list))}
	for i, s := range list {
		if out.Body[i], err = h.savedSearchOf(ctx, s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type createSavedSearchInput struct {
	Body struct {
		Name   string      `json:"name" minLength:"1" maxLength:"200" doc:"名前 (50文字まで、ほかの検索条件と重ならないもの)" example:"楽天 発送待ち"`
		Filter OrderFilter `json:"filter" doc:"検索条件 (GET /orders と同じ)"`
	}
}

type savedSearchOutput struct{ Body SavedSearch }

// createSavedSearch saves a search; the UI's side bar lists it too.
func (h *Handler) createSavedSearch(ctx context.Context, in *createSavedSearchInput) (*savedSearchOutput, error) {
	q, err := in.Body.Filter.query()
	if err != nil {
		return nil, err
	}
	id, err := h.deps.Store.CreateSavedSearch(ctx, store.SavedSearch{Name: strings.TrimSpace(in.Body.Name), Query: in.Body.Filter.listQuery(),
		Filter: q, CreatedAt: h.now(), CreatedBy: actor(ctx)})
	if err != nil {
		return nil, err
	}
	s, err := h.deps.Store.GetSavedSearch(ctx, id)
	if err != nil {
		return nil, err
	}
	out, err := h.savedSearchOf(ctx, s)
	return &savedSearchOutput{Body: out}, err
}

type savedSearchIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"保存した検索条件のID"`
}

// deleteSavedSearch deletes a saved search.
func (h *Handler) deleteSavedSearch(ctx context.Context, in *savedSearchIDInput) (*struct{}, error) {
	return nil, h.deps.Store.DeleteSavedSearch(ctx, in.ID)
}

type savedSearchOrdersInput struct {
	ID       int64 `path:"id" minimum:"1" doc:"保存した検索条件のID"`
	Page     int   `query:"page" default:"1" minimum:"1"`
	PageSize int   `query:"page_size" default:"50" minimum:"1" maximum:"1000"`
}

// savedSearchOrders runs a saved search: the same page as GET /orders, in the saved sort.
func (h *Handler) savedSearchOrders(ctx context.Context, in *savedSearchOrdersInput) (*orderPageOutput, error) {
	s, err := h.deps.Store.GetSavedSearch(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	q := s.Filter
	q.Page, q.PageSize = in.Page, in.PageSize
	return h.orderPage(ctx, q)
}

type updateSavedSearchInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"保存した検索条件のID"`
	Body struct {
		Name     *string `json:"name,omitempty" minLength:"1" maxLength:"200" doc:"新しい名前 (50文字まで、ほかの検索条件と重ならないもの)"`
		Position *int    `json:"position,omitempty" minimum:"1" doc:"新しい並び順 (1が先頭。件数より大きいときは最後)。ほかの検索条件は詰めて並べ直します"`
	}
}

// updateSavedSearch renames a saved search or moves it in the side bar's order (issue 20 item
// 3), and answers it as it is now.
func (h *Handler) updateSavedSearch(ctx context.Context, in *updateSavedSearchInput) (*savedSearchOutput, error) {
	if _, err := h.deps.Store.GetSavedSearch(ctx, in.ID); err != nil {
		return nil, err
	}
	if in.Body.Name != nil {
		if err := h.deps.Store.RenameSavedSearch(ctx, in.ID, strings.TrimSpace(*in.Body.Name)); err != nil {
			return nil, err
		}
	}
	if in.Body.Position != nil {
		if err := h.deps.Store.MoveSavedSearch(ctx, in.ID, *in.Body.Position); err != nil {
			return nil, err
		}
	}
	s, err := h.deps.Store.GetSavedSearch(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out, err := h.savedSearchOf(ctx, s)
	return &savedSearchOutput{Body: out}, err
}
