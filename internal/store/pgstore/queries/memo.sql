-- name: SetOrderMemo :execrows
-- An operator's memo on an order, at the version the caller read.
UPDATE orders SET memo = sqlc.arg(memo), version = version + 1, updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id) AND version = sqlc.arg(version);
