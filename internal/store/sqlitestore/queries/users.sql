-- name: CreateGroup :one
INSERT INTO permission_groups (name, permissions) VALUES (sqlc.arg(name), sqlc.arg(permissions)) RETURNING id;

-- name: GetGroup :one
SELECT * FROM permission_groups WHERE id = sqlc.arg(id);

-- name: ListGroups :many
SELECT * FROM permission_groups ORDER BY id;

-- name: CreateUser :one
INSERT INTO users (login, name, email, password_hash, group_id, disabled, created_at)
VALUES (sqlc.arg(login), sqlc.arg(name), sqlc.arg(email), sqlc.arg(password_hash), sqlc.arg(group_id), sqlc.arg(disabled), sqlc.arg(created_at))
RETURNING id;

-- name: GetUserByLogin :one
SELECT * FROM users WHERE login = sqlc.arg(login);

-- name: GetUser :one
SELECT * FROM users WHERE id = sqlc.arg(id);

-- name: ListUsers :many
SELECT * FROM users ORDER BY id;

-- name: InsertAPICall :one
INSERT INTO api_calls (at, shop_id, order_id, job_kind, operation, outcome, http_status, error_code, error_message, duration_ms, request, response)
VALUES (sqlc.arg(at), sqlc.arg(shop_id), sqlc.narg(order_id), sqlc.arg(job_kind), sqlc.arg(operation), sqlc.arg(outcome), sqlc.arg(http_status),
        sqlc.arg(error_code), sqlc.arg(error_message), sqlc.arg(duration_ms), sqlc.arg(request), sqlc.arg(response))
RETURNING id;

-- name: InsertCallOrder :exec
-- Links a batched call to one order it carried.
INSERT INTO call_orders (order_id, call_id) VALUES (sqlc.arg(order_id), sqlc.arg(call_id));

-- name: ListAPICalls :many
SELECT * FROM api_calls
WHERE (shop_id = sqlc.narg(shop_id) OR sqlc.narg(shop_id) IS NULL)
  AND (api_calls.order_id = sqlc.narg(order_id) OR sqlc.narg(order_id) IS NULL
       OR api_calls.id IN (SELECT l.call_id FROM call_orders l WHERE l.order_id = sqlc.narg(order_id)))
  AND (job_kind = sqlc.narg(job_kind) OR sqlc.narg(job_kind) IS NULL)
  AND (outcome = sqlc.narg(outcome) OR sqlc.narg(outcome) IS NULL)
  AND (at >= sqlc.narg(from_at) OR sqlc.narg(from_at) IS NULL)
  AND (at < sqlc.narg(to_at) OR sqlc.narg(to_at) IS NULL)
ORDER BY at DESC, id DESC
LIMIT sqlc.arg(page_size) OFFSET sqlc.arg(page_offset);

-- name: DeleteAPICallsBefore :execrows
DELETE FROM api_calls WHERE id IN (SELECT c.id FROM api_calls c WHERE c.at < sqlc.arg(before) ORDER BY c.id LIMIT sqlc.arg(batch));

-- name: CallStats :one
-- Counts a shop's calls since a time, on api_calls_shop_at: all of them (history rows that are no
-- call, operation 'settle', left out), those refused for the quota (429) and those that failed.
SELECT count(*) AS calls,
       CAST(coalesce(sum(CASE WHEN http_status = 429 THEN 1 ELSE 0 END), 0) AS INTEGER) AS throttled,
       CAST(coalesce(sum(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END), 0) AS INTEGER) AS failed
FROM api_calls
WHERE shop_id = sqlc.arg(shop_id) AND at >= sqlc.arg(since) AND operation <> 'settle';

-- name: GetAPICall :one
SELECT * FROM api_calls WHERE id = sqlc.arg(id);

-- name: CreateWebSession :exec
INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
VALUES (sqlc.arg(token_hash), sqlc.arg(user_id), sqlc.arg(csrf_token), sqlc.arg(created_at), sqlc.arg(expires_at), sqlc.arg(last_seen_at));

-- name: GetWebSession :one
SELECT * FROM web_sessions WHERE token_hash = sqlc.arg(token_hash) AND expires_at > sqlc.arg(now);

-- name: TouchWebSession :execrows
UPDATE web_sessions SET last_seen_at = sqlc.arg(now), expires_at = sqlc.arg(expires_at) WHERE token_hash = sqlc.arg(token_hash);

-- name: DeleteWebSession :exec
DELETE FROM web_sessions WHERE token_hash = sqlc.arg(token_hash);

-- name: DeleteExpiredWebSessions :execrows
DELETE FROM web_sessions WHERE expires_at <= sqlc.arg(now);
