// Package aupay speaks the au PAY Market (旧 Wowma!) shop API: the wire types shared by the client
// and the simulator (aupaysim), the client with its error classes, and the mapping of trades
// (取引) into ichigen's order.
//
// Wire facts are in docs/marketplace-apis.md §2: every operation is /wmshopapi/<proc>
// with "Authorization: Bearer <APIキー>"; reads are GETs with query parameters, writes are POSTs
// of <request><shopId>…</shopId>…</request>; every answer is
// <response><result><status>0|1</status>[<error><code/><message/></error>]</result>…</response>.
// Order dates are "YYYY/MM/DD HH:MM" in Japan time; order statuses are Japanese labels
// (新規受付 … 発送待ち … 完了, キャンセル).
//
// What the research did not find (error-code catalogue, rate limit, the full shippingCarrier
// table) is marked where it is used; the simulator's own choices are named as such.
package aupay
