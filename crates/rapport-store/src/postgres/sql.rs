//! SQL only PostgreSQL runs: advisory locks, sequences, row locks and array-parameter
//! bulk writes (`unnest` of one array per column: one statement per table and batch).

use crate::sql::{NOTE_COLUMNS, SPEND_COLUMNS, SPEND_OF_GUEST, STAY_COLUMNS};

/// Advisory-lock keys (per database): "RAPPORT" then a purpose byte.
pub(super) const MIGRATION_LOCK: i64 = 0x5241_5050_4f52_5401;
pub(super) const IMPORT_LOCK: i64 = 0x5241_5050_4f52_5402;

pub(super) const ADVISORY_XACT_LOCK: &str = "SELECT pg_advisory_xact_lock($1)";
/// The same lock held by a session until it lets go ([`ADVISORY_UNLOCK`]) or ends.
pub(super) const ADVISORY_LOCK: &str = "SELECT pg_advisory_lock($1)";
pub(super) const ADVISORY_UNLOCK: &str = "SELECT pg_advisory_unlock($1)";
/// The same lock, on a text key (an identity key) rather than a number.
pub(super) const KEY_XACT_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

/// Ids from the guests' and the stays' sequences (`$1` and `$2` of them), taken ahead so
/// rows of one batch can refer to each other. The sequences are looked up once: written
/// inside `nextval(…)`, the look-up ran for every id (measured: 20,000 + 8,000 ids in 90 ms,
/// 20 ms this way).
pub(super) const NEXT_IDS: &str = "WITH seq AS MATERIALIZED (SELECT pg_get_serial_sequence('guests', 'id')::regclass AS guests, \
     pg_get_serial_sequence('stays', 'id')::regclass AS stays) SELECT \
     ARRAY(SELECT nextval(seq.guests) FROM seq, generate_series(1, $1::bigint)), \
     ARRAY(SELECT nextval(seq.stays) FROM seq, generate_series(1, $2::bigint))";

/// A guest document locked until the transaction ends, so two edits cannot both pass
/// the version check.
pub(super) const GUEST_DOC_FOR_UPDATE: &str = "SELECT doc, merged_into FROM guests WHERE id = $1 FOR UPDATE";
/// The documents an import batch may change, locked as its update will lock them: against
/// edits and merges (which lock `FOR UPDATE`), but not against a stay's foreign-key check
/// (`FOR KEY SHARE`), so the previous batch's stays, written on another connection, can
/// still name these profiles (see `staged`).
pub(super) const GUEST_DOCS_FOR_IMPORT: &str = "SELECT id, doc FROM guests WHERE id = ANY($1) FOR NO KEY UPDATE";
pub(super) const GUEST_DOCS: &str = "SELECT id, doc FROM guests WHERE id = ANY($1)";
/// How long a batch's stays wait for a row lock before they give up (see `staged`).
pub(super) const STAYS_LOCK_TIMEOUT: &str = "SET LOCAL lock_timeout = '120s'";
/// Locks the profiles as a foreign key check does, against a merge or a delete until the
/// transaction ends, and answers one of them that has been merged into another, if any has.
/// Every row is locked unless a merged one is found, which fails the transaction.
pub(super) const LOCK_UNMERGED: &str = "WITH locked AS (SELECT id, merged_into FROM guests WHERE id = ANY($1) FOR KEY SHARE) \
     SELECT id FROM locked WHERE merged_into IS NOT NULL LIMIT 1";
pub(super) const GUEST_EXISTS: &str = "SELECT merged_into FROM guests WHERE id = $1";

/// The oldest profile holding each of the keys.
pub(super) const IDENTITY_OWNERS: &str = "SELECT key, min(guest_id) FROM guest_identities WHERE key = ANY($1) GROUP BY key";
/// Which of the `(hotel, reference)` pairs are already stored.
pub(super) const STORED_STAY_REFS: &str = "SELECT s.hotel_id, s.external_ref FROM stays s \
     JOIN unnest($1::bigint[], $2::text[]) AS r(hotel_id, external_ref) \
     ON s.hotel_id = r.hotel_id AND s.external_ref = r.external_ref";

pub(super) const INSERT_GUESTS: &str = "INSERT INTO guests (id, doc, version, created_at, updated_at, identity_keys, search_keys) \
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[])";
pub(super) const UPDATE_GUESTS: &str = "UPDATE guests g SET doc = u.doc, version = u.version, updated_at = u.updated_at, \
     identity_keys = u.identity_keys, search_keys = u.search_keys \
     FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::timestamptz[], $5::text[], $6::text[]) \
     AS u(id, doc, version, updated_at, identity_keys, search_keys) WHERE g.id = u.id";
/// The lists of the keys profiles hold (see `guests::ProfileKeys`), written with the keys.
pub(super) const SET_KEY_LISTS: &str = "UPDATE guests g SET identity_keys = u.identity_keys, search_keys = u.search_keys \
     FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u(id, identity_keys, search_keys) WHERE g.id = u.id";
/// The identity and search keys profiles `$1` hold, as their rows list them (migration 11),
/// each found by its primary key. Run before the rows' lists are rewritten.
pub(super) const DELETE_IDENTITIES: &str = "DELETE FROM guest_identities k \
     USING guests g, json_array_elements_text(g.identity_keys::json) AS held(key) \
     WHERE g.id = ANY($1) AND k.key = held.key AND k.guest_id = g.id";
pub(super) const DELETE_SEARCH_KEYS: &str = "DELETE FROM guest_search k \
     USING guests g, json_array_elements_text(g.search_keys::json) AS held(key) \
     WHERE g.id = ANY($1) AND k.key = held.key AND k.guest_id = g.id";
/// Keys of new profiles and of profiles whose keys the same pipeline deleted first, each
/// pair once (see `write::key_pairs`), so none can clash: no `ON CONFLICT`, whose
/// speculative insertion cost 70% more per key (measured: 200,000 search keys in 2.27 s
/// with it, 1.34 s without).
pub(super) const INSERT_IDENTITIES: &str = "INSERT INTO guest_identities (key, guest_id) SELECT * FROM unnest($1::text[], $2::bigint[])";
pub(super) const INSERT_SEARCH_KEYS: &str = "INSERT INTO guest_search (key, guest_id) SELECT * FROM unnest($1::text[], $2::bigint[])";
pub(super) const INSERT_CONSENTS: &str = "INSERT INTO consent_records (guest_id, channel, granted, recorded_at, source, recorded_by) \
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::boolean[], $4::timestamptz[], $5::text[], $6::text[])";
/// A new stay comes with its spend totals (migration 13; see [`MARK_SPEND_TOTALS_WRITTEN`]).
pub(super) const INSERT_STAYS: &str = "INSERT INTO stays (id, guest_id, hotel_id, external_ref, arrival, departure, room_type, \
     rate_minor, rate_currency, channel, market_segment, adults, children, special_requests, status, booked_at, created_at, joined_by, \
     spend_room, spend_food_beverage, spend_spa, spend_laundry, spend_minibar, spend_other) \
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::date[], $6::date[], $7::text[], $8::bigint[], \
     $9::text[], $10::text[], $11::text[], $12::integer[], $13::integer[], $14::text[], $15::text[], $16::date[], $17::timestamptz[], \
     $18::text[], $19::bigint[], $20::bigint[], $21::bigint[], $22::bigint[], $23::bigint[], $24::bigint[])";
pub(super) const INSERT_SPEND_LINES: &str = "INSERT INTO spend_lines (stay_id, guest_id, hotel_id, category, amount_minor, currency, \
     posted_on, description) \
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::date[], $8::text[])";
/// Marks a transaction that writes new stays with their spend totals: the lines it then
/// writes for them are already counted, and the insert trigger leaves them alone
/// (migration 9).
pub(super) const MARK_SPEND_TOTALS_WRITTEN: &str = "SELECT set_config('rapport.spend_totals_written', 'on', true)";
pub(super) const INSERT_NOTES: &str = "INSERT INTO notes (guest_id, stay_id, hotel_id, body, author, created_at) \
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[])";

/// The bulk loads of an import batch (see `copy`), column for column like the inserts
/// above. A new profile's `changed_at` takes its default, the database's clock.
pub(super) const COPY_GUESTS: &str =
    "COPY guests (id, doc, version, created_at, updated_at, identity_keys, search_keys) FROM STDIN (FORMAT binary)";
pub(super) const COPY_IDENTITIES: &str = "COPY guest_identities (key, guest_id) FROM STDIN (FORMAT binary)";
pub(super) const COPY_SEARCH_KEYS: &str = "COPY guest_search (key, guest_id) FROM STDIN (FORMAT binary)";
pub(super) const COPY_STAYS: &str = "COPY stays (id, guest_id, hotel_id, external_ref, arrival, departure, room_type, rate_minor, \
     rate_currency, channel, market_segment, adults, children, special_requests, status, booked_at, created_at, joined_by, \
     spend_room, spend_food_beverage, spend_spa, spend_laundry, spend_minibar, spend_other) FROM STDIN (FORMAT binary)";
pub(super) const COPY_SPEND_LINES: &str = "COPY spend_lines (stay_id, guest_id, hotel_id, category, amount_minor, currency, \
     posted_on, description) FROM STDIN (FORMAT binary)";

/// Reads limited to the hotels of a scope (`$2`, an array of hotel ids). Notes without a
/// hotel are about the guest, not a stay, and every scope sees them.
pub(super) fn guest_stays_in() -> String {
    format!("SELECT {STAY_COLUMNS} FROM stays WHERE guest_id = $1 AND hotel_id = ANY($2) ORDER BY arrival DESC, id DESC")
}

pub(super) fn guest_spend_in() -> String {
    format!("SELECT {SPEND_COLUMNS} FROM spend_lines WHERE {SPEND_OF_GUEST} AND hotel_id = ANY($2) ORDER BY posted_on DESC, id DESC")
}

pub(super) fn guest_notes_in() -> String {
    format!(
        "SELECT {NOTE_COLUMNS} FROM notes WHERE guest_id = $1 AND (hotel_id IS NULL OR hotel_id = ANY($2)) \
         ORDER BY created_at DESC, id DESC"
    )
}

/// The clock that stamps `guests.changed_at` (migration 10).
pub(super) const CLOCK: &str = "SELECT clock_timestamp()";

/// `LIVE_GUESTS_AFTER` with the rows locked, for rewriting their keys.
pub(super) const LIVE_GUESTS_AFTER_FOR_UPDATE: &str =
    "SELECT doc FROM guests WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE";
