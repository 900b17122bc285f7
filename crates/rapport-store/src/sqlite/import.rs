//! Import batches on SQLite: look up what the batch's keys point at, plan in the domain
//! core, write the plan — all inside the writer's one transaction, so a batch is atomic
//! and a concurrent import cannot create the same guest twice.
//!
//! Stays go in first with their spend totals, then their spend lines: the per-line trigger
//! that adds each line to its stay's totals (migration 13) is switched off for those
//! inserts, which saves a view lookup and an update of the stay per line.

use std::collections::HashSet;
use std::sync::mpsc;

use chrono::{DateTime, Utc};
use rapport_domain::guest::{ConsentRecord, Guest, GuestId, GuestProfile};
use rapport_domain::hotel::HotelId;
use rapport_domain::ingest::{GuestRef, IncomingBooking, IngestPlanner, KeyedBatch, KnownState, PlannedStay, RowOutcome, Spent};
use rapport_domain::stay::{NewStay, StayId};
use rapport_value::facts::SPEND_CATEGORIES;
use rusqlite::config::DbConfig;
use rusqlite::types::ToSql;
use rusqlite::{params, Connection, OptionalExtension};

use super::ahead::{Since, Written, WrittenKeys};
use super::pool::Pool;
use super::{guest_doc, insert_consent, next_guest_id, text, write_guest_doc, GuestKeys, Inserts, RowsInsert, CLOCK};
use crate::priority::free_elsewhere;
use crate::sql::{self, for_sqlite};
use crate::{BatchOutcome, GuestDoc, KeyLists, Result, StoreError};

/// What a batch's keys and references pointed at on a reader's snapshot, looked up while
/// the writer wrote the batch before it, with the writer's marks from before the snapshot
/// (see `ahead`).
pub(crate) struct LookedAhead {
    marks: (u64, u64),
    owners: Owners,
    stored_refs: Vec<(HotelId, String)>,
}

pub(super) fn look_ahead(pool: &Pool, batch: &KeyedBatch) -> Result<LookedAhead> {
    let refs = batch_refs(batch.rows());
    let ((owners, stored_refs), marks) = pool.read_ahead_now(|c| Ok((find_owners(c, batch.keys())?, find_refs(c, refs)?)))?;
    Ok(LookedAhead {
        marks,
        owners,
        stored_refs,
    })
}

/// Writes one batch in the writer's transaction (`tx`): looked up here, or ahead if
/// `ahead` still holds, then planned and written. What it wrote is added to `written`.
pub(super) fn import_batch(tx: &Connection, batch: KeyedBatch, ahead: Option<LookedAhead>, written: &mut Written) -> Result<BatchOutcome> {
    let now = Utc::now();
    let first_id = next_guest_id(tx)?;
    let guest_id = |g: GuestRef| match g {
        GuestRef::Existing(id) => id,
        GuestRef::New(i) => first_id + i as GuestId,
    };
    let (rows, row_keys) = batch.into_parts();
    // The look-ahead brought up to date, or else the references this thread will look up
    // itself. Either way, before the planner takes the rows.
    let caught_up = match ahead.and_then(|a| Some((written.since(a.marks)?, a))) {
        Some((since, ahead)) => Some(catch_up(tx, ahead, &since, &rows, &row_keys)?),
        None => None,
    };
    let refs = if caught_up.is_none() { batch_refs(&rows) } else { Vec::new() };
    // The batch's multi-row inserts, each statement prepared once for the batch.
    let mut inserts = Inserts::new(tx);
    let outcome = std::thread::scope(|scope| {
        // This thread owns the connection: it looks the batch up, then writes. A second
        // one decodes the stored profiles, plans the rows and hands over their stays as it
        // goes, so the stays are written while the rest is planned; then it encodes the
        // profiles. Planning was a tenth of this thread's time.
        let (owners, owners_looked_up) = mpsc::channel();
        let (stored_refs, refs_looked_up) = mpsc::channel();
        let (stays_planned, planned_stays) = mpsc::channel();
        let row_keys = &row_keys;
        // The planner keeps the writer's priority: the writer waits for it (see `priority`).
        let planning = scope.spawn(move || plan_batch(rows, row_keys, (owners_looked_up, refs_looked_up), stays_planned, first_id, now));
        let sent = match caught_up {
            Some((found, stored)) => {
                // A planner that has stopped says why.
                let _ = owners.send(found);
                let _ = stored_refs.send(stored);
                Ok(())
            }
            None => look_up(tx, row_keys, refs, owners, stored_refs),
        };
        let mut stays_written = Vec::new();
        let wrote = sent.and_then(|()| {
            for stays in &planned_stays {
                insert_stays(tx, &mut inserts, &stays, guest_id, now)?;
                stays_written.push(stays);
            }
            Ok(())
        });
        // The planner never waits on this thread once the look-ups are sent: a failed write
        // leaves it to finish on its own.
        drop(planned_stays);
        let planned = planning.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        wrote?;
        let Planned {
            outcomes,
            new_consents,
            encoded,
            spent,
            wrote: keys_written,
        } = planned?;
        insert_new_guests(tx, &mut inserts, &encoded.new, now)?;
        for (guest, _, _, consents) in &encoded.new {
            for c in consents {
                insert_consent(tx, guest.id, c)?;
            }
        }
        for (id, c) in &new_consents {
            insert_consent(tx, *id, c)?;
        }
        for (guest, doc, lists) in &encoded.updated {
            write_guest_doc(tx, guest, doc, lists, false)?;
        }
        let mut keys = encoded.keys;
        keys.insert(&mut inserts)?;
        written.add(keys_written);
        let new_guest_ids = (first_id..).take(encoded.new.len()).collect();
        free_elsewhere((stays_written, encoded.new, encoded.updated, keys, spent, new_consents));
        Ok(BatchOutcome {
            rows: outcomes,
            new_guest_ids,
        })
    });
    free_elsewhere(row_keys);
    outcome
}

/// Rows planned between two hand-overs of their stays to the writer.
const PART_ROWS: usize = 2_500;

/// Each reference of `rows` once, in index order, owned: the planner takes the rows.
fn batch_refs(rows: &[IncomingBooking]) -> Vec<(HotelId, String)> {
    let mut refs: Vec<(HotelId, String)> = rows.iter().filter_map(IncomingBooking::stay_ref).collect();
    refs.sort_unstable();
    refs.dedup();
    refs
}

/// Sends the planner what the batch's keys and references point at: first the keys'
/// owners with their documents, which the planner decodes while this thread probes the
/// references.
fn look_up(
    tx: &Connection,
    row_keys: &[Vec<String>],
    refs: Vec<(HotelId, String)>,
    owners: mpsc::Sender<Owners>,
    stored_refs: mpsc::Sender<Vec<(HotelId, String)>>,
) -> Result<()> {
    // A planner that has stopped says why; there is nothing to add here.
    let _ = owners.send(find_owners(tx, row_keys)?);
    let _ = stored_refs.send(find_refs(tx, refs)?);
    Ok(())
}

/// The owners of the rows' keys, with their documents. Each key is probed once, in index
/// order: a returning guest's rows share keys, and sorted probes walk the index instead of
/// jumping around it.
fn find_owners(conn: &Connection, row_keys: &[Vec<String>]) -> Result<Owners> {
    let mut keys: Vec<&String> = row_keys.iter().flatten().collect();
    keys.sort_unstable();
    keys.dedup();
    let mut found = Owners {
        identities: owners_of(conn, keys)?,
        docs: Vec::new(),
    };
    found.read_docs(conn)?;
    Ok(found)
}

/// The oldest profile holding each of `keys`, for the keys some profile holds.
fn owners_of<'k>(conn: &Connection, keys: impl IntoIterator<Item = &'k String>) -> Result<Vec<(String, GuestId)>> {
    let mut owner = conn.prepare_cached(&for_sqlite(sql::IDENTITY_OWNER))?;
    let mut found = Vec::new();
    for key in keys {
        if let Some(id) = owner.query_row([key], |r| r.get::<_, Option<GuestId>>(0))? {
            found.push((key.clone(), id));
        }
    }
    Ok(found)
}

/// Which of `refs` are stored.
fn find_refs<R: std::borrow::Borrow<str>>(
    conn: &Connection,
    refs: impl IntoIterator<Item = (HotelId, R)>,
) -> Result<Vec<(HotelId, String)>> {
    let mut stay_exists = conn.prepare_cached(&for_sqlite(sql::STAY_REF_EXISTS))?;
    let mut stored = Vec::new();
    for (hotel, reference) in refs {
        let reference = reference.borrow();
        if stay_exists.query_row(params![hotel, reference], |_| Ok(())).optional()?.is_some() {
            stored.push((hotel, reference.to_string()));
        }
    }
    Ok(stored)
}

/// Brings a look-ahead up to the writer's transaction: what the writer's own batches wrote
/// since it began (`since`) is looked up again, here. Everything else is as it was: no
/// other write has come in the meantime, or the look-ahead would have been dropped.
fn catch_up(
    tx: &Connection,
    ahead: LookedAhead,
    since: &Since,
    rows: &[IncomingBooking],
    row_keys: &[Vec<String>],
) -> Result<(Owners, Vec<(HotelId, String)>)> {
    let LookedAhead {
        owners: Owners { mut identities, mut docs },
        mut stored_refs,
        ..
    } = ahead;
    let mut again: Vec<&String> = row_keys.iter().flatten().filter(|k| since.key(k)).collect();
    if !again.is_empty() {
        again.sort_unstable();
        again.dedup();
        let stale: HashSet<&str> = again.iter().map(|k| k.as_str()).collect();
        identities.retain(|(k, _)| !stale.contains(k.as_str()));
        identities.extend(owners_of(tx, again)?);
    }
    // Profiles rewritten since, and owners only the probes above found, are read here.
    docs.retain(|(id, _)| !since.guest(*id));
    let mut owners = Owners { identities, docs };
    owners.read_docs(tx)?;
    let mut again: Vec<(HotelId, &str)> = rows
        .iter()
        .filter_map(|r| {
            let stay = r.stay.as_ref()?;
            Some((stay.hotel_id, stay.external_ref.as_deref()?))
        })
        .filter(|(hotel, reference)| since.stay_ref(*hotel, reference))
        .collect();
    if !again.is_empty() {
        again.sort_unstable();
        again.dedup();
        stored_refs.retain(|(hotel, reference)| !since.stay_ref(*hotel, reference));
        stored_refs.extend(find_refs(tx, again)?);
    }
    Ok((owners, stored_refs))
}

/// The profiles a batch's keys point at: each key's owner, and each owner's document.
struct Owners {
    identities: Vec<(String, GuestId)>,
    docs: Vec<(GuestId, GuestDoc)>,
}

impl Owners {
    /// Reads the document of each owner whose document is not here yet.
    fn read_docs(&mut self, conn: &Connection) -> Result<()> {
        let mut loaded: HashSet<GuestId> = self.docs.iter().map(|(id, _)| *id).collect();
        for (_, id) in &self.identities {
            if loaded.insert(*id) {
                self.docs.push((*id, guest_doc(conn, *id)?));
            }
        }
        Ok(())
    }
}

/// A planned batch, but for the stays already handed to the writer.
struct Planned {
    outcomes: Vec<RowOutcome>,
    new_consents: Vec<(GuestId, ConsentRecord)>,
    encoded: EncodedGuests,
    spent: Spent,
    /// What the batch writes, for later batches looked up ahead.
    wrote: WrittenKeys,
}

/// The planner's thread: what storage holds (`looked_up`), then the rows planned a part at
/// a time, each part's new stays sent to the writer (`stays`), then the profiles encoded.
/// Ends early, with nothing to report, if the look-ups stop (the writer reports why).
fn plan_batch(
    rows: Vec<IncomingBooking>,
    row_keys: &[Vec<String>],
    looked_up: (mpsc::Receiver<Owners>, mpsc::Receiver<Vec<(HotelId, String)>>),
    stays: mpsc::Sender<Vec<PlannedStay>>,
    first_id: GuestId,
    now: DateTime<Utc>,
) -> Result<Planned> {
    let stopped = || StoreError::Task("the import batch's look-ups stopped".into());
    let Owners { identities, docs } = looked_up.0.recv().map_err(|_| stopped())?;
    let mut known = KnownState::default();
    known.identities.extend(identities);
    for (id, doc) in docs {
        known.guests.insert(id, doc.decode()?);
    }
    known.stay_refs.extend(looked_up.1.recv().map_err(|_| stopped())?);
    let mut planner = IngestPlanner::new(rows.len());
    planner.learn(known);
    let mut rows = rows.into_iter();
    let mut wrote = WrittenKeys::default();
    for keys in row_keys.chunks(PART_ROWS) {
        planner.plan(rows.by_ref().take(keys.len()), keys);
        let part = planner.take_stays();
        for s in &part {
            if let Some(reference) = &s.stay.external_ref {
                wrote.stay_ref(s.stay.hotel_id, reference);
            }
        }
        // A writer that has stopped says why.
        let _ = stays.send(part);
    }
    drop(stays);
    let plan = planner.finish(Vec::new());
    let encoded = encode_guests(plan.new_guests, plan.updated_guests, first_id, now);
    for (key, _) in &encoded.keys.identity {
        wrote.key(key);
    }
    for (guest, ..) in &encoded.new {
        wrote.guest(guest.id);
    }
    for (guest, ..) in &encoded.updated {
        wrote.guest(guest.id);
    }
    Ok(Planned {
        outcomes: plan.outcomes,
        new_consents: plan.new_consents,
        encoded,
        spent: plan.spent,
        wrote,
    })
}

/// A batch's new and changed profiles as stored: each with its JSON document and the lists
/// of its keys (a new one with its consent records), and their identity and search keys in
/// index order.
struct EncodedGuests {
    new: Vec<(Guest, String, KeyLists, Vec<ConsentRecord>)>,
    updated: Vec<(Guest, String, KeyLists)>,
    keys: GuestKeys,
}

fn encode_guests(
    new: Vec<(GuestProfile, Vec<ConsentRecord>)>,
    updated: Vec<Guest>,
    first_id: GuestId,
    now: DateTime<Utc>,
) -> EncodedGuests {
    let mut keys = GuestKeys::default();
    let new = (first_id..)
        .zip(new)
        .map(|(id, (profile, consents))| {
            let guest = crate::new_guest(id, profile, &consents, now);
            let lists = keys.add(&guest);
            let doc = crate::guest_json(&guest);
            (guest, doc, lists, consents)
        })
        .collect();
    let updated = updated
        .into_iter()
        .map(|mut guest| {
            guest.version += 1;
            guest.updated_at = now;
            let lists = keys.add(&guest);
            let doc = crate::guest_json(&guest);
            (guest, doc, lists)
        })
        .collect();
    keys.sort();
    EncodedGuests { new, updated, keys }
}

/// The import's multi-row inserts, `OR FAIL` for the reason given on [`RowsInsert`]. Stay
/// ids are given here, so spend lines need not wait for the database to hand them out.
const STAY_ROWS: RowsInsert = (
    "INSERT OR FAIL INTO stays (id, guest_id, hotel_id, external_ref, arrival, departure, room_type, rate_minor, \
     rate_currency, channel, market_segment, adults, children, special_requests, status, booked_at, created_at, joined_by, \
     spend_room, spend_food_beverage, spend_spa, spend_laundry, spend_minibar, spend_other) VALUES ",
    24,
    "",
);
const SPEND_ROWS: RowsInsert = (
    "INSERT OR FAIL INTO spend_lines (stay_id, guest_id, hotel_id, category, amount_minor, currency, posted_on, description) VALUES ",
    8,
    "",
);
/// New profiles as `INSERT_GUEST` writes one (`super`), many to a statement.
const GUEST_ROWS: RowsInsert = (
    "INSERT OR FAIL INTO guests (id, doc, version, created_at, updated_at, identity_keys, search_keys, changed_at) VALUES ",
    8,
    "",
);

/// A new profile as its insert binds it.
struct GuestValues<'a> {
    guest: &'a Guest,
    doc: &'a str,
    lists: &'a KeyLists,
    made: &'a str,
    changed: &'a str,
}

/// The batch's new profiles, with the lists of their keys. Every one was made at `now`, so
/// their times are written as text once for the batch, and `changed_at` is read once from
/// the database's clock, as `INSERT_GUEST` reads it for each row it writes.
fn insert_new_guests(
    tx: &Connection,
    inserts: &mut Inserts,
    new: &[(Guest, String, KeyLists, Vec<ConsentRecord>)],
    now: DateTime<Utc>,
) -> Result<()> {
    let made = text::timestamp(now);
    let changed: String = tx.query_row(CLOCK, [], |r| r.get(0))?;
    let rows: Vec<GuestValues> = new
        .iter()
        .map(|(guest, doc, lists, _)| {
            debug_assert!(guest.created_at == now && guest.updated_at == now);
            GuestValues {
                guest,
                doc,
                lists,
                made: &made,
                changed: &changed,
            }
        })
        .collect();
    Ok(inserts.rows(GUEST_ROWS, &rows, |v, values| {
        values.extend([
            &v.guest.id as &dyn ToSql,
            &v.doc,
            &v.guest.version,
            &v.made,
            &v.made,
            &v.lists.identity,
            &v.lists.search,
            &v.changed,
        ])
    })?)
}

/// A new stay as its insert binds it: the values that are not fields of the stay itself.
struct StayValues<'a> {
    id: StayId,
    guest: GuestId,
    stay: &'a NewStay,
    arrival: String,
    departure: String,
    booked_at: Option<String>,
    rate_minor: Option<i64>,
    rate_currency: Option<&'static str>,
    status: &'static str,
    created_at: &'a str,
    joined_by: Option<&'a str>,
    /// Its spend totals, written with it (see the module docs).
    spend: [i64; SPEND_CATEGORIES],
}

/// A spend line as its insert binds it.
struct SpendValues<'a> {
    stay: StayId,
    guest: GuestId,
    hotel: HotelId,
    category: &'static str,
    amount: i64,
    currency: &'static str,
    posted_on: String,
    description: &'a Option<String>,
}

/// The batch's new stays with their notes, then their spend lines and totals.
fn insert_stays(
    tx: &Connection,
    inserts: &mut Inserts,
    planned: &[PlannedStay],
    guest_of: impl Fn(GuestRef) -> GuestId,
    now: DateTime<Utc>,
) -> Result<()> {
    let created_at = text::timestamp(now);
    let first_id: StayId = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM stays", [], |r| r.get(0))?;
    let stays: Vec<StayValues> = (first_id..)
        .zip(planned)
        .map(|(id, p)| StayValues {
            id,
            guest: guest_of(p.guest),
            stay: &p.stay,
            arrival: text::date(p.stay.arrival),
            departure: text::date(p.stay.departure),
            booked_at: p.stay.booked_at.map(text::date),
            rate_minor: p.stay.rate.map(|r| r.minor),
            rate_currency: p.stay.rate.map(|r| r.currency.code()),
            status: p.stay.status.as_str(),
            created_at: &created_at,
            joined_by: p.joined_by.as_deref(),
            spend: crate::value::stay_spend_totals(&p.stay),
        })
        .collect();
    inserts.rows(STAY_ROWS, &stays, |v, values| {
        let s = v.stay;
        values.extend([
            &v.id as &dyn ToSql,
            &v.guest,
            &s.hotel_id,
            &s.external_ref,
            &v.arrival,
            &v.departure,
            &s.room_type,
            &v.rate_minor,
            &v.rate_currency,
            &s.channel,
            &s.market_segment,
            &s.adults,
            &s.children,
            &s.special_requests,
            &v.status,
            &v.booked_at,
            &v.created_at,
            &v.joined_by,
        ]);
        values.extend(v.spend.iter().map(|x| x as &dyn ToSql));
    })?;
    let mut note = tx.prepare_cached(&for_sqlite(sql::INSERT_NOTE))?;
    for (p, v) in planned.iter().zip(&stays) {
        for n in &p.notes {
            note.query_row(params![v.guest, v.id, p.stay.hotel_id, n.body, n.author, n.created_at], |_| Ok(()))?;
        }
    }
    insert_spend(tx, inserts, &stays)
}

/// The spend lines of the batch's new stays, with the triggers that would otherwise add
/// every line to the totals already written with its stay switched off.
fn insert_spend(tx: &Connection, inserts: &mut Inserts, stays: &[StayValues]) -> Result<()> {
    let _off = TriggersOff::new(tx)?;
    let lines: Vec<SpendValues> = stays
        .iter()
        .flat_map(|v| {
            v.stay.spend.iter().map(|line| SpendValues {
                stay: v.id,
                guest: v.guest,
                hotel: v.stay.hotel_id,
                category: line.category.as_str(),
                amount: line.amount.minor,
                currency: line.amount.currency.code(),
                posted_on: text::date(line.posted_on),
                description: &line.description,
            })
        })
        .collect();
    Ok(inserts.rows(SPEND_ROWS, &lines, |l, values| {
        values.extend([
            &l.stay as &dyn ToSql,
            &l.guest,
            &l.hotel,
            &l.category,
            &l.amount,
            &l.currency,
            &l.posted_on,
            l.description,
        ])
    })?)
}

/// Triggers off on this connection until dropped (SQLite expires prepared statements when
/// this changes, so cached ones are compiled again without, then with, the trigger code).
/// Only for writes that do themselves what the triggers would; other writers on the same
/// connection always run with triggers on, even after a panic here.
struct TriggersOff<'c>(&'c Connection);

impl<'c> TriggersOff<'c> {
    fn new(conn: &'c Connection) -> Result<Self> {
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        Ok(Self(conn))
    }
}

impl Drop for TriggersOff<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true) {
            tracing::error!(error = %e, "cannot switch SQLite triggers back on");
        }
    }
}
