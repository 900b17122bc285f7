//! Writes in bulk: one statement per table with one array parameter per column, sent as
//! one pipeline. Single edits (arrays of one) and import batches take the same path; an
//! import batch swaps the statements of its large tables for binary `COPY`s (see
//! [`super::copy`]), which run as steps of the same pipeline.
//!
//! Pipelining matters for imports: the statements go out back to back without waiting for
//! each answer, so the server works through them while the client encodes the next. They
//! are sent in the order listed, which keeps every foreign key satisfied: profiles before
//! their keys and consents, stays before their spend lines and notes.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::Transaction;
use futures_util::TryFutureExt;
use rapport_domain::guest::{ConsentRecord, Guest, GuestId};
use rapport_domain::hotel::HotelId;
use rapport_domain::stay::{NewStay, StayId};
use rapport_value::facts::SPEND_CATEGORIES;
use tokio_postgres::types::ToSql;
use tokio_postgres::Statement;

use super::reads::conflict;
use super::sql;
use crate::{KeyLists, ProfileKeys, Result};

/// A note to insert, as the import plans it.
pub(super) struct NoteRow<'a> {
    pub guest: GuestId,
    pub stay: Option<StayId>,
    pub hotel: Option<HotelId>,
    pub body: &'a str,
    pub author: &'a str,
    pub created_at: DateTime<Utc>,
}

/// A stay to insert with the id already taken from the sequence (see [`next_ids`]).
pub(super) struct StayRow<'a> {
    pub id: StayId,
    pub guest: GuestId,
    pub stay: &'a NewStay,
    /// The identity key through which an import joined the stay to a stored profile.
    pub joined_by: Option<&'a str>,
}

/// Everything one transaction writes.
#[derive(Default)]
pub(super) struct Writes<'a> {
    /// New profiles, their ids already allocated.
    pub new_guests: &'a [Guest],
    /// Stored profiles to replace; their identity and search keys are rewritten.
    pub updated_guests: &'a [Guest],
    pub consents: Vec<(GuestId, &'a ConsentRecord)>,
    pub stays: Vec<StayRow<'a>>,
    pub notes: Vec<NoteRow<'a>>,
    /// Load the new profiles, keys, stays and spend by COPY (an import batch; see
    /// [`super::copy`]) rather than by array parameters.
    pub copy: bool,
}

/// Ids for `guests` new profiles and `stays` new stays, ascending, in one round trip.
pub(super) async fn next_ids(tx: &Transaction<'_>, guests: usize, stays: usize) -> Result<(Vec<GuestId>, Vec<StayId>)> {
    if guests == 0 && stays == 0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let stmt = tx.prepare_cached(sql::NEXT_IDS).await?;
    let row = tx.query_one(&stmt, &[&(guests as i64), &(stays as i64)]).await?;
    let (mut guest_ids, mut stay_ids): (Vec<i64>, Vec<i64>) = (row.try_get(0)?, row.try_get(1)?);
    guest_ids.sort_unstable();
    stay_ids.sort_unstable();
    Ok((guest_ids, stay_ids))
}

type Params<'p> = Vec<&'p (dyn ToSql + Sync)>;
/// One statement of the pipeline, running.
pub(super) type Step<'f> = Pin<Box<dyn Future<Output = Result<u64>> + Send + 'f>>;

/// A statement's error, with the one unique index a write here can hit (a stay's
/// reservation reference) named for the user.
pub(super) fn refused(e: tokio_postgres::Error) -> crate::StoreError {
    conflict(e, "a stay with this reservation reference")
}

/// Column arrays of the guests, with the lists of their keys.
#[derive(Default)]
struct GuestColumns<'a> {
    ids: Vec<i64>,
    docs: Vec<String>,
    versions: Vec<i64>,
    created: Vec<DateTime<Utc>>,
    updated: Vec<DateTime<Utc>>,
    identity_lists: Vec<&'a str>,
    search_lists: Vec<&'a str>,
}

impl<'a> GuestColumns<'a> {
    fn of(guests: &[Guest], lists: &'a [KeyLists]) -> Self {
        Self {
            ids: guests.iter().map(|g| g.id).collect(),
            docs: guests.iter().map(crate::guest_json).collect(),
            versions: guests.iter().map(|g| g.version).collect(),
            created: guests.iter().map(|g| g.created_at).collect(),
            updated: guests.iter().map(|g| g.updated_at).collect(),
            identity_lists: list_column(lists, |l| &l.identity),
            search_lists: list_column(lists, |l| &l.search),
        }
    }
}

/// One of the two list columns (`pick`) of the guests' rows, as a text array parameter.
fn list_column(lists: &[KeyLists], pick: fn(&KeyLists) -> &String) -> Vec<&str> {
    lists.iter().map(|l| pick(l).as_str()).collect()
}

/// Each guest's keys, and the lists of them its row keeps.
fn keys_and_lists(guests: &[Guest]) -> (Vec<ProfileKeys>, Vec<KeyLists>) {
    let keys: Vec<ProfileKeys> = guests.iter().map(|g| ProfileKeys::of(&g.profile)).collect();
    let lists = keys.iter().map(ProfileKeys::lists).collect();
    (keys, lists)
}

/// Identity or search keys (`pick`) of the given guests: `(keys, owners)`, each pair once
/// (the inserts have no `ON CONFLICT`), in key order, so the server walks each index from
/// one end to the other instead of jumping between pages.
fn key_pairs<'k>(guests: &[(&[Guest], &'k [ProfileKeys])], pick: fn(&ProfileKeys) -> &[String]) -> (Vec<&'k str>, Vec<i64>) {
    let mut pairs: Vec<(&str, i64)> = guests
        .iter()
        .flat_map(|(gs, keys)| gs.iter().zip(keys.iter()))
        .flat_map(|(g, k)| pick(k).iter().map(|key| (key.as_str(), g.id)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs.into_iter().unzip()
}

fn identity(k: &ProfileKeys) -> &[String] {
    &k.identity
}

fn search(k: &ProfileKeys) -> &[String] {
    &k.search
}

/// Replaces the identity and search keys of `guests` with those their documents give now.
pub(super) async fn rewrite_keys(tx: &Transaction<'_>, guests: &[Guest]) -> Result<()> {
    let ids: Vec<i64> = guests.iter().map(|g| g.id).collect();
    let (keys, lists) = keys_and_lists(guests);
    let (id_keys, id_owners) = key_pairs(&[(guests, &keys)], identity);
    let (search_keys, search_owners) = key_pairs(&[(guests, &keys)], search);
    drop_and_list(tx, &ids, &list_column(&lists, |l| &l.identity), &list_column(&lists, |l| &l.search)).await?;
    tx.execute(sql::INSERT_IDENTITIES, &[&id_keys, &id_owners]).await?;
    tx.execute(sql::INSERT_SEARCH_KEYS, &[&search_keys, &search_owners]).await?;
    Ok(())
}

/// Deletes the identity and search keys profiles `ids` hold and empties their lists.
pub(super) async fn drop_keys(tx: &Transaction<'_>, ids: &[GuestId]) -> Result<()> {
    let none = vec!["[]"; ids.len()];
    drop_and_list(tx, ids, &none, &none).await
}

/// Deletes the keys the profiles hold, then writes the lists of those they will hold.
async fn drop_and_list(tx: &Transaction<'_>, ids: &[GuestId], identity_lists: &[&str], search_lists: &[&str]) -> Result<()> {
    tx.execute(sql::DELETE_IDENTITIES, &[&ids]).await?;
    tx.execute(sql::DELETE_SEARCH_KEYS, &[&ids]).await?;
    tx.execute(sql::SET_KEY_LISTS, &[&ids, &identity_lists, &search_lists]).await?;
    Ok(())
}

/// What one step of the pipeline sends: array parameters for its statement, or the rows
/// of a bulk load (see [`super::copy`]).
enum Load<'p> {
    Params(Params<'p>),
    Guests(&'p [Guest], &'p [KeyLists]),
    Keys(&'p [&'p str], &'p [i64]),
    Stays(&'p [StayRow<'p>]),
    SpendLines(&'p [StayRow<'p>]),
}

pub(super) async fn write(tx: &Transaction<'_>, w: &Writes<'_>) -> Result<()> {
    let copy = w.copy;
    let (new_keys, new_lists) = keys_and_lists(w.new_guests);
    let (upd_keys, upd_lists) = keys_and_lists(w.updated_guests);
    let new = if copy {
        GuestColumns::default()
    } else {
        GuestColumns::of(w.new_guests, &new_lists)
    };
    let upd = GuestColumns::of(w.updated_guests, &upd_lists);
    let both = [(w.new_guests, new_keys.as_slice()), (w.updated_guests, upd_keys.as_slice())];
    let (id_keys, id_owners) = key_pairs(&both, identity);
    let (search_keys, search_owners) = key_pairs(&both, search);

    let c = &w.consents;
    let consent_guests: Vec<i64> = c.iter().map(|(g, _)| *g).collect();
    let channels: Vec<&str> = c.iter().map(|(_, r)| r.channel.as_str()).collect();
    let granted: Vec<bool> = c.iter().map(|(_, r)| r.granted).collect();
    let recorded_at: Vec<DateTime<Utc>> = c.iter().map(|(_, r)| r.recorded_at).collect();
    let sources: Vec<&str> = c.iter().map(|(_, r)| r.source.as_str()).collect();
    let recorded_by: Vec<&str> = c.iter().map(|(_, r)| r.recorded_by.as_str()).collect();

    let (stays, spend) = if copy {
        (StayColumns::of(&[]), SpendColumns::default())
    } else {
        (StayColumns::of(&w.stays), SpendColumns::of(&w.stays))
    };

    let n = &w.notes;
    let note_guests: Vec<i64> = n.iter().map(|n| n.guest).collect();
    let note_stays: Vec<Option<i64>> = n.iter().map(|n| n.stay).collect();
    let note_hotels: Vec<Option<i64>> = n.iter().map(|n| n.hotel).collect();
    let bodies: Vec<&str> = n.iter().map(|n| n.body).collect();
    let authors: Vec<&str> = n.iter().map(|n| n.author).collect();
    let note_times: Vec<DateTime<Utc>> = n.iter().map(|n| n.created_at).collect();

    // In foreign-key order; empty arrays are skipped.
    let mut steps: Vec<(&str, Load)> = Vec::new();
    if copy && !w.new_guests.is_empty() {
        steps.push((sql::COPY_GUESTS, Load::Guests(w.new_guests, &new_lists)));
    } else if !new.ids.is_empty() {
        steps.push((
            sql::INSERT_GUESTS,
            Load::Params(vec![
                &new.ids,
                &new.docs,
                &new.versions,
                &new.created,
                &new.updated,
                &new.identity_lists,
                &new.search_lists,
            ]),
        ));
    }
    if !upd.ids.is_empty() {
        // The keys the stored rows list go first, before the rows list the new ones.
        steps.push((sql::DELETE_IDENTITIES, Load::Params(vec![&upd.ids])));
        steps.push((sql::DELETE_SEARCH_KEYS, Load::Params(vec![&upd.ids])));
        steps.push((
            sql::UPDATE_GUESTS,
            Load::Params(vec![
                &upd.ids,
                &upd.docs,
                &upd.versions,
                &upd.updated,
                &upd.identity_lists,
                &upd.search_lists,
            ]),
        ));
    }
    if !id_keys.is_empty() {
        steps.push(match copy {
            true => (sql::COPY_IDENTITIES, Load::Keys(&id_keys, &id_owners)),
            false => (sql::INSERT_IDENTITIES, Load::Params(vec![&id_keys, &id_owners])),
        });
    }
    if !search_keys.is_empty() {
        steps.push(match copy {
            true => (sql::COPY_SEARCH_KEYS, Load::Keys(&search_keys, &search_owners)),
            false => (sql::INSERT_SEARCH_KEYS, Load::Params(vec![&search_keys, &search_owners])),
        });
    }
    if !consent_guests.is_empty() {
        steps.push((
            sql::INSERT_CONSENTS,
            Load::Params(vec![&consent_guests, &channels, &granted, &recorded_at, &sources, &recorded_by]),
        ));
    }
    if copy && !w.stays.is_empty() {
        steps.push((sql::COPY_STAYS, Load::Stays(&w.stays)));
    } else if !stays.ids.is_empty() {
        steps.push((sql::INSERT_STAYS, Load::Params(stays.params())));
    }
    // New stays are written with their spend totals, so the lines below are already
    // counted; all of them belong to these stays.
    let has_spend = w.stays.iter().any(|r| !r.stay.spend.is_empty());
    if has_spend {
        steps.push((sql::MARK_SPEND_TOTALS_WRITTEN, Load::Params(vec![])));
    }
    if copy && has_spend {
        steps.push((sql::COPY_SPEND_LINES, Load::SpendLines(&w.stays)));
    } else if !spend.stays.is_empty() {
        steps.push((sql::INSERT_SPEND_LINES, Load::Params(spend.params())));
    }
    if !note_guests.is_empty() {
        steps.push((
            sql::INSERT_NOTES,
            Load::Params(vec![&note_guests, &note_stays, &note_hotels, &bodies, &authors, &note_times]),
        ));
    }

    let mut statements: Vec<Statement> = Vec::with_capacity(steps.len());
    for (text, _) in &steps {
        statements.push(tx.prepare_cached(text).await?);
    }
    let now = Utc::now();
    let pipeline: Vec<Step<'_>> = statements
        .iter()
        .zip(&steps)
        .map(|(stmt, (_, send))| match send {
            Load::Params(params) => Box::pin(tx.execute_raw(stmt, params.iter().copied()).map_err(refused)) as Step<'_>,
            Load::Guests(guests, lists) => super::copy::guests(tx, stmt, guests, lists),
            Load::Keys(keys, owners) => super::copy::keys(tx, stmt, keys, owners),
            Load::Stays(rows) => super::copy::stays(tx, stmt, rows, now),
            Load::SpendLines(rows) => super::copy::spend_lines(tx, stmt, rows),
        })
        .collect();
    in_order(pipeline).await
}

/// Polls the futures in the order given, every time, so each sends its statement in that
/// order; resolves when all are done or with the first step that failed, once every step
/// before it is done. Once one statement fails, the server refuses the ones after it (the
/// transaction is aborted), and those answers can reach their futures within the same
/// pass: the first failure says what went wrong (a reservation already stored, say).
async fn in_order<'f>(mut futures: Vec<Step<'f>>) -> Result<()> {
    let mut outcomes: Vec<Option<Result<()>>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (future, outcome) in futures.iter_mut().zip(outcomes.iter_mut()).filter(|(_, o)| o.is_none()) {
            if let Poll::Ready(result) = future.as_mut().poll(cx) {
                *outcome = Some(result.map(drop));
            }
        }
        for outcome in &mut outcomes {
            match outcome {
                None => return Poll::Pending,
                Some(Ok(())) => {}
                Some(Err(_)) => return Poll::Ready(outcome.take().expect("a failed step")),
            }
        }
        Poll::Ready(Ok(()))
    })
    .await
}

struct StayColumns<'a> {
    ids: Vec<i64>,
    guests: Vec<i64>,
    hotels: Vec<i64>,
    refs: Vec<Option<&'a str>>,
    arrivals: Vec<NaiveDate>,
    departures: Vec<NaiveDate>,
    room_types: Vec<Option<&'a str>>,
    rates: Vec<Option<i64>>,
    rate_currencies: Vec<Option<&'static str>>,
    channels: Vec<Option<&'a str>>,
    segments: Vec<Option<&'a str>>,
    adults: Vec<i32>,
    children: Vec<i32>,
    requests: Vec<Option<&'a str>>,
    statuses: Vec<&'static str>,
    booked: Vec<Option<NaiveDate>>,
    created: Vec<DateTime<Utc>>,
    joined_by: Vec<Option<&'a str>>,
    spend: [Vec<i64>; SPEND_CATEGORIES],
}

impl<'a> StayColumns<'a> {
    fn of(rows: &[StayRow<'a>]) -> Self {
        let now = Utc::now();
        let totals: Vec<_> = rows.iter().map(|r| crate::value::stay_spend_totals(r.stay)).collect();
        let s = |f: fn(&'a NewStay) -> Option<&'a str>| rows.iter().map(|r| f(r.stay)).collect::<Vec<_>>();
        Self {
            ids: rows.iter().map(|r| r.id).collect(),
            guests: rows.iter().map(|r| r.guest).collect(),
            hotels: rows.iter().map(|r| r.stay.hotel_id).collect(),
            refs: s(|s| s.external_ref.as_deref()),
            arrivals: rows.iter().map(|r| r.stay.arrival).collect(),
            departures: rows.iter().map(|r| r.stay.departure).collect(),
            room_types: s(|s| s.room_type.as_deref()),
            rates: rows.iter().map(|r| r.stay.rate.map(|m| m.minor)).collect(),
            rate_currencies: rows.iter().map(|r| r.stay.rate.map(|m| m.currency.code())).collect(),
            channels: s(|s| s.channel.as_deref()),
            segments: s(|s| s.market_segment.as_deref()),
            adults: rows.iter().map(|r| r.stay.adults).collect(),
            children: rows.iter().map(|r| r.stay.children).collect(),
            requests: s(|s| s.special_requests.as_deref()),
            statuses: rows.iter().map(|r| r.stay.status.as_str()).collect(),
            booked: rows.iter().map(|r| r.stay.booked_at).collect(),
            created: vec![now; rows.len()],
            joined_by: rows.iter().map(|r| r.joined_by).collect(),
            spend: std::array::from_fn(|column| totals.iter().map(|t| t[column]).collect()),
        }
    }

    fn params(&self) -> Params<'_> {
        let mut p: Params<'_> = vec![
            &self.ids,
            &self.guests,
            &self.hotels,
            &self.refs,
            &self.arrivals,
            &self.departures,
            &self.room_types,
            &self.rates,
            &self.rate_currencies,
            &self.channels,
            &self.segments,
            &self.adults,
            &self.children,
            &self.requests,
            &self.statuses,
            &self.booked,
            &self.created,
            &self.joined_by,
        ];
        p.extend(self.spend.iter().map(|c| c as &(dyn ToSql + Sync)));
        p
    }
}

#[derive(Default)]
struct SpendColumns<'a> {
    stays: Vec<i64>,
    guests: Vec<i64>,
    hotels: Vec<i64>,
    categories: Vec<&'static str>,
    amounts: Vec<i64>,
    currencies: Vec<&'static str>,
    posted: Vec<NaiveDate>,
    descriptions: Vec<Option<&'a str>>,
}

impl<'a> SpendColumns<'a> {
    fn of(rows: &[StayRow<'a>]) -> Self {
        let mut c = Self::default();
        for r in rows {
            for line in &r.stay.spend {
                c.stays.push(r.id);
                c.guests.push(r.guest);
                c.hotels.push(r.stay.hotel_id);
                c.categories.push(line.category.as_str());
                c.amounts.push(line.amount.minor);
                c.currencies.push(line.amount.currency.code());
                c.posted.push(line.posted_on);
                c.descriptions.push(line.description.as_deref());
            }
        }
        c
    }

    fn params(&self) -> Params<'_> {
        vec![
            &self.stays,
            &self.guests,
            &self.hotels,
            &self.categories,
            &self.amounts,
            &self.currencies,
            &self.posted,
            &self.descriptions,
        ]
    }
}
