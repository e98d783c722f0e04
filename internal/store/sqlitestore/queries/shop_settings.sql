-- name: GetShopSetting :one
SELECT value FROM shop_settings WHERE shop_id = sqlc.arg(shop_id) AND name = sqlc.arg(name);

-- name: PutShopSetting :exec
INSERT INTO shop_settings (shop_id, name, value, updated_at, updated_by)
VALUES (sqlc.arg(shop_id), sqlc.arg(name), sqlc.arg(value), sqlc.arg(updated_at), sqlc.arg(updated_by))
ON CONFLICT (shop_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by;
