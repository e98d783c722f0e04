package web

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/a-h/templ"

	"github.com/ichigen-oms/ichigen/internal/apperror"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/orderops"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// PhaseMover moves orders to a phase and queues that phase's rule in the same transaction;
// *jobs.Queue is one.
type PhaseMover interface {
	MoveOrders(ctx context.Context, st store.Store, ids []int64, phaseID int64, actor string) ([]int64, error)
}

// JobQueue queues the jobs an operator asks for by hand (再取得, 送料の反映, メール送信,
// 受注取込); *jobs.Queue is one. The UI finds it on Deps.Mover.
type JobQueue interface {
	orderops.RefetchQueue
	orderops.MailQueue
	QueueSetPostage(ctx context.Context, shopID, orderID, postage int64) error
	ImportRange(ctx context.Context, args jobs.ImportRangeArgs, now time.Time) (int64, error)
}

// Deps are what the UI needs.
type Deps struct {
	Store store.Store
	// Mover moves orders between phases; when it is also a JobQueue (as *jobs.Queue is), the
	// UI queues re-fetches and postage through it.
	Mover PhaseMover
	// NotifyTo are the addresses the error e-mails go to (--notify-to) while none are saved in
	// the settings (通知先).
	NotifyTo []string
	// MailEnabled says whether e-mail sending is configured (--smtp-addr); without it the
	// settings warn that no e-mail goes out.
	MailEnabled bool
	// BounceMailbox is the bounce listener's address (--bounce-mailbox) while the listener runs
	// (--bounce-addr), "" otherwise: the mail settings show each shop's form of it.
	BounceMailbox string
	// SecureCookies marks cookies Secure even on plain HTTP, for a TLS-terminating proxy; a
	// request that arrived over TLS always gets them.
	SecureCookies bool
	// Client builds a shop's channel client, for the card operations that call the gateway at
	// once (the own cart's cancel); without it they are refused.
	Client orderops.ClientFor
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
}

// Handler serves the UI.
type Handler struct {
	deps    Deps
	mux     *http.ServeMux
	handler http.Handler
}

//go:embed static
var staticFiles embed.FS

// New returns the UI handler with every route of the route table mounted.
func New(d Deps) *Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{deps: d, mux: http.NewServeMux()}
	for _, rt := range h.routes() {
		h.mux.Handle(rt.Method+" "+rt.Path, h.guard(rt))
	}
	static, _ := fs.Sub(staticFiles, "static")
	h.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	// Browsers refuse cross-origin writes (Sec-Fetch-Site, Origin) before any handler runs; the
	// session's CSRF token is checked again per route.
	h.handler = securityHeaders(http.NewCrossOriginProtection().Handler(h.withSession(h.mux)))
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.handler.ServeHTTP(w, r) }

func cacheForever(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets what every answer carries: no framing, no inline script, no sniffing.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// render writes a component as an HTML page with the status code.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := c.Render(r.Context(), w); err != nil {
		h.deps.Logger.Error("render", "path", r.URL.Path, "error", err)
	}
}

// statusOf maps a domain error to its HTTP status (apperror.HTTPStatus, shared with the other
// surface).
func statusOf(err error) int { return apperror.HTTPStatus(err) }

// fail answers an error with a page that says what happened and what to do. Internal errors
// are logged and shown without their details.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError && !errors.Is(err, context.Canceled) {
		h.deps.Logger.Error("web request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	h.render(w, r, status, errorPage(status, apperror.MessageOf(err)))
}

// forbidden is the answer to a route the user's group may not use.
func (h *Handler) forbidden(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, apperror.New(apperror.Forbidden, "この操作を行う権限がありません。必要な場合は管理者に権限グループの設定を依頼してください。"))
}

// jobQueue is the queue for jobs an operator queues by hand.
func (h *Handler) jobQueue() (JobQueue, error) {
	if q, ok := h.deps.Mover.(JobQueue); ok {
		return q, nil
	}
	return nil, errors.New("web: the phase mover is no job queue, so jobs cannot be queued by hand")
}
