//! The value analysis's reads and writes on SQLite.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use rapport_domain::guest::GuestId;
use rapport_value::analysis::Analysis;
use rapport_value::facts::SPEND_CATEGORIES;
use rusqlite::types::{ToSql, ValueRef};
use rusqlite::{params, Connection, Row, Transaction};

use super::{insert_rows, query_all};
use crate::sql::{self, for_sqlite};
use crate::value::{self, RealisedStay, StayScan, StoredReport, StoredValue, TierChange, TierChanges, ValueRow};
use crate::Result;

pub(super) fn max_stay_id(c: &Connection) -> Result<i64> {
    Ok(c.query_row(sql::MAX_STAY_ID, [], |r| r.get(0))?)
}

/// The stays with ids in `(from, to]`, with room for `room` of them.
pub(super) fn realised_stays(c: &Connection, (from, to): (i64, i64), room: usize) -> Result<StayScan> {
    let mut scan = StayScan::with_capacity(room);
    let mut stmt = c.prepare(&for_sqlite(sql::REALISED_STAYS))?;
    let mut rows = stmt.query([from, to])?;
    while let Some(r) = rows.next()? {
        let mut spend = [0; SPEND_CATEGORIES];
        for (i, amount) in spend.iter_mut().enumerate() {
            *amount = r.get(sql::REALISED_SPEND_COLUMN + i)?;
        }
        scan.push(RealisedStay {
            guest: r.get(0)?,
            hotel: r.get(1)?,
            arrival: date(r, 2)?,
            departure: date(r, 3)?,
            booked_at: match r.get_ref(4)? {
                ValueRef::Null => None,
                _ => Some(date(r, 4)?),
            },
            channel: text(r, 5)?,
            market: text(r, 6)?,
            room_type: text(r, 7)?,
            special_requests: r.get::<_, i64>(8)? != 0,
            spend,
        });
    }
    Ok(scan)
}

/// A text column read in place: ten million stays are not worth a string each.
fn text<'a>(r: &'a Row, i: usize) -> Result<Option<&'a str>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Text(t) => Some(std::str::from_utf8(t).map_err(|e| crate::StoreError::Corrupt(format!("stay column {i}: {e}")))?),
        _ => None,
    })
}

/// A date column. Dates are stored as `YYYY-MM-DD`, read here digit by digit: the general
/// parser rusqlite uses costs more than the rest of the row, three times per stay. Anything
/// else goes through that parser.
fn date(r: &Row, i: usize) -> Result<NaiveDate> {
    if let ValueRef::Text(&[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]) = r.get_ref(i)? {
        let digit = |b: u8| b.is_ascii_digit().then(|| i32::from(b - b'0'));
        let number = |bytes: &[u8]| bytes.iter().try_fold(0, |n, &b| Some(n * 10 + digit(b)?));
        if let (Some(y), Some(m), Some(d)) = (number(&[y0, y1, y2, y3]), number(&[m0, m1]), number(&[d0, d1])) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m as u32, d as u32) {
                return Ok(date);
            }
        }
    }
    Ok(r.get(i)?)
}

pub(super) fn save_analysis(tx: &Transaction, as_of: NaiveDate, analysis: &Analysis) -> Result<()> {
    let now = Utc::now();
    let rows = value::rows_in_key_order(analysis);
    let mut tiers = TierChanges::new(&rows);
    {
        let mut stmt = tx.prepare(sql::CURRENT_TIERS)?;
        let mut stored = stmt.query([])?;
        while let Some(r) = stored.next()? {
            tiers.stored(r.get(0)?, r.get(1)?, r.get_ref(2)?.as_bytes().map_err(rusqlite::Error::from)?);
        }
    }
    insert_rows(
        tx,
        (sql::INSERT_TIER_CHANGES, sql::TIER_CHANGE_COLUMNS, " ON CONFLICT DO NOTHING"),
        &tiers.changes(),
        |r, values| values.extend([&r.guest as &dyn ToSql, &r.scope, &r.tier, &as_of]),
    )?;
    let reports = value::reports(analysis);
    let currency: HashMap<i64, &str> = reports.iter().map(|(k, c, _)| (*k, c.as_str())).collect();
    tx.execute(sql::CLEAR_GUEST_VALUES, [])?;
    // Converted once: the same instant on millions of rows.
    let computed_at = now.to_sql()?;
    let days = DayTexts::new(rows.iter().map(|r| r.last_stay));
    let with_texts: Vec<(&ValueRow, &str, Cow<str>)> = rows
        .iter()
        .map(|r| (r, currency.get(&r.scope).copied().unwrap_or(""), days.text(r.last_stay)))
        .collect();
    insert_rows(
        tx,
        (sql::INSERT_GUEST_VALUES, sql::GUEST_VALUE_COLUMNS, ""),
        &with_texts,
        |(r, cur, last_stay), values| {
            values.extend([
                &r.guest as &dyn ToSql,
                &r.scope,
                &r.stays,
                last_stay,
                &r.revenue,
                cur,
                &r.tier,
                &r.rfm_recency,
                &r.rfm_frequency,
                &r.rfm_monetary,
                &r.rfm_segment,
                &r.probability_alive,
                &r.expected_stays,
                &r.expected_spend,
                &r.lifetime_value,
                &r.churn_risk,
                &computed_at,
            ])
        },
    )?;
    let mut report = tx.prepare_cached(&for_sqlite(sql::UPSERT_VALUE_REPORT))?;
    for (scope, _, json) in &reports {
        report.execute(params![scope, as_of, now, json])?;
    }
    Ok(())
}

/// Each day's text as rusqlite stores a date, formatted once: millions of scores share a few
/// thousand last-stay days, and formatting a date costs more than storing it.
struct DayTexts {
    first: NaiveDate,
    texts: Vec<String>,
}

impl DayTexts {
    /// Days from the earliest to the latest given (so long a span is not worth it past a
    /// few centuries; then each day is formatted on its own).
    const MOST_DAYS: i64 = 100_000;

    fn new(days: impl Iterator<Item = NaiveDate>) -> Self {
        let (first, last) = days.fold((NaiveDate::MAX, NaiveDate::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
        let span = (last - first).num_days();
        let texts = if (0..Self::MOST_DAYS).contains(&span) {
            first
                .iter_days()
                .take(span as usize + 1)
                .map(|d| d.format("%F").to_string())
                .collect()
        } else {
            Vec::new()
        };
        Self { first, texts }
    }

    fn text(&self, day: NaiveDate) -> Cow<'_, str> {
        let i = (day - self.first).num_days();
        match usize::try_from(i).ok().and_then(|i| self.texts.get(i)) {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(day.format("%F").to_string()),
        }
    }
}

pub(super) fn guest_values(c: &Connection, guest: GuestId) -> Result<(Vec<StoredValue>, Vec<TierChange>)> {
    Ok((
        query_all(c, sql::GUEST_VALUES, [guest], |r| value::stored_value(r))?,
        query_all(c, sql::TIER_HISTORY, [guest], |r| value::tier_change(r))?,
    ))
}

pub(super) fn value_reports(c: &Connection) -> Result<Vec<StoredReport>> {
    query_all(c, sql::VALUE_REPORTS, [], |r| {
        let text: String = r.get(2)?;
        StoredReport::decode(r.get(0)?, r.get(1)?, &text)
    })
}
