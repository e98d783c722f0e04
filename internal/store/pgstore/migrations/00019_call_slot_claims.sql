-- +goose Up
-- A call slot is claimed again just before the call leaves: last_us is when the last call of the
-- credential was claimed, and claim the random token of the caller that claimed it. A caller
-- that wakes late for its reserved slot pushes the ones after it, so that the calls the
-- marketplace sees stay a step apart however late one of them was.
ALTER TABLE call_slots ADD COLUMN last_us BIGINT NOT NULL DEFAULT 0;
ALTER TABLE call_slots ADD COLUMN claim BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE call_slots DROP COLUMN claim;
ALTER TABLE call_slots DROP COLUMN last_us;
