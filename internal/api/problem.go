package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/ichigen-oms/ichigen/internal/apperror"
)

// statusOf maps a domain error to its HTTP status (apperror.HTTPStatus, shared with the other
// surface).
func statusOf(err error) int { return apperror.HTTPStatus(err) }

// problem turns an operation's error into the problem document huma writes: the status of its
// code and, as detail, the Japanese message the UI shows. An internal error is logged and
// answered without its details.
func (h *Handler) problem(ctx context.Context, err error) error {
	var se huma.StatusError
	if errors.As(err, &se) {
		return se
	}
	status := statusOf(err)
	if status == http.StatusInternalServerError && !errors.Is(err, context.Canceled) {
		h.deps.Logger.Error("api request failed", "error", err)
	}
	return huma.NewError(status, apperror.MessageOf(err))
}

// humaMessages are the Japanese details of the problems huma itself answers (a body that does
// not parse or fails the schema, …); the per-field errors stay as huma writes them, with where
// each is.
var humaMessages = map[string]string{
	"validation failed":          "送信された内容に誤りがあります。errors の各項目(location と message)を確認して送り直してください。",
	"request body is required":   "リクエスト本文(JSON)がありません。Content-Type: application/json の本文を付けて送ってください。",
	"unexpected error occurred":  apperror.MessageOf(nil),
	"unable to marshal response": "要求された形式で応答できません。Accept に application/json を指定してください。",
	"cannot read request body":   "リクエスト本文を読めませんでした。もう一度送ってください。",
	"request body read timeout":  "リクエスト本文の受信が時間内に終わりませんでした。もう一度送ってください。",
}

func init() {
	humaNewError := huma.NewError
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		if ja, ok := humaMessages[msg]; ok {
			if status == http.StatusInternalServerError {
				errs = nil // never show an internal error's text
			}
			msg = ja
		} else if strings.HasPrefix(msg, "request body is too large") {
			msg = "リクエスト本文が大きすぎます。一度に送る件数を減らしてください。"
		}
		return humaNewError(status, msg, errs...)
	}
}

// writeProblem answers a problem document outside huma's operations.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(huma.NewError(status, detail))
}
