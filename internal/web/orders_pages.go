package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// The order list's pages for volume (issue 20 item 3): the page sizes an operator picks from,
// remembered in a cookie so the next visit keeps them; numbered page links and a jump to page N;
// and a count that says 「10,000件以上」 when the search stopped counting at store.CountCap.

// pageSizes are the sizes the list offers; another size in the query is served but not
// remembered.
var pageSizes = []int{50, 100, 200, 500}

// pageSizeCookie remembers the operator's last page size for a year: the fallback of a user who
// has not chosen one since page sizes were kept with the user.
const pageSizeCookie = "ichigen_page_size"

// pageSize settles the list's page size: the query's, remembered with the user (and in the
// cookie) when it is one of pageSizes; else the user's own (user.User.PageSize), which follows
// them to another machine; else the browser's cookie, which is then kept with the user.
func (h *Handler) pageSize(w http.ResponseWriter, r *http.Request, f *orderFilter) {
	if f.Size != 0 {
		if slices.Contains(pageSizes, f.Size) {
			h.setCookie(w, r, pageSizeCookie, strconv.Itoa(f.Size), 365*24*3600)
			h.keepPageSize(r, f.Size)
		}
		return
	}
	if u := stateOf(r.Context()).user; u != nil && slices.Contains(pageSizes, int(u.PageSize)) {
		f.Size = int(u.PageSize)
		return
	}
	if c, err := r.Cookie(pageSizeCookie); err == nil {
		if n, err := strconv.Atoi(c.Value); err == nil && slices.Contains(pageSizes, n) {
			f.Size = n
			h.keepPageSize(r, n)
		}
	}
}

// keepPageSize keeps a page size with the logged-in user when it is not theirs yet. A failure
// only costs the next machine the choice, so it is logged, not shown.
func (h *Handler) keepPageSize(r *http.Request, size int) {
	u := stateOf(r.Context()).user
	if u == nil || u.PageSize == int64(size) {
		return
	}
	if err := h.deps.Store.SetUserPageSize(r.Context(), u.ID, size); err != nil {
		h.deps.Logger.Warn("keep page size", "user", u.Login, "err", err)
		return
	}
	u.PageSize = int64(size)
}

// lastPage is the number of a result's last page, 0 when the count is capped and the last page
// is not known.
func lastPage(p store.OrderPage) int {
	if store.Capped(p.Total) || p.PageSize == 0 {
		return 0
	}
	return max(1, int((p.Total+int64(p.PageSize)-1)/int64(p.PageSize)))
}

// pageLink is one link of the numbered pager; Gap stands for pages left out (…).
type pageLink struct {
	N       int
	Current bool
	Gap     bool
}

// pageLinks are the numbered pager's links: the first page, two either side of the current one,
// and the last when it is known; a capped count ends after the next page with a gap.
func pageLinks(p store.OrderPage) []pageLink {
	last := lastPage(p)
	end := last
	if last == 0 {
		end = p.Page
		if hasNext(p) {
			end = p.Page + 1
		}
	}
	var out []pageLink
	add := func(n int) {
		if len(out) > 0 && out[len(out)-1].N < n-1 {
			out = append(out, pageLink{Gap: true, N: n - 1})
		}
		out = append(out, pageLink{N: n, Current: n == p.Page})
	}
	for n := 1; n <= end; n++ {
		if n == 1 || n == end || (n >= p.Page-2 && n <= p.Page+2) {
			add(n)
		}
	}
	if last == 0 && hasNext(p) {
		out = append(out, pageLink{Gap: true, N: end + 1})
	}
	return out
}

// totalText is the list's count: 「10,000件以上」 when the search stopped counting.
func totalText(ctx context.Context, n int64) string {
	if store.Capped(n) {
		return tf(ctx, "%s件以上", number(store.CountCap))
	}
	return number(n) + ordersUnit(ctx, n)
}

// maxPageAttr is the jump's max attribute: the last page, or none when it is not known.
func maxPageAttr(p store.OrderPage) string {
	if n := lastPage(p); n > 0 {
		return strconv.Itoa(n)
	}
	return ""
}

// messageCut reports whether messageText cuts a link message, so the page offers the whole.
func messageCut(msg string) bool { return len([]rune(msg)) > messageRunes }

// totalUnit follows the list's count: 「件以上」 when the search stopped counting at
// store.CountCap, so 「10,000件以上」 reads as what it is.
func totalUnit(ctx context.Context, n int64) string {
	if store.Capped(n) {
		return t(ctx, "件以上")
	}
	return ordersUnit(ctx, n)
}
