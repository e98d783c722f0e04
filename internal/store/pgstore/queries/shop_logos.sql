-- name: GetShopLogo :one
SELECT content_type, data, updated_at FROM shop_logos WHERE shop_id = sqlc.arg(shop_id);

-- name: PutShopLogo :exec
INSERT INTO shop_logos (shop_id, content_type, data, updated_at, updated_by)
VALUES (sqlc.arg(shop_id), sqlc.arg(content_type), sqlc.arg(data), sqlc.arg(updated_at), sqlc.arg(updated_by))
ON CONFLICT (shop_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by;

-- name: DeleteShopLogo :exec
DELETE FROM shop_logos WHERE shop_id = sqlc.arg(shop_id);
