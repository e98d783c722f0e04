// Package attention gathers what needs an operator (要対応), shop by shop: credentials that the
// marketplace refused, that are missing or about to expire, automation rules that are stopped,
// started polling rules whose last successful run is overdue (overdue.go),
// and the orders in error grouped by cause (「発送完了報告エラー — 「…」 — 23件」), each group
// with the order search that finds exactly its orders. The web UI's start page and the REST
// API's GET /attention show the same Report.
package attention
