package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/ichigen-oms/ichigen/internal/channel"
	"github.com/ichigen-oms/ichigen/internal/jobs"
	"github.com/ichigen-oms/ichigen/internal/shop"
	"github.com/ichigen-oms/ichigen/internal/store"
)

// Prefix is where the API is mounted; its OpenAPI document is Prefix + "/openapi.json".
const Prefix = "/api/v1"

// Deps are what the API needs.
type Deps struct {
	Store store.Store
	// Queue moves orders with their phase's rule queued in the same transaction, and queues the
	// jobs an operator asks for (re-fetching marketplace status). An insert-only queue will do.
	Queue *jobs.Queue
	// NotifyTo are the start-up configuration's notification addresses (--notify-to), which
	// apply while none are saved in the settings; MailEnabled says whether a mail server is set.
	NotifyTo    []string
	MailEnabled bool
	// Client builds a shop's channel client, for the operations that call a marketplace at once
	// (the card payment's cancel); nil refuses them.
	Client func(shop.Shop) (channel.Client, error)
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
}

// Handler serves /api/v1.
type Handler struct {
	deps Deps
	api  huma.API
	mux  *http.ServeMux
	// ops are the operation table's lines by operation id, for the permission check.
	ops map[string]operation
}

// New returns the API with every operation of the operation table registered.
func New(d Deps) *Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{deps: d, mux: http.NewServeMux(), ops: map[string]operation{}}

	cfg := huma.DefaultConfig("ichigen API", "1")
	cfg.Info.Description = "ichigen (一元) の REST API。注文・店舗・処理フェーズ・自動処理・連携履歴を、" +
		"APIトークンのユーザーと同じ権限で操作できます。トークンは `ichigen token create --login ログインID` で作成し、" +
		"`Authorization: Bearer <トークン>` で送ります。エラーは RFC 9457 の problem document で、detail は画面と同じ日本語のメッセージです。"
	cfg.DocsPath = ""     // the docs page loads scripts from a CDN; the OpenAPI document is enough
	cfg.SchemasPath = ""  // every schema is in the OpenAPI document
	cfg.CreateHooks = nil // no $schema links to the schemas path in answers
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		securityScheme: {Type: "http", Scheme: "bearer", Description: "`ichigen token create` が表示するAPIトークン"},
	}
	cfg.Security = []map[string][]string{{securityScheme: {}}}
	h.api = humago.NewWithPrefix(h.mux, Prefix, cfg)
	h.api.UseMiddleware(h.authenticate, h.refuseUnknownQuery)

	for _, op := range h.operations() {
		h.ops[op.ID] = op
		op.register(h.api, op.humaOperation())
	}
	// Anything else under the prefix is a problem document too, not the mux's plain text.
	h.mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "そのURLのAPIはありません。"+Prefix+"/openapi.json で使えるAPIを確認してください。")
	})
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	capBody(w, r)
	if msg := notUTF8(r); msg != "" {
		writeProblem(w, http.StatusBadRequest, msg)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// The body caps, set before the token is checked: a request without a token may send little;
// one with a token no more than the largest operation takes (huma's cap per operation, a
// mebibyte, applies too). The token's check reads no body, so a refused request reads none.
const (
	anonymousBodyMax = 16 << 10
	bodyMax          = 1 << 20
)

func capBody(w http.ResponseWriter, r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	limit := int64(anonymousBodyMax)
	if r.Header.Get("Authorization") != "" {
		limit = bodyMax
		if r.URL.Path == Prefix+"/tracking-imports" || strings.HasSuffix(r.URL.Path, "/csv-orders") {
			limit = maxTrackingBody // a carrier program's file of the day's parcels
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
}

// OpenAPI is the API's OpenAPI document.
func (h *Handler) OpenAPI() *huma.OpenAPI { return h.api.OpenAPI() }

func (h *Handler) now() time.Time { return h.deps.Now() }

// actor is who the operation's order events name: the token's user, as the UI names its user.
func actor(ctx context.Context) string { return principalOf(ctx).user.Login }
