//! The embedded backend: SQLite through rusqlite.

mod ahead;
mod checkpoint;
mod console;
mod import;
mod inserts;
pub(crate) use import::LookedAhead;

mod merges;
mod pool;
mod text;
mod value;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::access::Scope;
use rapport_domain::guest::{ConsentRecord, Guest, GuestId, GuestProfile};
use rapport_domain::hotel::{Hotel, HotelId, NewHotel};
use rapport_domain::ingest::KeyedBatch;
use rapport_domain::stay::{NewStay, Note, SpendLine, Stay, StayId};
use rusqlite::types::ToSql;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::auth::{NewToken, NewUser, StaffUser, TokenInfo};
use crate::merges::ready;
use crate::rows::{self, scope_to_text};
use crate::sql::{self, for_sqlite};
use crate::{
    BatchOutcome, Counts, GroupFigures, GuestDoc, KeyLists, NewSession, Page, ProfileKeys, Result, Session, Store, StoreError, TouchMark,
};
use crate::{CandidateOutcome, MergeRecord, MergeRequest, NeverMergeMark, PairDecision, ReviewPair};
use merges::SqliteSql;
use rapport_domain::duplicates::{MatchThresholds, ScoredPair};

use inserts::Inserts;
use pool::Pool;

/// The clock that stamps `guests.changed_at` (migration 10): the host's, as text in
/// [`CHANGE_STAMP`]'s format.
pub(super) const CLOCK: &str = "SELECT strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')";
/// `changed_at` as the trigger writes it, so text order is time order.
const CHANGE_STAMP: &str = "%Y-%m-%d %H:%M:%S%.3f+00:00";

pub struct SqliteStore {
    pool: Arc<Pool>,
}

impl SqliteStore {
    /// Opens (or creates) the database file and applies pending migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        let pool = Pool::open(path.as_ref())?;
        let store = Self { pool };
        store.pool.write(migrate).await?;
        Ok(store)
    }
}

fn migrate(tx: &Transaction) -> Result<()> {
    tx.execute(sql::CREATE_MIGRATIONS_TABLE, [])?;
    let applied: Vec<i64> = tx
        .prepare(sql::APPLIED_MIGRATIONS)?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for (version, script) in sql::SQLITE_MIGRATIONS {
        if !applied.contains(version) {
            tracing::info!(version, "applying SQLite migration");
            tx.execute_batch(script)?;
            tx.execute(&for_sqlite(sql::RECORD_MIGRATION), params![version, Utc::now().to_rfc3339()])?;
        }
    }
    Ok(())
}

/// Maps a unique-constraint failure to `Conflict` with a message for the user.
fn conflict(e: rusqlite::Error, what: &str) -> StoreError {
    match &e {
        // Only a duplicate is a conflict; a broken reference or check is a bug to report.
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            StoreError::Conflict(format!("{what} already exists"))
        }
        _ => e.into(),
    }
}

/// A live profile's document: `NotFound` if there is none, `Merged` for a tombstone.
fn guest_doc(conn: &Connection, id: GuestId) -> Result<GuestDoc> {
    let (doc, merged_into) = conn
        .prepare_cached(&for_sqlite(sql::GUEST_DOC))?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::not_found(format!("guest {id}")))?;
    crate::live_doc(id, doc, merged_into)
}

fn next_guest_id(tx: &Connection) -> Result<GuestId> {
    Ok(tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM guests", [], |r| r.get(0))?)
}

/// Writes a guest document and rewrites its identity and search keys.
fn put_guest(tx: &Connection, guest: &Guest, insert: bool) -> Result<()> {
    let mut keys = GuestKeys::default();
    let lists = keys.add(guest);
    write_guest_doc(tx, guest, &crate::guest_json(guest), &lists, insert)?;
    keys.insert(&mut Inserts::new(tx))
}

/// Multi-row inserts for [`insert_rows`]: the statement up to its rows, the columns per
/// row, what follows the rows.
///
/// SQLite opens a statement journal for a statement that writes several rows and may have
/// to take back some of them (the default conflict handling, `ABORT`), and copies into it
/// every page the statement changes. `OR FAIL` spares that work: whatever the failing
/// statement wrote before it stopped stays in the transaction, and every caller rolls the
/// whole transaction back on an error (an import batch, with the batches staged with it).
/// `ON CONFLICT` still decides what a duplicate key does.
pub(super) type RowsInsert = (&'static str, usize, &'static str);
const IDENTITY_ROWS: RowsInsert = (
    "INSERT OR FAIL INTO guest_identities (key, guest_id) VALUES ",
    2,
    " ON CONFLICT DO NOTHING",
);
const SEARCH_KEY_ROWS: RowsInsert = (
    "INSERT OR FAIL INTO guest_search (key, guest_id) VALUES ",
    2,
    " ON CONFLICT DO NOTHING",
);

/// Identity and search keys of several profiles, inserted together in key order: an
/// import batch's keys then walk each index from one end to the other instead of
/// jumping between its pages row by row.
#[derive(Default)]
struct GuestKeys {
    identity: Vec<(String, GuestId)>,
    search: Vec<(String, GuestId)>,
}

impl GuestKeys {
    /// Adds a profile's keys; returns them as its row lists them.
    fn add(&mut self, guest: &Guest) -> KeyLists {
        let id = guest.id;
        let keys = ProfileKeys::of(&guest.profile);
        let lists = keys.lists();
        self.identity.extend(keys.identity.into_iter().map(|k| (k, id)));
        self.search.extend(keys.search.into_iter().map(|k| (k, id)));
        lists
    }

    /// Puts the keys in index order (done by [`GuestKeys::insert`] too; sorted input
    /// costs it one pass).
    fn sort(&mut self) {
        self.identity.sort_unstable();
        self.search.sort_unstable();
    }

    fn insert(&mut self, inserts: &mut Inserts) -> Result<()> {
        self.sort();
        for (table, keys) in [(IDENTITY_ROWS, &self.identity), (SEARCH_KEY_ROWS, &self.search)] {
            inserts.rows(table, keys, |(key, id), values| values.extend([key as &dyn ToSql, id]))?;
        }
        Ok(())
    }
}

/// A new profile, stamped by the database's clock as it is written (`changed_at`, migration
/// 10, in the format the update trigger writes). PostgreSQL's column default
/// does this there; SQLite's added column cannot have one, and a trigger updating every new
/// row cost the import 11 % of its rows per second. An import batch writes its new
/// profiles many to a statement, with the same clock read once ([`CLOCK`]; `import.rs`).
const INSERT_GUEST: &str = "INSERT INTO guests (id, doc, version, created_at, updated_at, identity_keys, search_keys, changed_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))";

/// A stay row. Its id is the connection's last rowid: SQLite runs `RETURNING` as a trigger,
/// so a statement with it opened a statement journal and built a temporary table for
/// every row (about a fifth of an import's stay inserts when it still wrote them this way).
const INSERT_STAY: &str = "INSERT INTO stays (guest_id, hotel_id, external_ref, arrival, departure, room_type, \
     rate_minor, rate_currency, channel, market_segment, adults, children, special_requests, status, booked_at, \
     created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

/// Writes a guest document (`doc` is `guest` as JSON) with the lists of its keys; an update
/// first deletes the keys the profile held (the caller inserts the new ones).
fn write_guest_doc(tx: &Connection, guest: &Guest, doc: &str, lists: &KeyLists, insert: bool) -> Result<()> {
    if insert {
        tx.prepare_cached(&for_sqlite(INSERT_GUEST))?.execute(params![
            guest.id,
            doc,
            guest.version,
            guest.created_at,
            guest.updated_at,
            lists.identity,
            lists.search
        ])?;
    } else {
        delete_keys(tx, guest.id)?;
        tx.prepare_cached(&for_sqlite(sql::UPDATE_GUEST))?.execute(params![
            guest.id,
            doc,
            guest.version,
            guest.updated_at,
            lists.identity,
            lists.search
        ])?;
    }
    Ok(())
}

/// The identity and search keys profile `?1` holds, as its row lists them: each deleted by
/// its primary key (the `IN` list walks it), where a profile with no list deletes nothing.
const DELETE_HELD_IDENTITIES: &str = "DELETE FROM guest_identities WHERE guest_id = ?1 \
     AND key IN (SELECT value FROM json_each((SELECT identity_keys FROM guests WHERE id = ?1)))";
const DELETE_HELD_SEARCH_KEYS: &str = "DELETE FROM guest_search WHERE guest_id = ?1 \
     AND key IN (SELECT value FROM json_each((SELECT search_keys FROM guests WHERE id = ?1)))";

/// Deletes the keys profile `id` holds; its lists are left for the caller to rewrite.
fn delete_keys(tx: &Connection, id: GuestId) -> Result<()> {
    tx.prepare_cached(DELETE_HELD_IDENTITIES)?.execute([id])?;
    tx.prepare_cached(DELETE_HELD_SEARCH_KEYS)?.execute([id])?;
    Ok(())
}

/// The lists of the keys a profile holds (see `guests::ProfileKeys`), written with the keys.
const SET_KEY_LISTS: &str = "UPDATE guests SET identity_keys = ?2, search_keys = ?3 WHERE id = ?1";

/// Deletes the keys profile `id` holds and lists `lists` on its row in their place (the
/// caller inserts the keys listed).
fn relist_keys(tx: &Connection, id: GuestId, lists: &KeyLists) -> Result<()> {
    delete_keys(tx, id)?;
    tx.prepare_cached(SET_KEY_LISTS)?
        .execute(params![id, lists.identity, lists.search])?;
    Ok(())
}

/// A search on one read connection: the best `limit` profiles and, when `counted`, how many
/// match (see [`Store::search_guests_counted`]).
fn search(c: &Connection, prefixes: &[String], limit: i64, counted: bool) -> Result<(Vec<Guest>, Option<crate::SearchTotal>)> {
    let per_prefix = limit * crate::SEARCH_KEYS_PER_PROFILE;
    let mut stmt = c.prepare_cached(&for_sqlite(sql::SEARCH_PREFIX))?;
    let mut hits = Vec::with_capacity(prefixes.len());
    for p in prefixes {
        let rows = stmt.query_map(params![p, sql::prefix_end(p), per_prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
        hits.push(rows.collect::<rusqlite::Result<Vec<(String, GuestId)>>>()?);
    }
    let total = match counted {
        false => None,
        true => Some(match crate::total_if_complete(&hits, per_prefix) {
            Some(total) => total,
            None => count_matches(c, prefixes)?,
        }),
    };
    let ids = crate::rank_search_hits(prefixes, hits.into_iter().flatten().collect(), limit as usize);
    let guests = ids.into_iter().map(|id| guest_doc(c, id)?.decode()).collect::<Result<_>>()?;
    Ok((guests, total))
}

/// How many profiles match `prefixes`, from the key index alone, up to the cap.
fn count_matches(c: &Connection, prefixes: &[String]) -> Result<crate::SearchTotal> {
    let mut stmt = c.prepare_cached(&for_sqlite(sql::SEARCH_PREFIX_GUESTS))?;
    let mut per_prefix = Vec::with_capacity(prefixes.len());
    for p in prefixes {
        let ids = stmt.query_map(params![p, sql::prefix_end(p), crate::SEARCH_COUNT_ROWS], |r| r.get(0))?;
        per_prefix.push(ids.collect::<rusqlite::Result<Vec<GuestId>>>()?);
    }
    Ok(crate::search_total(per_prefix))
}

/// Refuses a write that would give profile `id` an external id another profile holds
/// (see [`crate::added_external_ids`]). The writer's lock keeps the check and the write
/// together.
fn refuse_taken_external_ids(tx: &Connection, before: Option<&GuestProfile>, after: &GuestProfile, id: GuestId) -> Result<()> {
    let mut holder = tx.prepare_cached(&for_sqlite(sql::IDENTITY_OTHER_HOLDER))?;
    for (key, shown) in crate::added_external_ids(before, after) {
        if let Some(other) = holder.query_row(params![key, id], |r| r.get::<_, Option<GuestId>>(0))? {
            return Err(crate::external_id_taken(&shown, other));
        }
    }
    Ok(())
}

/// Stores a new profile and its consent records (the profile first: they refer to it).
fn insert_new_guest(tx: &Transaction, guest: Guest, consents: &[ConsentRecord]) -> Result<Guest> {
    put_guest(tx, &guest, true)?;
    for c in consents {
        insert_consent(tx, guest.id, c)?;
    }
    Ok(guest)
}

/// Inserts `items`, many rows per statement (see [`Inserts::rows`]), for a caller with one
/// such insert to make. An import batch keeps one [`Inserts`] for all of its own, so that
/// each statement is prepared once per batch.
pub(super) fn insert_rows<T>(
    conn: &Connection,
    table: RowsInsert,
    items: &[T],
    bind: impl for<'r> Fn(&'r T, &mut Vec<&'r dyn ToSql>),
) -> Result<()> {
    Ok(Inserts::new(conn).rows(table, items, bind)?)
}

/// Every row of a query, decoded.
fn query_all<T>(c: &Connection, sql: &str, params: impl rusqlite::Params, decode: impl Fn(&rusqlite::Row) -> Result<T>) -> Result<Vec<T>> {
    let mut stmt = c.prepare_cached(&for_sqlite(sql))?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(decode(r)?);
    }
    Ok(out)
}

/// Runs an `INSERT … RETURNING` and decodes the row; a unique clash is a `Conflict`
/// naming `what`. The insert runs on the first step, so that is where a clash shows.
fn insert_returning<T>(
    tx: &Transaction,
    sql: &str,
    params: impl rusqlite::Params,
    what: &str,
    decode: impl Fn(&rusqlite::Row) -> Result<T>,
) -> Result<T> {
    let mut stmt = tx.prepare_cached(&for_sqlite(sql))?;
    let mut rows = stmt.query(params).map_err(|e| conflict(e, what))?;
    let row = rows
        .next()
        .map_err(|e| conflict(e, what))?
        .ok_or_else(|| StoreError::Task("no row returned".into()))?;
    decode(row)
}

/// The first row of a query, decoded; `None` when there is none.
fn query_one<T>(
    c: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    decode: impl Fn(&rusqlite::Row) -> Result<T>,
) -> Result<Option<T>> {
    let mut stmt = c.prepare_cached(&for_sqlite(sql))?;
    let mut rows = stmt.query(params)?;
    rows.next()?.map(decode).transpose()
}

fn insert_consent(tx: &Connection, guest: GuestId, c: &ConsentRecord) -> Result<()> {
    tx.prepare_cached(&for_sqlite(sql::INSERT_CONSENT))?.execute(params![
        guest,
        c.channel.as_str(),
        c.granted,
        c.recorded_at,
        c.source,
        c.recorded_by
    ])?;
    Ok(())
}

/// Inserts a stay added by hand (through the API) with its spend lines; returns the stay
/// id. Imports write their stays in batches (`import.rs`), with the key that joined them.
fn insert_stay(tx: &Transaction, guest: GuestId, s: &NewStay) -> Result<StayId> {
    tx.prepare_cached(&for_sqlite(INSERT_STAY))?
        .execute(params![
            guest,
            s.hotel_id,
            s.external_ref,
            text::date(s.arrival),
            text::date(s.departure),
            s.room_type,
            s.rate.map(|r| r.minor),
            s.rate.map(|r| r.currency.code()),
            s.channel,
            s.market_segment,
            s.adults,
            s.children,
            s.special_requests,
            s.status.as_str(),
            s.booked_at.map(text::date),
            text::timestamp(Utc::now())
        ])
        .map_err(|e| conflict(e, "a stay with this reservation reference"))?;
    let id = tx.last_insert_rowid();
    insert_spend_lines(tx, id, guest, s)?;
    Ok(id)
}

fn insert_spend_lines(tx: &Connection, stay: StayId, guest: GuestId, s: &NewStay) -> Result<()> {
    let mut ins = tx.prepare_cached(&for_sqlite(sql::INSERT_SPEND))?;
    for line in &s.spend {
        ins.execute(params![
            stay,
            guest,
            s.hotel_id,
            line.category.as_str(),
            line.amount.minor,
            line.amount.currency.code(),
            text::date(line.posted_on),
            line.description
        ])?;
    }
    Ok(())
}

fn in_scope<T>(items: Vec<T>, scope: &Scope, hotel: impl Fn(&T) -> Option<HotelId>) -> Vec<T> {
    items.into_iter().filter(|i| hotel(i).is_none_or(|h| scope.allows(h))).collect()
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn counts(&self) -> Result<Counts> {
        self.pool
            .read(|c| {
                Ok(c.query_row(sql::COUNTS, [], |r| {
                    Ok(Counts {
                        hotels: r.get(0)?,
                        guests: r.get(1)?,
                        stays: r.get(2)?,
                        spend_lines: r.get(3)?,
                    })
                })?)
            })
            .await
    }

    async fn create_hotel(&self, h: NewHotel) -> Result<Hotel> {
        self.pool
            .write(move |tx| {
                let what = format!("hotel {}", h.code);
                insert_returning(
                    tx,
                    sql::INSERT_HOTEL,
                    params![h.code, h.name, h.country, h.timezone, h.currency.code()],
                    &what,
                    |r| rows::hotel(r),
                )
            })
            .await
    }

    async fn hotels(&self) -> Result<Vec<Hotel>> {
        self.pool.read(|c| query_all(c, sql::HOTELS, [], |r| rows::hotel(r))).await
    }

    async fn hotel_by_code(&self, code: &str) -> Result<Hotel> {
        let code = code.trim().to_ascii_uppercase();
        self.pool
            .read(move |c| {
                query_one(c, sql::HOTEL_BY_CODE, [&code], |r| rows::hotel(r))?.ok_or_else(|| StoreError::not_found(format!("hotel {code}")))
            })
            .await
    }

    async fn create_guest(&self, profile: GuestProfile, consents: Vec<ConsentRecord>) -> Result<Guest> {
        self.pool
            .write(move |tx| {
                let id = next_guest_id(tx)?;
                refuse_taken_external_ids(tx, None, &profile, id)?;
                insert_new_guest(tx, crate::new_guest(id, profile, &consents, Utc::now()), &consents)
            })
            .await
    }

    async fn guest_doc(&self, id: GuestId) -> Result<GuestDoc> {
        self.pool.read_now(|c| guest_doc(c, id))
    }

    async fn update_guest(&self, id: GuestId, profile: GuestProfile, expected_version: Option<i64>) -> Result<Guest> {
        self.pool
            .write(move |tx| {
                let mut guest = guest_doc(tx, id)?.decode()?;
                crate::check_version(&guest, expected_version)?;
                refuse_taken_external_ids(tx, Some(&guest.profile), &profile, id)?;
                guest.profile = profile;
                guest.version += 1;
                guest.updated_at = Utc::now();
                put_guest(tx, &guest, false)?;
                Ok(guest)
            })
            .await
    }

    async fn record_consent(&self, id: GuestId, record: ConsentRecord) -> Result<Guest> {
        self.pool
            .write(move |tx| {
                let mut guest = guest_doc(tx, id)?.decode()?;
                insert_consent(tx, id, &record)?;
                rapport_domain::ingest::set_current_consent(&mut guest.consents, record);
                guest.version += 1;
                guest.updated_at = Utc::now();
                put_guest(tx, &guest, false)?;
                Ok(guest)
            })
            .await
    }

    async fn consent_history(&self, id: GuestId) -> Result<Vec<ConsentRecord>> {
        self.pool
            .read(move |c| {
                guest_doc(c, id)?;
                query_all(c, sql::CONSENT_HISTORY, [id], |r| rows::consent(r))
            })
            .await
    }

    async fn list_guests(&self, offset: i64, limit: i64) -> Result<Page<Guest>> {
        self.pool
            .read(move |c| {
                let total: i64 = c.query_row(sql::GUEST_COUNT, [], |r| r.get(0))?;
                let mut stmt = c.prepare_cached(&for_sqlite(sql::GUEST_PAGE))?;
                let docs: Vec<String> = stmt.query_map([limit, offset], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                let items = docs.into_iter().map(|d| GuestDoc(d).decode()).collect::<Result<_>>()?;
                Ok(Page {
                    items,
                    total,
                    offset,
                    limit,
                    total_capped: false,
                })
            })
            .await
    }

    async fn live_guests_after(&self, after: GuestId, limit: i64) -> Result<Vec<Guest>> {
        self.pool
            .read(move |c| {
                let mut stmt = c.prepare_cached(&for_sqlite(sql::LIVE_GUESTS_AFTER))?;
                let docs: Vec<String> = stmt.query_map([after, limit], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                docs.into_iter().map(|d| GuestDoc(d).decode()).collect()
            })
            .await
    }

    async fn rebuild_keys(&self, after: GuestId, limit: i64) -> Result<Option<(GuestId, usize)>> {
        self.pool
            .write(move |tx| {
                let docs: Vec<String> = tx
                    .prepare_cached(&for_sqlite(sql::LIVE_GUESTS_AFTER))?
                    .query_map([after, limit], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let count = docs.len();
                let mut keys = GuestKeys::default();
                let mut last = None;
                for doc in docs {
                    let guest = GuestDoc(doc).decode()?;
                    relist_keys(tx, guest.id, &keys.add(&guest))?;
                    last = Some(guest.id);
                }
                keys.insert(&mut Inserts::new(tx))?;
                Ok(last.map(|id| (id, count)))
            })
            .await
    }

    async fn clock(&self) -> Result<DateTime<Utc>> {
        self.pool.read(|c| Ok(c.query_row(CLOCK, [], |r| r.get(0))?)).await
    }

    async fn guests_changed_after(&self, at: DateTime<Utc>, id: GuestId, limit: i64) -> Result<Vec<crate::GuestChange>> {
        // Compared as text: the trigger's format (migration 10), to the millisecond. Cutting
        // off the rest can only list a change more, never one less.
        let at = at.format(CHANGE_STAMP).to_string();
        self.pool
            .read(move |c| {
                let mut stmt = c.prepare_cached(&for_sqlite(sql::GUESTS_CHANGED_AFTER))?;
                let mut rows = stmt.query(params![at, id, limit])?;
                let mut changes = Vec::new();
                while let Some(r) = rows.next()? {
                    changes.push(crate::guest_change(r)?);
                }
                Ok(changes)
            })
            .await
    }

    async fn search_guests(&self, prefixes: &[String], limit: i64) -> Result<Vec<Guest>> {
        let prefixes = prefixes.to_vec();
        self.pool.read(move |c| Ok(search(c, &prefixes, limit, false)?.0)).await
    }

    async fn search_guests_counted(&self, prefixes: &[String], limit: i64) -> Result<(Vec<Guest>, crate::SearchTotal)> {
        let prefixes = prefixes.to_vec();
        self.pool
            .read(move |c| {
                let (guests, total) = search(c, &prefixes, limit, true)?;
                Ok((guests, total.expect("asked for")))
            })
            .await
    }

    async fn add_stay(&self, guest: GuestId, stay: NewStay) -> Result<Stay> {
        self.pool
            .write(move |tx| {
                guest_doc(tx, guest)?;
                let id = insert_stay(tx, guest, &stay)?;
                query_one(tx, &sql::stay_by_id(), [id], |r| rows::stay(r))?.ok_or_else(|| StoreError::not_found(format!("stay {id}")))
            })
            .await
    }

    async fn stay(&self, id: StayId) -> Result<Stay> {
        self.pool
            .read(move |c| {
                query_one(c, &sql::stay_by_id(), [id], |r| rows::stay(r))?.ok_or_else(|| StoreError::not_found(format!("stay {id}")))
            })
            .await
    }

    async fn guest_stays(&self, guest: GuestId, scope: &Scope) -> Result<Vec<Stay>> {
        let scope = scope.clone();
        self.pool
            .read(move |c| {
                guest_doc(c, guest)?;
                let out = query_all(c, &sql::guest_stays(), [guest], |r| rows::stay(r))?;
                Ok(in_scope(out, &scope, |s| Some(s.hotel_id)))
            })
            .await
    }

    async fn guest_spend(&self, guest: GuestId, scope: &Scope) -> Result<Vec<SpendLine>> {
        let scope = scope.clone();
        self.pool
            .read(move |c| {
                guest_doc(c, guest)?;
                let out = query_all(c, &sql::guest_spend(), [guest], |r| rows::spend_line(r))?;
                Ok(in_scope(out, &scope, |s| Some(s.hotel_id)))
            })
            .await
    }

    async fn hotel_stays(&self, hotel: HotelId, from: NaiveDate, to: NaiveDate, offset: i64, limit: i64) -> Result<Page<Stay>> {
        self.pool
            .read(move |c| {
                let total: i64 = c
                    .prepare_cached(&for_sqlite(sql::HOTEL_STAYS_COUNT))?
                    .query_row(params![hotel, from, to], |r| r.get(0))?;
                let items = query_all(c, &sql::hotel_stays(), params![hotel, from, to, limit, offset], |r| rows::stay(r))?;
                Ok(Page {
                    items,
                    total,
                    offset,
                    limit,
                    total_capped: false,
                })
            })
            .await
    }

    async fn add_note(&self, guest: GuestId, stay: Option<StayId>, hotel: Option<HotelId>, body: &str, author: &str) -> Result<Note> {
        let (body, author) = (body.to_string(), author.to_string());
        self.pool
            .write(move |tx| {
                guest_doc(tx, guest)?;
                query_one(tx, sql::INSERT_NOTE, params![guest, stay, hotel, body, author, Utc::now()], |r| {
                    rows::note(r)
                })?
                .ok_or_else(|| StoreError::Task("no row returned".into()))
            })
            .await
    }

    async fn guest_notes(&self, guest: GuestId, scope: &Scope) -> Result<Vec<Note>> {
        let scope = scope.clone();
        self.pool
            .read(move |c| {
                guest_doc(c, guest)?;
                let out = query_all(c, &sql::guest_notes(), [guest], |r| rows::note(r))?;
                Ok(in_scope(out, &scope, |n| n.hotel_id))
            })
            .await
    }

    async fn create_user(&self, u: NewUser) -> Result<StaffUser> {
        self.pool
            .write(move |tx| {
                let what = format!("user {}", u.login);
                let params = params![
                    u.login,
                    u.display_name,
                    u.password_hash,
                    u.role.as_str(),
                    scope_to_text(&u.scope),
                    u.language,
                    Utc::now()
                ];
                insert_returning(tx, sql::INSERT_USER, params, &what, |r| rows::staff_user(r))
            })
            .await
    }

    async fn user_by_login(&self, login: &str) -> Result<(StaffUser, String)> {
        let login = login.to_string();
        self.pool
            .read(move |c| {
                query_one(c, sql::USER_BY_LOGIN, [&login], |r| Ok((rows::staff_user(r)?, r.get(8)?)))?
                    .ok_or_else(|| StoreError::not_found(format!("user {login}")))
            })
            .await
    }

    async fn set_user_disabled(&self, login: &str, disabled: bool) -> Result<StaffUser> {
        let login = login.to_string();
        self.pool
            .write(move |tx| {
                let user = query_one(tx, sql::SET_USER_DISABLED, params![login, disabled], |r| rows::staff_user(r))?
                    .ok_or_else(|| StoreError::not_found(format!("user {login}")))?;
                if disabled {
                    tx.prepare_cached(&for_sqlite(sql::DELETE_USER_SESSIONS))?.execute([&login])?;
                }
                Ok(user)
            })
            .await
    }

    async fn create_token(&self, t: NewToken) -> Result<TokenInfo> {
        self.pool
            .write(move |tx| {
                let params = params![
                    t.name,
                    t.token_hash,
                    t.role.as_str(),
                    scope_to_text(&t.scope),
                    t.created_by,
                    Utc::now()
                ];
                insert_returning(tx, sql::INSERT_TOKEN, params, "token", |r| rows::token(r))
            })
            .await
    }

    async fn token_by_hash(&self, hash: &str) -> Result<TokenInfo> {
        let hash = hash.to_string();
        self.pool
            .read_now(move |c| query_one(c, sql::TOKEN_BY_HASH, [&hash], |r| rows::token(r))?.ok_or_else(|| StoreError::not_found("token")))
    }

    async fn set_user_language(&self, user_id: i64, language: &str) -> Result<()> {
        let language = language.to_string();
        self.pool
            .write(move |tx| {
                match tx
                    .prepare_cached(&for_sqlite(sql::SET_USER_LANGUAGE))?
                    .execute(params![user_id, language])?
                {
                    0 => Err(StoreError::not_found(format!("user {user_id}"))),
                    _ => Ok(()),
                }
            })
            .await
    }

    async fn create_session(&self, session: NewSession) -> Result<()> {
        self.pool.write(move |tx| console::create_session(tx, &session)).await
    }

    async fn session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<Session> {
        self.pool.read_now(|c| console::session(c, id_hash, now))
    }

    async fn end_session(&self, id_hash: &str) -> Result<()> {
        let id_hash = id_hash.to_string();
        self.pool
            .write(move |tx| {
                tx.prepare_cached(&for_sqlite(sql::DELETE_SESSION))?.execute([id_hash])?;
                Ok(())
            })
            .await
    }

    async fn arrivals(&self, hotel: HotelId, date: NaiveDate) -> Result<Vec<Stay>> {
        self.pool.read(move |c| console::arrivals(c, hotel, date)).await
    }

    async fn arrival_touches(&self, hotel: HotelId, date: NaiveDate) -> Result<Vec<TouchMark>> {
        self.pool.read(move |c| console::arrival_touches(c, hotel, date)).await
    }

    async fn set_touch(&self, stay: StayId, touch: &str, done_by: Option<&str>) -> Result<()> {
        let (touch, done_by) = (touch.to_string(), done_by.map(str::to_string));
        self.pool
            .write(move |tx| console::set_touch(tx, stay, &touch, done_by.as_deref()))
            .await
    }

    async fn figures(&self) -> Result<GroupFigures> {
        self.pool.read(console::figures).await
    }

    async fn stay_facts(&self) -> Result<rapport_value::facts::StayFacts> {
        // The stays, with their spend, in two halves on two reader connections at once: a
        // night's analysis reads ten million of them, and the halves keep both cores busy.
        let max = self.pool.read(value::max_stay_id).await?;
        let [first, second] = crate::value::StayScan::halves(max);
        let (mut stays, later) = tokio::try_join!(
            self.pool.read(move |c| value::realised_stays(c, first.0, first.1)),
            self.pool.read(move |c| value::realised_stays(c, second.0, second.1)),
        )?;
        stays.append(later);
        Ok(stays.finish())
    }

    async fn save_analysis(&self, as_of: NaiveDate, analysis: rapport_value::analysis::Analysis) -> Result<()> {
        self.pool
            .write_bulk_and_checkpoint(move |tx| value::save_analysis(tx, as_of, &analysis))
            .await
    }

    async fn guest_values(&self, guest: GuestId) -> Result<(Vec<crate::StoredValue>, Vec<crate::TierChange>)> {
        self.pool.read(move |c| value::guest_values(c, guest)).await
    }

    async fn value_reports(&self) -> Result<Vec<crate::value::StoredReport>> {
        self.pool.read(value::value_reports).await
    }

    async fn scope_values(&self, hotel: Option<HotelId>) -> Result<Vec<(GuestId, crate::StoredValue)>> {
        let scope = hotel.unwrap_or(0);
        self.pool
            .read(move |c| query_all(c, sql::SCOPE_VALUES, [scope], |r| Ok((r.get(16)?, crate::value::stored_value(r)?))))
            .await
    }

    async fn create_segment(&self, s: crate::segments::NewSegment) -> Result<crate::segments::SavedSegment> {
        self.pool
            .write(move |tx| {
                let what = format!("segment {}", s.name);
                let rule = crate::segments::rule_json(&s.rule);
                insert_returning(
                    tx,
                    sql::INSERT_SEGMENT,
                    params![s.name, s.description, rule, s.created_by, Utc::now()],
                    &what,
                    |r| crate::segments::saved_segment(r),
                )
            })
            .await
    }

    async fn segments(&self) -> Result<Vec<crate::segments::SavedSegment>> {
        self.pool
            .read(|c| query_all(c, sql::SEGMENTS, [], |r| crate::segments::saved_segment(r)))
            .await
    }

    async fn segment(&self, id: crate::segments::SegmentId) -> Result<crate::segments::SavedSegment> {
        self.pool
            .read(move |c| query_one(c, sql::SEGMENT, [id], |r| crate::segments::saved_segment(r)))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("segment {id}")))
    }

    async fn delete_segment(&self, id: crate::segments::SegmentId) -> Result<()> {
        let deleted = self
            .pool
            .write(move |tx| Ok(tx.execute(&for_sqlite(sql::DELETE_SEGMENT), [id])?))
            .await?;
        if deleted == 0 {
            return Err(StoreError::NotFound(format!("segment {id}")));
        }
        Ok(())
    }

    async fn import_batch(&self, batch: KeyedBatch) -> Result<BatchOutcome> {
        // Not staged: the write starts a new generation, and no look-ahead relies on it.
        self.pool
            .write_bulk(move |tx| import::import_batch(tx, batch, None, &mut ahead::Written::default()))
            .await
    }

    async fn stage_import_batch(&self, batch: KeyedBatch) -> Result<BatchOutcome> {
        self.stage_ahead(batch.into()).await
    }

    async fn look_ahead(&self, batch: KeyedBatch) -> Result<crate::ImportBatch> {
        let pool = self.pool.clone();
        let (done, looked) = tokio::sync::oneshot::channel();
        // A thread of its own rather than the blocking pool: it lowers its priority (see
        // `priority`), which a pooled thread could not take back for the writer.
        std::thread::Builder::new()
            .name("rapport-look-ahead".into())
            .spawn(move || {
                crate::priority::lower_this_thread(crate::priority::Helper::LookingAhead);
                // Only time is lost if the look-ahead fails: the writer looks the batch up.
                let ahead = import::look_ahead(&pool, &batch)
                    .inspect_err(|e| tracing::warn!(error = %e, "an import batch could not be looked up ahead"))
                    .ok();
                let _ = done.send(crate::ImportBatch { batch, ahead });
            })
            .map_err(|e| StoreError::Task(format!("cannot start a look-ahead thread: {e}")))?;
        looked.await.map_err(|_| StoreError::Task("a look-ahead thread panicked".into()))
    }

    async fn stage_ahead(&self, batch: crate::ImportBatch) -> Result<BatchOutcome> {
        let crate::ImportBatch { batch, ahead } = batch;
        self.pool
            .stage(batch.len(), move |c, written| import::import_batch(c, batch, ahead, written))
            .await
    }

    async fn commit_import(&self) -> Result<()> {
        self.pool.commit_staged().await
    }

    async fn record_candidates(&self, pairs: Vec<ScoredPair>, thresholds: MatchThresholds) -> Result<CandidateOutcome> {
        self.pool
            .write_bulk(move |tx| ready(crate::merges::record_candidates(&mut SqliteSql(tx), pairs, thresholds, Utc::now())))
            .await
    }

    async fn review_queue(&self, offset: i64, limit: i64) -> Result<Page<ReviewPair>> {
        self.pool
            .read(move |c| ready(crate::merges::review_queue(&mut SqliteSql(c), offset, limit)))
            .await
    }

    async fn decide_pair(
        &self,
        left: GuestId,
        right: GuestId,
        decision: PairDecision,
        who: &str,
    ) -> Result<(ReviewPair, Option<MergeRecord>)> {
        let who = who.to_string();
        self.pool
            .write(move |tx| {
                ready(crate::merges::decide_pair(
                    &mut SqliteSql(tx),
                    left,
                    right,
                    decision,
                    &who,
                    Utc::now(),
                ))
            })
            .await
    }

    async fn merge_guests(&self, survivor: GuestId, absorbed: GuestId, request: MergeRequest) -> Result<MergeRecord> {
        self.pool
            .write(move |tx| {
                ready(crate::merges::merge_guests(
                    &mut SqliteSql(tx),
                    survivor,
                    absorbed,
                    &request,
                    Utc::now(),
                ))
            })
            .await
    }

    async fn undo_merge(&self, merge: i64, who: &str) -> Result<MergeRecord> {
        let who = who.to_string();
        self.pool
            .write(move |tx| ready(crate::merges::undo_merge(&mut SqliteSql(tx), merge, &who, Utc::now())))
            .await
    }

    async fn guest_merges(&self, guest: GuestId) -> Result<Vec<MergeRecord>> {
        self.pool
            .read(move |c| ready(crate::merges::guest_merges(&mut SqliteSql(c), guest)))
            .await
    }

    async fn never_merge(&self, left: GuestId, right: GuestId, who: &str, why: &str) -> Result<NeverMergeMark> {
        let (who, why) = (who.to_string(), why.to_string());
        self.pool
            .write(move |tx| ready(crate::merges::never_merge(&mut SqliteSql(tx), left, right, &who, &why, Utc::now())))
            .await
    }
}
