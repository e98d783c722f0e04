-- +goose Up
-- An order's history keeps the name of a phase deleted since. Events refer to phases by id, and
-- the history shows each phase's current name; deleting a phase writes its name into these
-- columns of the events that mention it and clears their id (SQLite may give a later phase the
-- same id). Empty while the phase exists.
ALTER TABLE order_events ADD COLUMN from_phase_name TEXT NOT NULL DEFAULT '';
ALTER TABLE order_events ADD COLUMN to_phase_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE order_events DROP COLUMN to_phase_name;
ALTER TABLE order_events DROP COLUMN from_phase_name;
