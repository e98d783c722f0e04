package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/ichigen-oms/ichigen/internal/order"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// htmxConfig swaps error answers too, so that a validation message reaches the screen, and
// keeps htmx from adding inline styles the content security policy refuses.
const htmxConfig = `{"includeIndicatorStyles":false,"responseHandling":[{"code":"204","swap":false},{"code":"...","swap":true}],"historyCacheSize":0}`

// csrfHeaders is the hx-headers value that makes every htmx request carry the CSRF token.
func csrfHeaders(ctx context.Context) string {
	b, _ := json.Marshal(map[string]string{csrfHeader: stateOf(ctx).session.CSRFToken})
	return string(b)
}

type requestKey struct{}

// currentURI is the request's path and query, for the language switch to come back to.
func currentURI(ctx context.Context) string {
	if r, ok := ctx.Value(requestKey{}).(*http.Request); ok {
		return r.URL.RequestURI()
	}
	return "/"
}

// isActive says whether the navigation entry of path is the current page; 要対応 is also the
// start page.
func isActive(ctx context.Context, path string) bool {
	uri := currentURI(ctx)
	if path == attentionPath && (uri == "/" || strings.HasPrefix(uri, "/?")) {
		return true
	}
	return strings.HasPrefix(uri, path)
}

func displayName(u user.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Login
}

func errorTitle(ctx context.Context, status int) string {
	switch status {
	case http.StatusNotFound:
		return t(ctx, "ページが見つかりません")
	case http.StatusForbidden:
		return t(ctx, "権限がありません")
	case http.StatusUnauthorized:
		return t(ctx, "ログインしてください")
	case http.StatusRequestEntityTooLarge:
		return t(ctx, "送信内容が大きすぎます")
	}
	return t(ctx, "エラーが発生しました")
}

// when formats a stored UTC time in Japan time.
func when(t time.Time) string { return order.FormatMinute(t) }

func whenSeconds(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(order.JST).Format("2006/01/02 15:04:05")
}
