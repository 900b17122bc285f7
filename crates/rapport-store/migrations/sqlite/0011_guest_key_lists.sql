-- Each profile's row lists the identity and search keys it holds (SQLite). Kept in step
-- with migrations/postgres.
--
-- The key tables were indexed twice: by key (their primary key, which matching and search
-- read) and by profile, only to find a changed profile's keys. That second index held every
-- key again, and an import kept it growing beside the first: copying an imported million
-- rows into fresh tables (`bench/import_floor.sh`) took 11.5–11.7 s with it, 8.8–9.2 s
-- without, and 10.2 s with these lists in its place (one series, alternated).
--
-- A changed profile's old keys are now deleted through its lists, by primary key. The
-- lists are JSON arrays of text, written by every statement that writes keys (see
-- `guests::ProfileKeys`); a tombstone of a merge holds none. Stored profiles get the keys
-- they hold now, read through the index before it goes. A deleted profile's keys still go
-- with it by the foreign keys' cascade, which now scans the key tables (Rapport deletes no
-- profile; a merge leaves a tombstone).
ALTER TABLE guests ADD COLUMN identity_keys TEXT NOT NULL DEFAULT '[]';
ALTER TABLE guests ADD COLUMN search_keys TEXT NOT NULL DEFAULT '[]';

UPDATE guests SET
    identity_keys = (SELECT json_group_array(key ORDER BY key) FROM guest_identities WHERE guest_id = guests.id),
    search_keys = (SELECT json_group_array(key ORDER BY key) FROM guest_search WHERE guest_id = guests.id);

DROP INDEX guest_identities_guest;
DROP INDEX guest_search_guest;
