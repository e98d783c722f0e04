package web

import (
	"net/http"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/store"
)

// auditPageSize is how many lines of 操作履歴 one page shows.
const auditPageSize = 100

// auditView is 操作履歴: who changed which setting when.
type auditView struct {
	Events []store.AuditEvent
	Page   int
	More   bool // a next page has lines
}

// auditSettings shows 操作履歴, newest first, a page at a time.
func (h *Handler) auditSettings(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	events, err := h.deps.Store.ListAudit(r.Context(), page, auditPageSize+1)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := auditView{Events: events, Page: page}
	if len(events) > auditPageSize {
		v.Events, v.More = events[:auditPageSize], true
	}
	h.render(w, r, http.StatusOK, auditPage(v))
}
