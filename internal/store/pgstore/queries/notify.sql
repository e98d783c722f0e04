-- name: ListNotifyAddresses :many
SELECT * FROM notify_addresses ORDER BY position;

-- name: DeleteNotifyAddresses :exec
DELETE FROM notify_addresses;

-- name: AddNotifyAddress :exec
INSERT INTO notify_addresses (position, address, saved_at, saved_by)
VALUES (sqlc.arg(position), sqlc.arg(address), sqlc.arg(saved_at), sqlc.arg(saved_by));
