// Package api is ichigen's REST API, /api/v1, built on huma with the net/http ServeMux adapter.
// Every operation the operator's UI offers is here too: orders (search, detail, shipments, phase
// moves with their rule queued in the same transaction, link status by hand, bundle and split,
// re-fetching the marketplace status), shops, phases, automation rules and the API call history.
//
// Clients authenticate with a per-user API token (`Authorization: Bearer ichigen_…`, made by
// `ichigen token create`) and may do exactly what the UI lets that user do: each operation
// names its menu and level once, in the operation table (routes.go), and a request below that
// level is refused before the operation runs. Cookies are never read, so the UI's session and
// CSRF machinery does not apply here.
//
// Errors are RFC 9457 problem documents whose detail is the Japanese message the UI shows; the
// domain's apperror codes become HTTP statuses in one place (problem.go). The OpenAPI 3.1
// document is served at /api/v1/openapi.json.
package api
