-- name: UpdateGroup :execrows
UPDATE permission_groups SET name = sqlc.arg(name), permissions = sqlc.arg(permissions) WHERE id = sqlc.arg(id);

-- name: UpdateUser :execrows
UPDATE users SET name = sqlc.arg(name), email = sqlc.arg(email), group_id = sqlc.arg(group_id) WHERE id = sqlc.arg(id);

-- name: SetUserDisabled :execrows
UPDATE users SET disabled = sqlc.arg(disabled) WHERE id = sqlc.arg(id);

-- name: SetUserPassword :execrows
UPDATE users SET password_hash = sqlc.arg(password_hash) WHERE id = sqlc.arg(id);

-- name: ReplaceUserPassword :execrows
-- Changes a password only while it is still the one the user proved they know.
UPDATE users SET password_hash = sqlc.arg(new_hash) WHERE id = sqlc.arg(id) AND password_hash = sqlc.arg(old_hash);

-- name: DeleteUserWebSessions :exec
DELETE FROM web_sessions WHERE user_id = sqlc.arg(user_id);
