//! Reading helpers over a pooled connection: prepared (and cached) statements, the
//! shared row decoders, and the error mapping every PgStore method uses.

use chrono::SubsecRound;
use deadpool_postgres::{Client, Transaction};
use rapport_domain::access::Scope;
use rapport_domain::guest::{ConsentRecord, Guest, GuestId, GuestProfile};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::sql;
use crate::sql as shared;
use crate::{GuestDoc, Result, StoreError};

/// PostgreSQL keeps timestamps to the microsecond; a consent's time is cut to that before
/// it is copied into the guest document, so the document and the history agree.
pub(super) fn consent_time(mut record: ConsentRecord) -> ConsentRecord {
    record.recorded_at = record.recorded_at.trunc_subsecs(6);
    record
}

/// Maps a unique-constraint failure to `Conflict` with a message for the user.
pub(super) fn conflict(e: tokio_postgres::Error, what: &str) -> StoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        StoreError::Conflict(format!("{what} already exists"))
    } else {
        e.into()
    }
}

pub(super) async fn query(client: &Client, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>> {
    let stmt = client.prepare_cached(sql).await?;
    Ok(client.query(&stmt, params).await?)
}

pub(super) async fn query_opt(client: &Client, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>> {
    let stmt = client.prepare_cached(sql).await?;
    Ok(client.query_opt(&stmt, params).await?)
}

pub(super) async fn count(client: &Client, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<i64> {
    let stmt = client.prepare_cached(sql).await?;
    Ok(client.query_one(&stmt, params).await?.try_get(0)?)
}

pub(super) fn decode_all<T>(rows: Vec<Row>, decode: impl Fn(&Row) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(decode).collect()
}

pub(super) async fn guest_doc(client: &Client, id: GuestId) -> Result<GuestDoc> {
    match query_opt(client, shared::GUEST_DOC, &[&id]).await? {
        Some(r) => crate::live_doc(id, r.try_get(0)?, r.try_get(1)?),
        None => Err(StoreError::not_found(format!("guest {id}"))),
    }
}

pub(super) async fn require_guest(client: &Client, id: GuestId) -> Result<()> {
    match query_opt(client, sql::GUEST_EXISTS, &[&id]).await? {
        Some(r) => crate::live_doc(id, String::new(), r.try_get(0)?).map(drop),
        None => Err(StoreError::not_found(format!("guest {id}"))),
    }
}

/// The stored guest, locked for the rest of the transaction.
pub(super) async fn guest_for_update(tx: &Transaction<'_>, id: GuestId) -> Result<Guest> {
    let stmt = tx.prepare_cached(sql::GUEST_DOC_FOR_UPDATE).await?;
    match tx.query_opt(&stmt, &[&id]).await? {
        Some(r) => crate::live_doc(id, r.try_get(0)?, r.try_get(1)?)?.decode(),
        None => Err(StoreError::not_found(format!("guest {id}"))),
    }
}

/// Reads of a guest's stays, spend or notes: the shared SQL for the whole group, the
/// `= ANY` variant for a list of hotels.
pub(super) async fn scoped<T>(
    client: &Client,
    guest: GuestId,
    scope: &Scope,
    group: &str,
    hotels: &str,
    decode: impl Fn(&Row) -> Result<T>,
) -> Result<Vec<T>> {
    require_guest(client, guest).await?;
    let rows = match scope {
        Scope::Group => query(client, group, &[&guest]).await?,
        Scope::Hotels(ids) => query(client, hotels, &[&guest, ids]).await?,
    };
    decode_all(rows, decode)
}

/// Refuses a write that would give profile `id` an external id another profile holds
/// (see [`crate::added_external_ids`]). Under read committed two transactions could both
/// find the id free, so each first takes a transaction lock on the key: the second waits
/// for the first to commit and then sees its keys.
pub(super) async fn refuse_taken_external_ids(
    tx: &Transaction<'_>,
    before: Option<&GuestProfile>,
    after: &GuestProfile,
    id: GuestId,
) -> Result<()> {
    for (key, shown) in crate::added_external_ids(before, after) {
        tx.execute(sql::KEY_XACT_LOCK, &[&key]).await?;
        let row = tx.query_one(shared::IDENTITY_OTHER_HOLDER, &[&key, &id]).await?;
        if let Some(other) = row.try_get::<_, Option<GuestId>>(0)? {
            return Err(crate::external_id_taken(&shown, other));
        }
    }
    Ok(())
}
