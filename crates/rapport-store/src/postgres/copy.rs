//! Bulk loading for import batches: `COPY … FROM STDIN (FORMAT binary)` for the tables a
//! batch fills with thousands of rows (new profiles, their keys, stays, spend lines and
//! spend totals). Single edits keep [`super::write`]'s array-parameter statements.
//!
//! COPY buys two things over `INSERT … SELECT unnest(…)`. The server stores the rows
//! several to a heap page (one WAL record per page, not per row) and has no arrays to take
//! apart. And the rows stream: the server inserts the first ones while the client is still
//! encoding the rest, instead of waiting for the whole array parameter.
//!
//! Each load is a [`Step`] of the write pipeline: the first poll queues its `COPY` on the
//! connection, so the loads run in the order the pipeline polls them, after the statements
//! before them, and each table's rows only start once the server asks for them.

use chrono::{DateTime, Utc};
use deadpool_postgres::Transaction;
use rapport_domain::guest::Guest;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::Type;
use tokio_postgres::Statement;

use super::write::{Step, StayRow};

/// Column types of each `COPY` in [`super::sql`], in its column order. Binary COPY
/// sends values in the columns' own types, so these must match the tables.
const GUEST_TYPES: &[Type] = &[Type::INT8, Type::TEXT, Type::INT8, Type::TIMESTAMPTZ, Type::TIMESTAMPTZ];
const KEY_TYPES: &[Type] = &[Type::TEXT, Type::INT8];
const STAY_TYPES: &[Type] = &[
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::DATE,
    Type::DATE,
    Type::TEXT,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT4,
    Type::INT4,
    Type::TEXT,
    Type::TEXT,
    Type::DATE,
    Type::TIMESTAMPTZ,
    Type::TEXT,
];
const SPEND_TYPES: &[Type] = &[
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::INT8,
    Type::TEXT,
    Type::DATE,
    Type::TEXT,
];
const SPEND_TOTAL_TYPES: &[Type] = &[Type::INT8; 1 + rapport_value::facts::SPEND_CATEGORIES];

type Writer = std::pin::Pin<Box<BinaryCopyInWriter>>;

/// Starts the COPY of `stmt`: queues it on the connection, then waits until the server
/// is ready for its rows.
async fn start(tx: &Transaction<'_>, stmt: &Statement, types: &[Type]) -> Result<Writer, tokio_postgres::Error> {
    Ok(Box::pin(BinaryCopyInWriter::new(tx.copy_in(stmt).await?, types)))
}

/// New profiles; their documents are written as the rows go out.
pub(super) fn guests<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, guests: &'f [Guest]) -> Step<'f> {
    Box::pin(async move {
        let mut w = start(tx, stmt, GUEST_TYPES).await?;
        for g in guests {
            let doc = crate::guest_json(g);
            w.as_mut().write(&[&g.id, &doc, &g.version, &g.created_at, &g.updated_at]).await?;
        }
        w.as_mut().finish().await
    })
}

/// Identity or search keys, `(key, owner)` pairs in the order given.
pub(super) fn keys<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, keys: &'f [String], owners: &'f [i64]) -> Step<'f> {
    Box::pin(async move {
        let mut w = start(tx, stmt, KEY_TYPES).await?;
        for (key, owner) in keys.iter().zip(owners) {
            w.as_mut().write(&[key, owner]).await?;
        }
        w.as_mut().finish().await
    })
}

pub(super) fn stays<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, rows: &'f [StayRow<'f>], now: DateTime<Utc>) -> Step<'f> {
    Box::pin(async move {
        let mut w = start(tx, stmt, STAY_TYPES).await?;
        for r in rows {
            let s = r.stay;
            let rate = s.rate.map(|m| m.minor);
            let currency = s.rate.map(|m| m.currency.code());
            w.as_mut()
                .write(&[
                    &r.id,
                    &r.guest,
                    &s.hotel_id,
                    &s.external_ref,
                    &s.arrival,
                    &s.departure,
                    &s.room_type,
                    &rate,
                    &currency,
                    &s.channel,
                    &s.market_segment,
                    &s.adults,
                    &s.children,
                    &s.special_requests,
                    &s.status.as_str(),
                    &s.booked_at,
                    &now,
                    &r.joined_by,
                ])
                .await?;
        }
        w.as_mut().finish().await
    })
}

/// The stays' spend lines.
pub(super) fn spend_lines<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, rows: &'f [StayRow<'f>]) -> Step<'f> {
    Box::pin(async move {
        let mut w = start(tx, stmt, SPEND_TYPES).await?;
        for r in rows {
            for line in &r.stay.spend {
                w.as_mut()
                    .write(&[
                        &r.id,
                        &r.guest,
                        &r.stay.hotel_id,
                        &line.category.as_str(),
                        &line.amount.minor,
                        &line.amount.currency.code(),
                        &line.posted_on,
                        &line.description,
                    ])
                    .await?;
            }
        }
        w.as_mut().finish().await
    })
}

/// The stays' spend totals (see [`super::sql::MARK_SPEND_TOTALS_WRITTEN`]), for stays with lines.
pub(super) fn spend_totals<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, rows: &'f [StayRow<'f>]) -> Step<'f> {
    Box::pin(async move {
        let mut w = start(tx, stmt, SPEND_TOTAL_TYPES).await?;
        for r in rows {
            if let Some(totals) = crate::value::stay_spend_totals(r.stay) {
                let [a, b, c, d, e, f] = totals;
                w.as_mut().write(&[&r.id, &a, &b, &c, &d, &e, &f]).await?;
            }
        }
        w.as_mut().finish().await
    })
}
