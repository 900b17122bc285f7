//! Writes in bulk: one statement per table with one array parameter per column, used by
//! single edits (arrays of one) and import batches (arrays of thousands) alike, so both
//! take the same code path.

use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::Transaction;
use rapport_domain::guest::{ConsentRecord, Guest, GuestId};
use rapport_domain::hotel::HotelId;
use rapport_domain::stay::{NewStay, StayId};

use super::{conflict, sql};
use crate::Result;

/// A note to insert, as the import plans it.
pub(super) struct NoteRow<'a> {
    pub guest: GuestId,
    pub stay: Option<StayId>,
    pub hotel: Option<HotelId>,
    pub body: &'a str,
    pub author: &'a str,
    pub created_at: DateTime<Utc>,
}

/// `n` ids from a table's sequence, ascending.
pub(super) async fn next_ids(tx: &Transaction<'_>, query: &str, n: usize) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let stmt = tx.prepare_cached(query).await?;
    let mut ids = tx
        .query(&stmt, &[&(n as i64)])
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<Vec<i64>, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}

/// Inserts new guest documents with their ids already allocated, and their keys.
pub(super) async fn insert_guests(tx: &Transaction<'_>, guests: &[Guest]) -> Result<()> {
    if guests.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = guests.iter().map(|g| g.id).collect();
    let docs: Vec<String> = guests.iter().map(crate::guest_json).collect();
    let versions: Vec<i64> = guests.iter().map(|g| g.version).collect();
    let created: Vec<DateTime<Utc>> = guests.iter().map(|g| g.created_at).collect();
    let updated: Vec<DateTime<Utc>> = guests.iter().map(|g| g.updated_at).collect();
    let stmt = tx.prepare_cached(sql::INSERT_GUESTS).await?;
    tx.execute(&stmt, &[&ids, &docs, &versions, &created, &updated])
        .await?;
    insert_keys(tx, guests).await
}

/// Replaces stored guest documents and rewrites their identity and search keys.
pub(super) async fn update_guests(tx: &Transaction<'_>, guests: &[Guest]) -> Result<()> {
    if guests.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = guests.iter().map(|g| g.id).collect();
    let docs: Vec<String> = guests.iter().map(crate::guest_json).collect();
    let versions: Vec<i64> = guests.iter().map(|g| g.version).collect();
    let updated: Vec<DateTime<Utc>> = guests.iter().map(|g| g.updated_at).collect();
    let stmt = tx.prepare_cached(sql::UPDATE_GUESTS).await?;
    tx.execute(&stmt, &[&ids, &docs, &versions, &updated])
        .await?;
    let stmt = tx.prepare_cached(sql::DELETE_IDENTITIES).await?;
    tx.execute(&stmt, &[&ids]).await?;
    let stmt = tx.prepare_cached(sql::DELETE_SEARCH_KEYS).await?;
    tx.execute(&stmt, &[&ids]).await?;
    insert_keys(tx, guests).await
}

async fn insert_keys(tx: &Transaction<'_>, guests: &[Guest]) -> Result<()> {
    let (mut keys, mut owners) = (Vec::new(), Vec::new());
    let (mut search, mut found) = (Vec::new(), Vec::new());
    for g in guests {
        for key in rapport_domain::identity::identity_keys(&g.profile) {
            keys.push(key);
            owners.push(g.id);
        }
        for key in rapport_domain::search::search_keys(&g.profile) {
            search.push(key);
            found.push(g.id);
        }
    }
    if !keys.is_empty() {
        let stmt = tx.prepare_cached(sql::INSERT_IDENTITIES).await?;
        tx.execute(&stmt, &[&keys, &owners]).await?;
    }
    if !search.is_empty() {
        let stmt = tx.prepare_cached(sql::INSERT_SEARCH_KEYS).await?;
        tx.execute(&stmt, &[&search, &found]).await?;
    }
    Ok(())
}

/// Appends consent records, in the order given.
pub(super) async fn insert_consents(
    tx: &Transaction<'_>,
    records: &[(GuestId, &ConsentRecord)],
) -> Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let guests: Vec<i64> = records.iter().map(|(g, _)| *g).collect();
    let channels: Vec<&str> = records.iter().map(|(_, c)| c.channel.as_str()).collect();
    let granted: Vec<bool> = records.iter().map(|(_, c)| c.granted).collect();
    let at: Vec<DateTime<Utc>> = records.iter().map(|(_, c)| c.recorded_at).collect();
    let sources: Vec<&str> = records.iter().map(|(_, c)| c.source.as_str()).collect();
    let by: Vec<&str> = records
        .iter()
        .map(|(_, c)| c.recorded_by.as_str())
        .collect();
    let stmt = tx.prepare_cached(sql::INSERT_CONSENTS).await?;
    tx.execute(&stmt, &[&guests, &channels, &granted, &at, &sources, &by])
        .await?;
    Ok(())
}

/// Inserts stays with their spend lines; returns the stays' ids in the order given.
pub(super) async fn insert_stays(
    tx: &Transaction<'_>,
    stays: &[(GuestId, &NewStay)],
    now: DateTime<Utc>,
) -> Result<Vec<StayId>> {
    let ids = next_ids(tx, sql::NEXT_STAY_IDS, stays.len()).await?;
    if stays.is_empty() {
        return Ok(ids);
    }
    let guests: Vec<i64> = stays.iter().map(|(g, _)| *g).collect();
    let hotels: Vec<i64> = stays.iter().map(|(_, s)| s.hotel_id).collect();
    let refs: Vec<Option<&str>> = stays
        .iter()
        .map(|(_, s)| s.external_ref.as_deref())
        .collect();
    let arrivals: Vec<NaiveDate> = stays.iter().map(|(_, s)| s.arrival).collect();
    let departures: Vec<NaiveDate> = stays.iter().map(|(_, s)| s.departure).collect();
    let room_types: Vec<Option<&str>> = stays.iter().map(|(_, s)| s.room_type.as_deref()).collect();
    let rates: Vec<Option<i64>> = stays.iter().map(|(_, s)| s.rate.map(|r| r.minor)).collect();
    let rate_currencies: Vec<Option<&str>> = stays
        .iter()
        .map(|(_, s)| s.rate.map(|r| r.currency.code()))
        .collect();
    let channels: Vec<Option<&str>> = stays.iter().map(|(_, s)| s.channel.as_deref()).collect();
    let segments: Vec<Option<&str>> = stays
        .iter()
        .map(|(_, s)| s.market_segment.as_deref())
        .collect();
    let adults: Vec<i32> = stays.iter().map(|(_, s)| s.adults).collect();
    let children: Vec<i32> = stays.iter().map(|(_, s)| s.children).collect();
    let requests: Vec<Option<&str>> = stays
        .iter()
        .map(|(_, s)| s.special_requests.as_deref())
        .collect();
    let statuses: Vec<&str> = stays.iter().map(|(_, s)| s.status.as_str()).collect();
    let booked: Vec<Option<NaiveDate>> = stays.iter().map(|(_, s)| s.booked_at).collect();
    let created: Vec<DateTime<Utc>> = vec![now; stays.len()];
    let stmt = tx.prepare_cached(sql::INSERT_STAYS).await?;
    tx.execute(
        &stmt,
        &[
            &ids,
            &guests,
            &hotels,
            &refs,
            &arrivals,
            &departures,
            &room_types,
            &rates,
            &rate_currencies,
            &channels,
            &segments,
            &adults,
            &children,
            &requests,
            &statuses,
            &booked,
            &created,
        ],
    )
    .await
    .map_err(|e| conflict(e, "a stay with this reservation reference"))?;

    let (mut stay_ids, mut line_guests, mut line_hotels, mut categories) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut amounts, mut currencies, mut posted, mut descriptions) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (id, (guest, stay)) in ids.iter().zip(stays) {
        for line in &stay.spend {
            stay_ids.push(*id);
            line_guests.push(*guest);
            line_hotels.push(stay.hotel_id);
            categories.push(line.category.as_str());
            amounts.push(line.amount.minor);
            currencies.push(line.amount.currency.code());
            posted.push(line.posted_on);
            descriptions.push(line.description.as_deref());
        }
    }
    if !stay_ids.is_empty() {
        let stmt = tx.prepare_cached(sql::INSERT_SPEND_LINES).await?;
        tx.execute(
            &stmt,
            &[
                &stay_ids,
                &line_guests,
                &line_hotels,
                &categories,
                &amounts,
                &currencies,
                &posted,
                &descriptions,
            ],
        )
        .await?;
    }
    Ok(ids)
}

pub(super) async fn insert_notes(tx: &Transaction<'_>, notes: &[NoteRow<'_>]) -> Result<()> {
    if notes.is_empty() {
        return Ok(());
    }
    let guests: Vec<i64> = notes.iter().map(|n| n.guest).collect();
    let stays: Vec<Option<i64>> = notes.iter().map(|n| n.stay).collect();
    let hotels: Vec<Option<i64>> = notes.iter().map(|n| n.hotel).collect();
    let bodies: Vec<&str> = notes.iter().map(|n| n.body).collect();
    let authors: Vec<&str> = notes.iter().map(|n| n.author).collect();
    let at: Vec<DateTime<Utc>> = notes.iter().map(|n| n.created_at).collect();
    let stmt = tx.prepare_cached(sql::INSERT_NOTES).await?;
    tx.execute(&stmt, &[&guests, &stays, &hotels, &bodies, &authors, &at])
        .await?;
    Ok(())
}
