// Package apperror holds the few error codes ichigen's domain speaks in. Edge packages (web, api,
// cli) turn a code into an HTTP status and show the Japanese message in one place.
package apperror

import (
	"errors"
	"fmt"
	"net/http"
)

// Code says what kind of failure an Error is.
type Code string

// The codes. Keep the list short: an edge maps each to one HTTP status.
const (
	NotFound     Code = "not_found"
	Invalid      Code = "invalid"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized"
	Forbidden    Code = "forbidden"
	Internal     Code = "internal"
)

// Error is a domain error: a code and a user-facing Japanese message that says what happened and
// what to do.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// New returns an Error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first Error in err's chain, or Internal.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the user-facing message of the first Error in err's chain, or a generic one.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "内部エラーが発生しました。時間をおいて再度お試しください。解決しない場合は管理者に連絡してください。"
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// HTTPStatus is the HTTP status of err's code, the same for the web UI and the REST API: 404,
// 422 for invalid input, 409, 401, 403, and 500 for anything unclassified.
func HTTPStatus(err error) int {
	switch CodeOf(err) {
	case NotFound:
		return http.StatusNotFound
	case Invalid:
		return http.StatusUnprocessableEntity
	case Conflict:
		return http.StatusConflict
	case Unauthorized:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}
