package web

import (
	"net/http"
	"strconv"

	"github.com/ichigen-oms/ichigen/internal/packing"
)

// csvOrdersProgressPath answers how far the server has read and checked an order file being
// uploaded (key=the form's progress key): an htmx fragment that asks again a second later until
// the check is done. The counter lives in packing.Checks, bounded and expiring.
const csvOrdersProgressPath = csvOrdersPath + "/progress"

// uploadRowsView is the counter's fragment.
type uploadRowsView struct {
	Path string // the progress route, "" once there is nothing more to ask
	Key  string
	Snap packing.Snapshot
	Seen bool // the server has started on the file
	// Polling marks an answer of the route; the page's own fragment waits for upload.js.
	Polling bool
}

// csvOrdersProgress answers the counter of the caller's upload key.
func (h *Handler) csvOrdersProgress(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	snap, ok := packing.Checks.Get(stateOf(r.Context()).user.Login, key)
	v := uploadRowsView{Path: csvOrdersProgressPath, Key: key, Snap: snap, Seen: ok, Polling: true}
	if snap.Done || len(key) > packing.MaxProgressKey {
		v.Path = "" // the answer is on its way: stop asking
	}
	h.render(w, r, http.StatusOK, uploadRows(v))
}

// progressStart registers the upload key of the caller and returns the request's context
// carrying its counter (unchanged without a key).
func progressStart(r *http.Request, key string) *http.Request {
	p := packing.Checks.Start(stateOf(r.Context()).user.Login, key)
	if p == nil {
		return r
	}
	return r.WithContext(packing.WithProgress(r.Context(), p))
}

// megabytes is n bytes in MB with one decimal.
func megabytes(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) }

// rowsTrigger starts the page's fragment on upload.js's event, and every answer a second after
// it arrived.
func rowsTrigger(v uploadRowsView) string {
	if v.Polling {
		return "load delay:1s"
	}
	return "upload-sent"
}
