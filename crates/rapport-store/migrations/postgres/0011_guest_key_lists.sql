-- Each profile's row lists the identity and search keys it holds (PostgreSQL). Kept in
-- step with migrations/sqlite, which says why.
--
-- The change stamp (migration 10) follows the document and the merge state only, as on
-- SQLite: writing a profile's key lists, here or when `rapport reindex` makes its keys
-- again, does not change the profile.
DROP TRIGGER guests_changed_on_update ON guests;
CREATE TRIGGER guests_changed_on_update BEFORE UPDATE OF doc, merged_into ON guests
    FOR EACH ROW EXECUTE FUNCTION guests_stamp_change();

ALTER TABLE guests ADD COLUMN identity_keys TEXT NOT NULL DEFAULT '[]';
ALTER TABLE guests ADD COLUMN search_keys TEXT NOT NULL DEFAULT '[]';

UPDATE guests g SET identity_keys = k.keys
FROM (SELECT guest_id, json_agg(key ORDER BY key)::text AS keys FROM guest_identities GROUP BY guest_id) k
WHERE k.guest_id = g.id;
UPDATE guests g SET search_keys = k.keys
FROM (SELECT guest_id, json_agg(key ORDER BY key)::text AS keys FROM guest_search GROUP BY guest_id) k
WHERE k.guest_id = g.id;

DROP INDEX guest_identities_guest;
DROP INDEX guest_search_guest;

-- A deleted profile takes its keys with it, found through its lists (Rapport deletes no
-- profile; a merge leaves a tombstone).
CREATE OR REPLACE FUNCTION guest_keys_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM guest_identities WHERE guest_id = OLD.id AND key IN (SELECT json_array_elements_text(OLD.identity_keys::json));
    DELETE FROM guest_search WHERE guest_id = OLD.id AND key IN (SELECT json_array_elements_text(OLD.search_keys::json));
    RETURN OLD;
END
$$;
