//! SQL both backends run as written. Placeholders are PostgreSQL's `$n`; SQLite reads
//! the same text with `?n` (see [`for_sqlite`]).

/// Migrations per backend, in order. A new migration is appended, never edited.
pub(crate) const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_foundation.sql")),
    (2, include_str!("../migrations/sqlite/0002_console.sql")),
    (4, include_str!("../migrations/sqlite/0004_value.sql")),
    (5, include_str!("../migrations/sqlite/0005_merges.sql")),
    (6, include_str!("../migrations/sqlite/0006_segments.sql")),
    (7, include_str!("../migrations/sqlite/0007_stay_spend.sql")),
    (8, include_str!("../migrations/sqlite/0008_import_checks.sql")),
    (9, include_str!("../migrations/sqlite/0009_import_spend_totals.sql")),
    (10, include_str!("../migrations/sqlite/0010_guest_changes.sql")),
    (11, include_str!("../migrations/sqlite/0011_guest_key_lists.sql")),
    (12, include_str!("../migrations/sqlite/0012_spend_lines_through_stays.sql")),
    (13, include_str!("../migrations/sqlite/0013_spend_totals_on_stays.sql")),
    (14, include_str!("../migrations/sqlite/0014_spend_lines_keyed_by_stay.sql")),
];
pub(crate) const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_foundation.sql")),
    (2, include_str!("../migrations/postgres/0002_console.sql")),
    (4, include_str!("../migrations/postgres/0004_value.sql")),
    (5, include_str!("../migrations/postgres/0005_merges.sql")),
    (6, include_str!("../migrations/postgres/0006_segments.sql")),
    (7, include_str!("../migrations/postgres/0007_stay_spend.sql")),
    (8, include_str!("../migrations/postgres/0008_import_checks.sql")),
    (9, include_str!("../migrations/postgres/0009_import_spend_totals.sql")),
    (10, include_str!("../migrations/postgres/0010_guest_changes.sql")),
    (11, include_str!("../migrations/postgres/0011_guest_key_lists.sql")),
    (12, include_str!("../migrations/postgres/0012_spend_lines_through_stays.sql")),
    (13, include_str!("../migrations/postgres/0013_spend_totals_on_stays.sql")),
    (14, include_str!("../migrations/postgres/0014_spend_lines_keyed_by_stay.sql")),
];

pub(crate) const CREATE_MIGRATIONS_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)";
pub(crate) const APPLIED_MIGRATIONS: &str = "SELECT version FROM schema_migrations ORDER BY version";
pub(crate) const RECORD_MIGRATION: &str = "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)";

pub(crate) const COUNTS: &str = "SELECT (SELECT count(*) FROM hotels), (SELECT count(*) FROM guests WHERE merged_into IS NULL), \
     (SELECT count(*) FROM stays), (SELECT count(*) FROM spend_lines)";

pub(crate) const INSERT_HOTEL: &str = "INSERT INTO hotels (code, name, country, timezone, currency) VALUES ($1, $2, $3, $4, $5) \
     RETURNING id, code, name, country, timezone, currency";
pub(crate) const HOTELS: &str = "SELECT id, code, name, country, timezone, currency FROM hotels ORDER BY id";
pub(crate) const HOTEL_BY_CODE: &str = "SELECT id, code, name, country, timezone, currency FROM hotels WHERE code = $1";

/// A profile's document and, for a merged-away one, the profile it went into.
pub(crate) const GUEST_DOC: &str = "SELECT doc, merged_into FROM guests WHERE id = $1";
pub(crate) const UPDATE_GUEST: &str =
    "UPDATE guests SET doc = $2, version = $3, updated_at = $4, identity_keys = $5, search_keys = $6 WHERE id = $1";
/// Lists leave merged-away profiles (tombstones) out.
pub(crate) const GUEST_PAGE: &str = "SELECT doc FROM guests WHERE merged_into IS NULL ORDER BY id LIMIT $1 OFFSET $2";
pub(crate) const GUEST_COUNT: &str = "SELECT count(*) FROM guests WHERE merged_into IS NULL";
/// Keyset paging through every live profile: the index on the primary key, no OFFSET scan.
pub(crate) const LIVE_GUESTS_AFTER: &str = "SELECT doc FROM guests WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2";
/// Keyset paging through the profiles changed after a point (migration 10): a range scan
/// of the `(changed_at, id)` index. A tombstone's document is left out. Columns: id,
/// changed_at, the document of a live profile.
pub(crate) const GUESTS_CHANGED_AFTER: &str = "SELECT id, changed_at, CASE WHEN merged_into IS NULL THEN doc END FROM guests \
     WHERE (changed_at, id) > ($1, $2) ORDER BY changed_at, id LIMIT $3";

pub(crate) const IDENTITY_OWNER: &str = "SELECT min(guest_id) FROM guest_identities WHERE key = $1";
/// Another profile holding an identity key: see `guests::added_external_ids`.
pub(crate) const IDENTITY_OTHER_HOLDER: &str = "SELECT min(guest_id) FROM guest_identities WHERE key = $1 AND guest_id <> $2";
/// Keys in `[$1, $2)`: a prefix range that uses the primary key's order.
pub(crate) const SEARCH_PREFIX: &str =
    "SELECT key, guest_id FROM guest_search WHERE key >= $1 AND key < $2 ORDER BY key, guest_id LIMIT $3";
/// The profiles under one search prefix, from the key index alone (no documents): what a
/// search's total counts.
pub(crate) const SEARCH_PREFIX_GUESTS: &str =
    "SELECT guest_id FROM guest_search WHERE key >= $1 AND key < $2 ORDER BY key, guest_id LIMIT $3";

pub(crate) const INSERT_CONSENT: &str = "INSERT INTO consent_records (guest_id, channel, granted, recorded_at, source, recorded_by) \
     VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const CONSENT_HISTORY: &str = "SELECT channel, granted, recorded_at, source, recorded_by FROM consent_records \
     WHERE guest_id = $1 ORDER BY recorded_at, id";

pub(crate) const STAY_COLUMNS: &str = "id, guest_id, hotel_id, external_ref, arrival, departure, room_type, rate_minor, rate_currency, \
     channel, market_segment, adults, children, special_requests, status, booked_at, created_at";
pub(crate) const STAY_REF_EXISTS: &str = "SELECT 1 FROM stays WHERE hotel_id = $1 AND external_ref = $2";
pub(crate) const INSERT_SPEND: &str = "INSERT INTO spend_lines (stay_id, guest_id, hotel_id, category, amount_minor, currency, posted_on, \
     description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const SPEND_COLUMNS: &str = "id, stay_id, guest_id, hotel_id, category, amount_minor, currency, posted_on, description";

pub(crate) const NOTE_COLUMNS: &str = "id, guest_id, stay_id, hotel_id, body, author, created_at";
pub(crate) const INSERT_NOTE: &str =
    "INSERT INTO notes (guest_id, stay_id, hotel_id, body, author, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
     RETURNING id, guest_id, stay_id, hotel_id, body, author, created_at";

pub(crate) const INSERT_USER: &str =
    "INSERT INTO staff_users (login, display_name, password_hash, role, scope, language, disabled, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7) RETURNING id, login, display_name, role, scope, language, disabled, created_at";
pub(crate) const USER_BY_LOGIN: &str = "SELECT id, login, display_name, role, scope, language, disabled, created_at, password_hash \
     FROM staff_users WHERE login = $1";
pub(crate) const SET_USER_DISABLED: &str = "UPDATE staff_users SET disabled = $2 WHERE login = $1 \
     RETURNING id, login, display_name, role, scope, language, disabled, created_at";

pub(crate) const INSERT_TOKEN: &str = "INSERT INTO api_tokens (name, token_hash, role, scope, created_by, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, name, role, scope, created_at";
pub(crate) const TOKEN_BY_HASH: &str =
    "SELECT id, name, role, scope, created_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL";

pub(crate) const SET_USER_LANGUAGE: &str = "UPDATE staff_users SET language = $2 WHERE id = $1";

pub(crate) const INSERT_SESSION: &str =
    "INSERT INTO staff_sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
pub(crate) const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM staff_sessions WHERE expires_at <= $1";
pub(crate) const DELETE_SESSION: &str = "DELETE FROM staff_sessions WHERE id_hash = $1";
pub(crate) const DELETE_USER_SESSIONS: &str = "DELETE FROM staff_sessions WHERE user_id = (SELECT id FROM staff_users WHERE login = $1)";
/// A live session of an enabled user (disabling also deletes the sessions; this is the
/// second line of defence).
pub(crate) const SESSION: &str = "SELECT u.id, u.login, u.display_name, u.role, u.scope, u.language, u.disabled, u.created_at, \
     s.csrf_token, s.expires_at FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id \
     WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled = FALSE";

/// Who arrives at a hotel on a day: every stay but the cancelled and no-shows.
pub(crate) fn arrivals() -> String {
    format!(
        "SELECT {STAY_COLUMNS} FROM stays WHERE hotel_id = $1 AND arrival = $2 \
         AND status NOT IN ('cancelled', 'no_show') ORDER BY id"
    )
}
pub(crate) const ARRIVAL_TOUCHES: &str = "SELECT t.stay_id, t.touch, t.done_by, t.done_at FROM arrival_touches t \
     JOIN stays s ON s.id = t.stay_id WHERE s.hotel_id = $1 AND s.arrival = $2 ORDER BY t.stay_id, t.touch";
pub(crate) const MARK_TOUCH: &str = "INSERT INTO arrival_touches (stay_id, touch, done_by, done_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (stay_id, touch) DO UPDATE SET done_by = excluded.done_by, done_at = excluded.done_at";
pub(crate) const UNMARK_TOUCH: &str = "DELETE FROM arrival_touches WHERE stay_id = $1 AND touch = $2";

/// Guests, visits and returning guests per hotel, counting only stays that happened.
pub(crate) const HOTEL_VISITS: &str = "SELECT hotel_id, count(*), CAST(sum(n) AS BIGINT), \
     CAST(sum(CASE WHEN n >= 2 THEN 1 ELSE 0 END) AS BIGINT) \
     FROM (SELECT hotel_id, guest_id, count(*) AS n FROM stays WHERE status IN ('in_house', 'checked_out') \
     GROUP BY hotel_id, guest_id) v GROUP BY hotel_id ORDER BY hotel_id";
/// The same for the whole group: a guest who stayed at two hotels is one returning guest.
pub(crate) const GROUP_VISITS: &str = "SELECT count(*), CAST(coalesce(sum(n), 0) AS BIGINT), \
     CAST(coalesce(sum(CASE WHEN n >= 2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
     FROM (SELECT guest_id, count(*) AS n FROM stays WHERE status IN ('in_house', 'checked_out') GROUP BY guest_id) v";
/// Revenue per hotel, month and currency; `month` is the dialect's `YYYY-MM` of `posted_on`.
pub(crate) fn monthly_revenue(month: &str) -> String {
    format!(
        "SELECT hotel_id, {month} AS month, currency, CAST(sum(amount_minor) AS BIGINT) FROM spend_lines \
         GROUP BY hotel_id, {month}, currency ORDER BY hotel_id, month"
    )
}

/// Value analysis: the highest stay id, where the scan of [`REALISED_STAYS`] is split.
pub(crate) const MAX_STAY_ID: &str = "SELECT coalesce(max(id), 0) FROM stays";
/// What each stay that happened brought, with its spend totals (migration 13) in the order
/// of `SpendCategory::ALL`, for ids in `($1, $2]`: the scan is split in id ranges read side
/// by side.
pub(crate) const REALISED_STAYS: &str = "SELECT guest_id, hotel_id, arrival, departure, booked_at, channel, market_segment, \
     room_type, CAST(CASE WHEN coalesce(special_requests, '') <> '' THEN 1 ELSE 0 END AS BIGINT), \
     spend_room, spend_food_beverage, spend_spa, spend_laundry, spend_minibar, spend_other \
     FROM stays WHERE status IN ('in_house', 'checked_out') AND id > $1 AND id <= $2 ORDER BY id";
/// The column of [`REALISED_STAYS`] where the stay's spend totals begin.
pub(crate) const REALISED_SPEND_COLUMN: usize = 9;
/// In key order, to be walked beside the new rows (see `value::TierChanges`).
pub(crate) const CURRENT_TIERS: &str = "SELECT guest_id, scope_hotel, tier FROM guest_values ORDER BY guest_id, scope_hotel";
pub(crate) const CLEAR_GUEST_VALUES: &str = "DELETE FROM guest_values";
pub(crate) const INSERT_GUEST_VALUES: &str = "INSERT INTO guest_values (guest_id, scope_hotel, stays, last_stay, revenue, currency, \
     tier, rfm_recency, rfm_frequency, rfm_monetary, rfm_segment, probability_alive, expected_stays, expected_spend, lifetime_value, \
     churn_risk, computed_at) VALUES ";
pub(crate) const GUEST_VALUE_COLUMNS: usize = 17;
pub(crate) const INSERT_TIER_CHANGES: &str = "INSERT INTO tier_history (guest_id, scope_hotel, tier, since) VALUES ";
pub(crate) const TIER_CHANGE_COLUMNS: usize = 4;
/// Rows per multi-row insert (analysis results, SQLite import batches): a million guests'
/// scores go in as tens of thousands of statements, not millions (well under either
/// backend's parameter limit).
pub(crate) const ROWS_PER_INSERT: usize = 64;

/// `prefix` followed by `rows` tuples of `columns` numbered placeholders.
pub(crate) fn multi_row_insert(prefix: &str, columns: usize, rows: usize, suffix: &str) -> String {
    let mut sql = String::with_capacity(prefix.len() + rows * columns * 5);
    sql.push_str(prefix);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(r * columns + c + 1).to_string());
        }
        sql.push(')');
    }
    sql.push_str(suffix);
    sql
}

pub(crate) const UPSERT_VALUE_REPORT: &str = "INSERT INTO value_reports (scope_hotel, as_of, computed_at, report) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (scope_hotel) DO UPDATE SET as_of = excluded.as_of, computed_at = excluded.computed_at, report = excluded.report";
pub(crate) const GUEST_VALUES: &str = "SELECT scope_hotel, stays, last_stay, revenue, currency, tier, rfm_recency, rfm_frequency, \
     rfm_monetary, rfm_segment, probability_alive, expected_stays, expected_spend, lifetime_value, churn_risk, computed_at \
     FROM guest_values WHERE guest_id = $1 ORDER BY scope_hotel";
pub(crate) const TIER_HISTORY: &str = "SELECT scope_hotel, tier, since FROM tier_history WHERE guest_id = $1 ORDER BY scope_hotel, since";
/// One scope's latest values, most revenue first; the guest id comes last so the row decodes
/// with `value::stored_value`.
pub(crate) const SCOPE_VALUES: &str = "SELECT scope_hotel, stays, last_stay, revenue, currency, tier, rfm_recency, rfm_frequency, \
     rfm_monetary, rfm_segment, probability_alive, expected_stays, expected_spend, lifetime_value, churn_risk, computed_at, guest_id \
     FROM guest_values WHERE scope_hotel = $1 ORDER BY revenue DESC, guest_id";

/// Saved segments.
pub(crate) const INSERT_SEGMENT: &str =
    "INSERT INTO segments (name, description, rule, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
     RETURNING id, name, description, rule, created_by, created_at";
pub(crate) const SEGMENTS: &str = "SELECT id, name, description, rule, created_by, created_at FROM segments ORDER BY name";
pub(crate) const SEGMENT: &str = "SELECT id, name, description, rule, created_by, created_at FROM segments WHERE id = $1";
pub(crate) const DELETE_SEGMENT: &str = "DELETE FROM segments WHERE id = $1";

pub(crate) const VALUE_REPORTS: &str = "SELECT as_of, computed_at, report FROM value_reports ORDER BY scope_hotel";

/// Stays of a guest, optionally limited to a set of hotels passed as text (`1,3,7`);
/// the scope is applied in Rust for SQLite and with `= ANY` for PostgreSQL.
pub(crate) fn guest_stays() -> String {
    format!("SELECT {STAY_COLUMNS} FROM stays WHERE guest_id = $1 ORDER BY arrival DESC, id DESC")
}

/// The spend lines of the profile in parameter `$p`, found through its stays: spend lines
/// have no index by profile (migration 12), and a line's profile is always its stay's.
macro_rules! spend_of {
    ($p:literal) => {
        concat!("stay_id IN (SELECT id FROM stays WHERE guest_id = ", $p, ") AND guest_id = ", $p)
    };
}
/// A profile's (`$1`) spend lines.
pub(crate) const SPEND_OF_GUEST: &str = spend_of!("$1");

pub(crate) fn guest_spend() -> String {
    format!("SELECT {SPEND_COLUMNS} FROM spend_lines WHERE {SPEND_OF_GUEST} ORDER BY posted_on DESC, id DESC")
}

pub(crate) fn guest_notes() -> String {
    format!("SELECT {NOTE_COLUMNS} FROM notes WHERE guest_id = $1 ORDER BY created_at DESC, id DESC")
}

pub(crate) fn stay_by_id() -> String {
    format!("SELECT {STAY_COLUMNS} FROM stays WHERE id = $1")
}

pub(crate) fn hotel_stays() -> String {
    format!(
        "SELECT {STAY_COLUMNS} FROM stays WHERE hotel_id = $1 AND arrival >= $2 AND arrival < $3 \
         ORDER BY arrival, id LIMIT $4 OFFSET $5"
    )
}

pub(crate) const HOTEL_STAYS_COUNT: &str = "SELECT count(*) FROM stays WHERE hotel_id = $1 AND arrival >= $2 AND arrival < $3";

// Duplicates: the review queue, never-merge marks, merges and their undo.

pub(crate) const PAIR_COLUMNS: &str = "left_id, right_id, weight, probability, evidence, status, found_at, decided_by, decided_at";
/// A new candidate joins the queue; a known undecided one gets the latest score; a decided
/// one is left as it is.
pub(crate) const UPSERT_PAIR: &str = "INSERT INTO duplicate_pairs (left_id, right_id, weight, probability, evidence, status, found_at) \
     VALUES ($1, $2, $3, $4, $5, 'pending', $6) ON CONFLICT (left_id, right_id) DO UPDATE SET weight = excluded.weight, \
     probability = excluded.probability, evidence = excluded.evidence, found_at = excluded.found_at \
     WHERE duplicate_pairs.status IN ('pending', 'later')";
pub(crate) const SET_PAIR_STATUS: &str =
    "UPDATE duplicate_pairs SET status = $3, decided_by = $4, decided_at = $5 WHERE left_id = $1 AND right_id = $2";
/// Closes an undecided pair as distinct (a never-merge mark); a decided one keeps its status.
pub(crate) const CLOSE_PAIR: &str = "UPDATE duplicate_pairs SET status = 'distinct', decided_by = $3, decided_at = $4 \
     WHERE left_id = $1 AND right_id = $2 AND status IN ('pending', 'later')";
/// Undecided pairs of two live profiles: pending before postponed, most probable first.
pub(crate) const REVIEW_QUEUE_WHERE: &str = "FROM duplicate_pairs p WHERE p.status IN ('pending', 'later') \
     AND NOT EXISTS (SELECT 1 FROM guests g WHERE g.id IN (p.left_id, p.right_id) AND g.merged_into IS NOT NULL)";
pub(crate) fn pair() -> String {
    format!("SELECT {PAIR_COLUMNS} FROM duplicate_pairs WHERE left_id = $1 AND right_id = $2")
}
pub(crate) fn review_queue() -> String {
    format!(
        "SELECT {PAIR_COLUMNS} {REVIEW_QUEUE_WHERE} ORDER BY CASE p.status WHEN 'pending' THEN 0 ELSE 1 END, \
         p.probability DESC, p.left_id, p.right_id LIMIT $1 OFFSET $2"
    )
}
pub(crate) fn review_queue_count() -> String {
    format!("SELECT count(*) {REVIEW_QUEUE_WHERE}")
}

pub(crate) const NEVER_MERGE: &str =
    "SELECT left_id, right_id, marked_by, marked_at, reason FROM never_merge WHERE left_id = $1 AND right_id = $2";
pub(crate) const INSERT_NEVER_MERGE: &str = "INSERT INTO never_merge (left_id, right_id, marked_by, marked_at, reason) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (left_id, right_id) DO NOTHING";

/// A profile's document and tombstone mark, for a merge or its undo.
pub(crate) const GUEST_STATE: &str = "SELECT doc, merged_into FROM guests WHERE id = $1";
/// Whether a profile exists and what it was merged into, without reading its document.
pub(crate) const GUEST_MERGED_INTO: &str = "SELECT merged_into FROM guests WHERE id = $1";
pub(crate) const SET_MERGED_INTO: &str = "UPDATE guests SET merged_into = $2 WHERE id = $1";

pub(crate) const MERGE_COLUMNS: &str = "id, survivor, absorbed, probability, evidence, decided_by, reason, at, undone_at, undone_by";
pub(crate) const INSERT_MERGE: &str = "INSERT INTO merges (survivor, absorbed, probability, evidence, decided_by, reason, at, \
     survivor_before, absorbed_before, survivor_after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     RETURNING id, survivor, absorbed, probability, evidence, decided_by, reason, at, undone_at, undone_by";
/// The merge with its undo documents after the record's columns.
pub(crate) fn merge_by_id() -> String {
    format!("SELECT {MERGE_COLUMNS}, survivor_before, absorbed_before, survivor_after FROM merges WHERE id = $1")
}
pub(crate) fn guest_merges() -> String {
    format!("SELECT {MERGE_COLUMNS} FROM merges WHERE survivor = $1 OR absorbed = $1 ORDER BY at DESC, id DESC")
}
pub(crate) const MARK_MERGE_UNDONE: &str = "UPDATE merges SET undone_at = $2, undone_by = $3 WHERE id = $1";

/// Rows a merge moves, by kind and table, each table's with which of its rows are the
/// absorbed profile's (`$2`). Spend lines go first, while that profile's stays still lead
/// to them ([`SPEND_OF_GUEST`]).
pub(crate) const MOVED_ROWS: &[(&str, &str, &str)] = &[
    ("spend", "spend_lines", spend_of!("$2")),
    ("stay", "stays", "guest_id = $2"),
    ("note", "notes", "guest_id = $2"),
    ("consent", "consent_records", "guest_id = $2"),
];
/// Remembers the absorbed profile's rows of a table (`whose`, from [`MOVED_ROWS`]) under
/// merge `$1`.
pub(crate) fn record_moves(kind: &str, table: &str, whose: &str) -> String {
    format!("INSERT INTO merge_moves (merge_id, kind, row_id) SELECT CAST($1 AS BIGINT), '{kind}', id FROM {table} WHERE {whose}")
}
/// Gives the absorbed profile's rows of a table (`whose`) to `$1`.
pub(crate) fn move_rows(table: &str, whose: &str) -> String {
    format!("UPDATE {table} SET guest_id = $1 WHERE {whose}")
}
/// Sends the rows merge `$3` moved back from `$2` to `$1`.
pub(crate) fn move_back(kind: &str, table: &str) -> String {
    format!(
        "UPDATE {table} SET guest_id = $1 WHERE guest_id = $2 \
         AND id IN (SELECT row_id FROM merge_moves WHERE merge_id = $3 AND kind = '{kind}')"
    )
}
/// Stays that joined `$2` through identity key `$3` since `$4`, sent to `$1`.
pub(crate) const MOVE_LATER_STAYS: &str = "UPDATE stays SET guest_id = $1 WHERE guest_id = $2 AND joined_by = $3 AND created_at >= $4";
/// Spend lines and stay notes follow their stay to profile `$1` from `$2`.
pub(crate) const SPEND_FOLLOWS_STAY: &str =
    "UPDATE spend_lines SET guest_id = $1 WHERE guest_id = $2 AND stay_id IN (SELECT id FROM stays WHERE guest_id = $1)";
pub(crate) const NOTES_FOLLOW_STAY: &str =
    "UPDATE notes SET guest_id = $1 WHERE guest_id = $2 AND stay_id IN (SELECT id FROM stays WHERE guest_id = $1)";

/// The exclusive upper bound of a prefix range: the prefix followed by the highest
/// code point sorts after every key that starts with it, in SQLite's and "C" order.
pub(crate) fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// SQLite spells numbered parameters `?n`.
pub(crate) fn for_sqlite(sql: &str) -> String {
    sql.replace('$', "?")
}

#[cfg(test)]
mod tests {
    #[test]
    fn multi_row_inserts_number_their_placeholders_row_by_row() {
        assert_eq!(
            super::multi_row_insert("INSERT INTO t (a, b) VALUES ", 2, 2, " ON CONFLICT DO NOTHING"),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING"
        );
    }

    #[test]
    fn sqlite_placeholders_keep_their_numbers() {
        assert_eq!(super::for_sqlite("a = $1 AND b = $12"), "a = ?1 AND b = ?12");
    }
}
