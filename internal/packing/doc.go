// Package packing is the packing bench (出荷作業): between "the order is paid" and "the tracking
// number reaches the mall". It writes label data in the import layout of each carrier's own
// label program (ヤマト運輸 B2クラウド, 佐川急便 e飛伝Ⅲ, 日本郵便 ゆうプリR), Shift_JIS (CP932), and reads
// the numbers those programs issued back in (or a plain two-column CSV): each row matched to its
// order, each number checked per carrier, a report per row, and only the valid rows applied, all
// in one transaction when the operator confirms.
//
// The layouts and codes follow docs/carriers-and-mail.md (A1–A4), which records the
// published specifications and the third-party exporters each column was checked against; every
// column below names its source and confidence there.
package packing
