-- name: OverwriteOrder :execrows
UPDATE orders SET ordered_at = sqlc.arg(ordered_at), buyer_name = sqlc.arg(buyer_name), buyer_kana = sqlc.arg(buyer_kana),
    buyer_email = sqlc.arg(buyer_email), buyer_phone = sqlc.arg(buyer_phone), buyer_zip = sqlc.arg(buyer_zip),
    buyer_address = sqlc.arg(buyer_address), packages = sqlc.arg(packages),
    goods_yen = sqlc.narg(goods_yen), tax_yen = sqlc.narg(tax_yen), postage_yen = sqlc.narg(postage_yen),
    payment_fee_yen = sqlc.narg(payment_fee_yen), discount_yen = sqlc.narg(discount_yen), points_yen = sqlc.narg(points_yen),
    total_yen = sqlc.narg(total_yen), requested_yen = sqlc.narg(requested_yen),
    payment_method = sqlc.arg(payment_method), settlement = sqlc.arg(settlement),
    marketplace_status_raw = sqlc.arg(marketplace_status_raw), marketplace_status = sqlc.arg(marketplace_status),
    payment_status = sqlc.arg(payment_status), raw_payload = sqlc.arg(raw_payload),
    marketplace_updated_at = sqlc.narg(marketplace_updated_at), latest_ship_date = sqlc.narg(latest_ship_date), is_prime = sqlc.arg(is_prime),
    buyer_remarks = sqlc.arg(buyer_remarks),
    version = version + 1, updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: RefreshMarketplaceState :execrows
UPDATE orders SET marketplace_status_raw = sqlc.arg(marketplace_status_raw), marketplace_status = sqlc.arg(marketplace_status),
    payment_status = sqlc.arg(payment_status), marketplace_updated_at = sqlc.narg(marketplace_updated_at),
    latest_ship_date = sqlc.narg(latest_ship_date), version = version + 1, updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: DeleteOrderLines :exec
DELETE FROM order_lines WHERE order_id = sqlc.arg(order_id);

-- name: DeleteOrderShipments :exec
DELETE FROM order_shipments WHERE order_id = sqlc.arg(order_id);

-- name: GetOrder :one
SELECT * FROM orders WHERE id = sqlc.arg(id);

-- name: GetOrderByNumber :one
SELECT * FROM orders WHERE shop_id = sqlc.arg(shop_id) AND number = sqlc.arg(number);

-- name: ListOrderLines :many
SELECT * FROM order_lines WHERE order_id = sqlc.arg(order_id) ORDER BY position;

-- name: ListOrderShipments :many
SELECT * FROM order_shipments WHERE order_id = sqlc.arg(order_id) ORDER BY position;

-- name: ListLinesOfOrders :many
SELECT * FROM order_lines WHERE order_id = ANY(sqlc.arg(order_ids)::bigint[]) ORDER BY order_id, position;

-- name: ListShipmentsOfOrders :many
SELECT * FROM order_shipments WHERE order_id = ANY(sqlc.arg(order_ids)::bigint[]) ORDER BY order_id, position;

-- name: BumpOrderVersion :execrows
UPDATE orders SET version = version + 1, updated_at = sqlc.arg(now) WHERE id = sqlc.arg(id) AND version = sqlc.arg(version);

-- name: MoveOrderPhase :execrows
UPDATE orders SET phase_entered_at = CASE WHEN phase_id = sqlc.arg(phase_id) THEN phase_entered_at ELSE sqlc.arg(now) END,
    phase_id = sqlc.arg(phase_id), phase_done = false, version = version + 1, updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id) AND version = sqlc.arg(version);

-- name: SetOrderLinkStatus :execrows
-- A link status set anew (by the operator: the retry path) lets the rule of the order's phase take
-- it again: the rule that left it there done marks it again after this, in the same transaction.
UPDATE orders SET link_status = sqlc.arg(link_status), link_message = sqlc.arg(link_message), link_ref = sqlc.arg(link_ref), phase_done = false,
    version = version + 1, updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: InsertOrderEvent :exec
INSERT INTO order_events (order_id, at, kind, actor, from_phase_id, to_phase_id, message)
VALUES (sqlc.arg(order_id), sqlc.arg(at), sqlc.arg(kind), sqlc.arg(actor), sqlc.narg(from_phase_id), sqlc.narg(to_phase_id), sqlc.arg(message));

-- name: ListOrderEvents :many
SELECT * FROM order_events WHERE order_id = sqlc.arg(order_id) ORDER BY id;

-- name: InsertPhaseMoveEvents :exec
INSERT INTO order_events (order_id, at, kind, actor, from_phase_id, to_phase_id, message)
SELECT o.id, sqlc.arg(at), 'phase_moved', sqlc.arg(actor), o.phase_id, sqlc.arg(to_phase_id), ''
FROM orders o WHERE o.phase_id <> sqlc.arg(to_phase_id) AND o.id = ANY(sqlc.arg(ids)::bigint[]);

-- name: MoveOrdersPhase :many
UPDATE orders SET phase_id = sqlc.arg(to_phase_id), phase_done = false, version = version + 1, updated_at = sqlc.arg(now), phase_entered_at = sqlc.arg(now)
WHERE phase_id <> sqlc.arg(to_phase_id) AND id = ANY(sqlc.arg(ids)::bigint[])
RETURNING id;

-- name: ListImportStates :many
SELECT id, number, version, marketplace_status, marketplace_status_raw, payment_status, paid_on, marketplace_updated_at, raw_payload
FROM orders WHERE shop_id = sqlc.arg(shop_id) AND number = ANY(sqlc.arg(numbers)::text[]);

-- name: LockOrders :many
-- Locks the rows a bulk move is about to change, so its events name the phase each order left.
SELECT id FROM orders WHERE id = ANY(sqlc.arg(ids)::bigint[]) ORDER BY id FOR UPDATE;

-- name: ListOrdersByIDs :many
SELECT * FROM orders WHERE id = ANY(sqlc.arg(ids)::bigint[]);

-- name: ListOrderStates :many
-- What a bulk operation's preview counts, without the rest of each order.
SELECT id, shop_id, phase_id, marketplace_status, link_status FROM orders WHERE id = ANY(sqlc.arg(ids)::bigint[]);

-- name: SetOrderManagement :execrows
UPDATE orders SET management_class = sqlc.arg(management_class), bundle_parent_id = sqlc.narg(bundle_parent_id),
    split_from_id = sqlc.narg(split_from_id), version = version + 1, updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id) AND version = sqlc.arg(version);

-- name: DeleteOrder :execrows
DELETE FROM orders WHERE id = sqlc.arg(id);

-- name: MarkOrdersPaid :many
-- A payment confirmed by hand: only orders still unpaid change, so a second click writes nothing.
UPDATE orders SET payment_status = 'paid', paid_on = sqlc.arg(paid_on), version = version + 1, updated_at = sqlc.arg(now)
WHERE payment_status = 'unpaid' AND id = ANY(sqlc.arg(ids)::bigint[])
RETURNING id;

-- name: MarkPhaseDone :execrows
-- Marks an order its phase's rule finished with and left in the phase (the rule has no phase
-- to move it to), if it is still in that phase: the rule does not take it again.
UPDATE orders SET phase_done = true, version = version + 1, updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id) AND phase_id = sqlc.arg(phase_id);

-- name: ListBuyerDataToMask :many
-- A shop's orders shipped, completed or cancelled at the marketplace before a time whose buyer
-- data is still kept; the marketplace's last update is at or after the shipment.
SELECT id, packages FROM orders
WHERE shop_id = sqlc.arg(shop_id) AND buyer_masked_at IS NULL AND marketplace_status IN ('shipped', 'completed', 'cancelled')
    AND marketplace_updated_at < sqlc.arg(before)
ORDER BY id LIMIT sqlc.arg(lim)::bigint;

-- name: MaskOrderBuyer :execrows
UPDATE orders SET buyer_name = sqlc.arg(buyer_name), buyer_kana = '', buyer_email = '', buyer_phone = '', buyer_zip = '',
    buyer_address = '', packages = sqlc.arg(packages), buyer_masked_at = sqlc.arg(now), version = version + 1, updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id) AND buyer_masked_at IS NULL;

-- name: MaskOrderMails :exec
-- The mails sent to a buyer whose data is removed: the address and the text, which names them.
UPDATE order_mails SET recipient = '', body = '' WHERE order_id = sqlc.arg(order_id);
