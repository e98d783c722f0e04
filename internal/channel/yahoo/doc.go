// Package yahoo speaks the Yahoo!ショッピング ストア運営API (order API): the wire types shared by
// the client and the simulator (yahoosim), the client with its error classes and its OAuth 2.0
// access token, and the mapping of Yahoo orders into ichigen's order.
//
// Wire facts are in docs/marketplace-apis.md §3 and §3a: every operation is
// /ShoppingWebService/V1/<op> with "Authorization: Bearer <access token>" from Yahoo! ID連携 v2
// (authorization code, then refresh tokens; access tokens live an hour). Writes and searches are
// POSTs of <Req>…<SellerId/></Req>; orderCount and orderChangeHistory are GETs with query
// parameters. Answers are <Result> (orderList) or <ResultSet><Result>…</Result></ResultSet>
// (orderInfo, the writes); refusals are <Error><Message/><Code/></Error>. Times are
// yyyyMMddHHmmss and dates yyyyMMdd, in Japan time.
//
// What the research did not establish (the od… error catalogue and messages, the answer to the
// per-second limit, the write answers' shape) is marked where it is used; the simulator's own
// choices are named as such.
package yahoo
