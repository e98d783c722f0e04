// Package order is the order (受注) as ichigen keeps it: buyer, packages, lines, amounts in integer
// yen, payment, marketplace and payment status, management class (通常 / 同梱 / 分割), phase, link
// status, shipments and the marketplace's raw payload. It holds types and rules only; no I/O.
package order
