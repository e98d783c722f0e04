package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// refuseUnknownQuery is the middleware that refuses a query parameter the operation does not
// declare, naming it and the ones it takes. huma reads only the declared parameters and drops
// the rest silently, and a filter with a typo (?phase_id= for ?phase=) is a filter that selects
// every order: an export or a bulk move of all of them.
func (h *Handler) refuseUnknownQuery(ctx huma.Context, next func(huma.Context)) {
	var declared []string
	for _, p := range ctx.Operation().Parameters {
		if p.In == "query" {
			declared = append(declared, p.Name)
		}
	}
	u := ctx.URL()
	query := u.Query()
	var unknown []string
	for name := range query {
		if !slices.Contains(declared, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		next(ctx)
		return
	}
	slices.Sort(unknown)
	takes := "クエリパラメーターはありません"
	if len(declared) > 0 {
		slices.Sort(declared)
		takes = "使えるのは " + strings.Join(declared, "、") + " です"
	}
	details := make([]error, len(unknown))
	for i, name := range unknown {
		details[i] = &huma.ErrorDetail{Message: "このAPIにないクエリパラメーターです", Location: "query." + name, Value: query.Get(name)}
	}
	_ = huma.WriteErr(h.api, ctx, http.StatusUnprocessableEntity,
		fmt.Sprintf("クエリパラメーター「%s」はこのAPIにありません(%s)。名前を確かめて送り直してください。知らない条件を無視すると、すべての注文が対象になりかねないため受け付けません。",
			strings.Join(unknown, "」「"), takes), details...)
}
