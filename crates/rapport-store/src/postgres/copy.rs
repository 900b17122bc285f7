//! Bulk loading for import batches: `COPY … FROM STDIN (FORMAT binary)` for the tables a
//! batch fills with thousands of rows (new profiles, their keys, stays with their spend
//! totals, spend lines). Single edits keep [`super::write`]'s array-parameter statements.
//!
//! COPY buys two things over `INSERT … SELECT unnest(…)`. The server stores the rows
//! several to a heap page (one WAL record per page, not per row) and has no arrays to take
//! apart. And the rows stream: the server inserts the first ones while the client is still
//! encoding the rest, instead of waiting for the whole array parameter.
//!
//! Each load is a [`Step`] of the write pipeline: the first poll queues its `COPY` on the
//! connection, so the loads run in the order the pipeline polls them, after the statements
//! before them, and each table's rows only start once the server asks for them.

use std::pin::Pin;

use bytes::{BufMut, Bytes, BytesMut};
use chrono::{DateTime, Utc};
use deadpool_postgres::Transaction;
use futures_util::SinkExt;
use rapport_domain::guest::Guest;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::{CopyInSink, Statement};

use super::write::{refused, StayRow, Step};
use crate::{KeyLists, Result, StoreError};

/// Column types of each `COPY` in [`super::sql`], in its column order. Binary COPY
/// sends values in the columns' own types, so these must match the tables.
const GUEST_TYPES: &[Type] = &[
    Type::INT8,
    Type::TEXT,
    Type::INT8,
    Type::TIMESTAMPTZ,
    Type::TIMESTAMPTZ,
    Type::TEXT,
    Type::TEXT,
];
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
    // The spend totals, in the order of `SpendCategory::ALL`.
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT8,
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

/// How much encoded data goes to the connection at a time. `BinaryCopyInWriter` hands
/// over every 4 KiB: for the ~750 MB a million-row import sends, that was ~190,000 hand-
/// overs to the connection task and as many socket writes.
const CHUNK: usize = 256 * 1024;

/// A binary COPY's rows (the format of `tokio_postgres::binary_copy`), sent in chunks of
/// [`CHUNK`].
struct Rows {
    sink: Pin<Box<CopyInSink<Bytes>>>,
    types: &'static [Type],
    buf: BytesMut,
}

impl Rows {
    /// Starts the COPY of `stmt`: queues it on the connection, then waits until the
    /// server is ready for its rows.
    async fn start(tx: &Transaction<'_>, stmt: &Statement, types: &'static [Type]) -> Result<Self> {
        let sink = Box::pin(tx.copy_in(stmt).await.map_err(refused)?);
        let mut buf = BytesMut::with_capacity(CHUNK + CHUNK / 8);
        buf.put_slice(b"PGCOPY\n\xff\r\n\0");
        buf.put_i32(0); // flags
        buf.put_i32(0); // header extension
        Ok(Self { sink, types, buf })
    }

    async fn write(&mut self, values: &[&(dyn ToSql + Sync)]) -> Result<()> {
        assert_eq!(values.len(), self.types.len(), "one value per column");
        self.buf.put_i16(values.len() as i16);
        for (column, (value, ty)) in values.iter().zip(self.types).enumerate() {
            let at = self.buf.len();
            self.buf.put_i32(0);
            let len = match value.to_sql_checked(ty, &mut self.buf) {
                Ok(IsNull::Yes) => -1,
                Ok(IsNull::No) => i32::try_from(self.buf.len() - at - 4)
                    .map_err(|_| StoreError::Invalid(format!("column {} holds more than 2 GiB", column + 1)))?,
                Err(e) => return Err(StoreError::Invalid(format!("column {} cannot be stored: {e}", column + 1))),
            };
            self.buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
        }
        if self.buf.len() >= CHUNK {
            let chunk = self.buf.split().freeze();
            self.sink.send(chunk).await.map_err(refused)?;
            self.buf.reserve(CHUNK + CHUNK / 8);
        }
        Ok(())
    }

    /// Sends the rest and the trailer; the number of rows the server stored.
    async fn finish(mut self) -> Result<u64> {
        self.buf.put_i16(-1);
        let rest = self.buf.split().freeze();
        self.sink.send(rest).await.map_err(refused)?;
        self.sink.as_mut().finish().await.map_err(refused)
    }
}

/// New profiles with the lists of their keys; their documents are written as the rows go out.
pub(super) fn guests<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, guests: &'f [Guest], lists: &'f [KeyLists]) -> Step<'f> {
    Box::pin(async move {
        let mut w = Rows::start(tx, stmt, GUEST_TYPES).await?;
        for (g, keys) in guests.iter().zip(lists) {
            w.write(&[
                &g.id,
                &Document(g),
                &g.version,
                &g.created_at,
                &g.updated_at,
                &keys.identity,
                &keys.search,
            ])
            .await?;
        }
        w.finish().await
    })
}

/// A profile's stored document (see [`crate::guest_json`]), serialised straight into the
/// rows being sent rather than into a string of its own first.
#[derive(Debug)]
struct Document<'g>(&'g Guest);

impl ToSql for Document<'_> {
    fn to_sql(&self, _: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        serde_json::to_writer(out.writer(), self.0)?;
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TEXT
    }

    to_sql_checked!();
}

/// Identity or search keys, `(key, owner)` pairs in the order given.
pub(super) fn keys<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, keys: &'f [&'f str], owners: &'f [i64]) -> Step<'f> {
    Box::pin(async move {
        let mut w = Rows::start(tx, stmt, KEY_TYPES).await?;
        for (key, owner) in keys.iter().zip(owners) {
            w.write(&[key, owner]).await?;
        }
        w.finish().await
    })
}

pub(super) fn stays<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, rows: &'f [StayRow<'f>], now: DateTime<Utc>) -> Step<'f> {
    Box::pin(async move {
        let mut w = Rows::start(tx, stmt, STAY_TYPES).await?;
        for r in rows {
            let s = r.stay;
            let rate = s.rate.map(|m| m.minor);
            let currency = s.rate.map(|m| m.currency.code());
            let [room, food_beverage, spa, laundry, minibar, other] = crate::value::stay_spend_totals(s);
            w.write(&[
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
                &room,
                &food_beverage,
                &spa,
                &laundry,
                &minibar,
                &other,
            ])
            .await?;
        }
        w.finish().await
    })
}

/// The stays' spend lines.
pub(super) fn spend_lines<'f>(tx: &'f Transaction<'_>, stmt: &'f Statement, rows: &'f [StayRow<'f>]) -> Step<'f> {
    Box::pin(async move {
        let mut w = Rows::start(tx, stmt, SPEND_TYPES).await?;
        for r in rows {
            for line in &r.stay.spend {
                w.write(&[
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
        w.finish().await
    })
}
