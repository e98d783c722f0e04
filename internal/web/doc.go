// Package web is the operator's UI: server-rendered pages (templ) made lively with htmx, Japanese
// first with an English switch. Every route is declared once in the route table (routes.go) with
// the menu and the level it needs; the table is what the server mounts and what the
// route × permission test walks, so no route escapes the check.
//
// Login sessions are kept in the store (the cookie holds a random token, the store its hash);
// every form and htmx request carries the session's CSRF token, and cross-origin writes are
// refused on top of it.
//
//go:generate go run github.com/a-h/templ/cmd/templ@v0.3.977 generate
package web
