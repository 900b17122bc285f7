-- When each profile last changed, by the database's clock (PostgreSQL). Kept in step with
-- migrations/sqlite.
--
-- A running server keeps a match index over every live profile; an import, a batch dedupe
-- or another server changes profiles behind its back. It reads the profiles changed since
-- its last look through this column (`Store::guests_changed_after`). The column's default
-- stamps new rows and a trigger stamps updated ones, so every path that writes a profile
-- (import, API, demo, merges and their undo, hand-written SQL) is seen without knowing of
-- it. `clock_timestamp()`, not `now()`: a row is stamped when it is written rather than
-- when its transaction began, which keeps the window a reader must look back over (for
-- transactions committing out of stamp order) to the time from a write to its commit.
--
-- Profiles stored before this migration keep NULL: a server reads the whole base when it
-- starts, and stamping a million rows here would rewrite the table.
ALTER TABLE guests ADD COLUMN changed_at TIMESTAMPTZ;
ALTER TABLE guests ALTER COLUMN changed_at SET DEFAULT clock_timestamp();
CREATE INDEX guests_changed ON guests (changed_at, id);

CREATE FUNCTION guests_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_at := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE TRIGGER guests_changed_on_update BEFORE UPDATE ON guests
    FOR EACH ROW EXECUTE FUNCTION guests_stamp_change();
