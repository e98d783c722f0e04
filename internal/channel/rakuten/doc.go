// Package rakuten speaks Rakuten Ichiba's RMS order API 2.0 (楽天ペイ受注API): the wire types
// shared by the client and the simulator (rakutensim), and the mapping into ichigen's order.
//
// Wire facts are in docs/marketplace-apis.md §1: every operation is a POST of JSON to
// /es/2.0/order/<op>/ with "Authorization: ESA base64(serviceSecret:licenseKey)"; datetimes are
// yyyy-MM-ddTHH:mm:ss+0900; amounts not yet fixed are -9999.
package rakuten
