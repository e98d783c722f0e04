// Package ownshop is the shop's own cart (自社カート) as an ichigen channel: orders come in from
// the cart — posted by the cart to ichigen's signed intake endpoint (POST
// /api/v1/ownshop/shops/{id}/orders), or read from the cart's own order feed on the import schedule — in one
// JSON shape (CartOrder), signed with the shop's shared secret (HMAC-SHA256 over the body, the
// X-Ichigen-Signature header). Card orders carry their クロネコwebコレクト trade, and the channel's
// rule 売上確定 (capture) registers the shipment with webコレクト (E01), which fixes the sale:
// never twice (the journal marks the trade before the call; a lost answer is settled by reading
// the trade back with E04), and refused before any call when the slip number breaks the seed's
// rule under 「配送業者の設定: ヤマトグループのみ」 (seed 004).
package ownshop
