-- +goose Up
-- Issue 20 item 3: saved searches keep the order the operators gave them in the side bar
-- (position, from 1; the ones saved before keep their name order), and each user keeps the order
-- list's page size (0: not chosen yet), so it follows the operator to another machine.
ALTER TABLE saved_searches ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE saved_searches SET position = 1 + (SELECT count(*) FROM saved_searches s WHERE s.name < saved_searches.name);
ALTER TABLE users ADD COLUMN page_size INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN page_size;
ALTER TABLE saved_searches DROP COLUMN position;
