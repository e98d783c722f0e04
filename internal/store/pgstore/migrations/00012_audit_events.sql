-- +goose Up
-- audit_events is 操作履歴: who changed which setting when, through the web UI, the REST API or
-- the CLI (internal/audit says what is recorded). Never a secret: credentials by key name,
-- passwords by the fact, API tokens by id.
CREATE TABLE audit_events (
    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     TIMESTAMPTZ NOT NULL,
    actor  TEXT        NOT NULL,
    action TEXT        NOT NULL,
    target TEXT        NOT NULL DEFAULT '',
    detail TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events (at DESC, id DESC);

-- +goose Down
DROP TABLE audit_events;
