-- When each profile last changed, by the database's clock (SQLite). Kept in step with
-- migrations/postgres.
--
-- A running server keeps a match index over every live profile; an import, a batch dedupe
-- or another server changes profiles behind its back. It reads the profiles changed since
-- its last look through this column (`Store::guests_changed_after`). The one insert statement
-- and a trigger on updates stamp it, so every path that writes a profile (import, API, demo,
-- merges and their undo, hand-written updates) is seen without knowing of it. The stamp is text in rusqlite's format for a UTC
-- timestamp, to the millisecond, so text order is time order.
--
-- Profiles stored before this migration keep NULL: a server reads the whole base when it
-- starts, and stamping a million rows here would rewrite the table.
ALTER TABLE guests ADD COLUMN changed_at TEXT;
CREATE INDEX guests_changed ON guests (changed_at, id);

-- A new profile is stamped by the one statement that inserts profiles (`INSERT_GUEST` in `src/sqlite/mod.rs`):
-- SQLite cannot give an added column a default that is not a constant, and a trigger
-- updating every new row cost the import 11 % of its rows per second.

-- Only the document and the merge state: the trigger's own update does not fire it again.
CREATE TRIGGER guests_changed_on_update AFTER UPDATE OF doc, merged_into ON guests BEGIN
    UPDATE guests SET changed_at = strftime('%Y-%m-%d %H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END;
