-- +goose Up
-- web_sessions are the operators' logins. The cookie carries a random token; only its SHA-256
-- is kept here, so a copy of the database opens no session. csrf_token is the session's token
-- that every form and htmx request must echo.
CREATE TABLE web_sessions (
    token_hash   TEXT     PRIMARY KEY,
    user_id      INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT     NOT NULL,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

-- +goose Down
DROP TABLE web_sessions;
