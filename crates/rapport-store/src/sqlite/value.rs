//! The value analysis's reads and writes on SQLite.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use rapport_domain::guest::GuestId;
use rapport_value::analysis::Analysis;
use rapport_value::facts::SPEND_CATEGORIES;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, Row, Transaction};

use super::query_all;
use crate::sql::{self, for_sqlite};
use crate::value::{self, RealisedStay, SpendByStay, StayScan, StoredReport, StoredValue, TierChange};
use crate::Result;

pub(super) fn spend_by_stay(c: &Connection) -> Result<SpendByStay> {
    let max: i64 = c.query_row(sql::MAX_STAY_ID, [], |r| r.get(0))?;
    let mut spend = SpendByStay::new(max);
    let mut stmt = c.prepare(sql::STAY_SPEND)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let mut by_category = [0; SPEND_CATEGORIES];
        for (i, amount) in by_category.iter_mut().enumerate() {
            *amount = r.get(i + 1)?;
        }
        spend.set(r.get(0)?, by_category);
    }
    Ok(spend)
}

pub(super) fn realised_stays(c: &Connection) -> Result<StayScan> {
    let mut scan = StayScan::new();
    let mut stmt = c.prepare(sql::REALISED_STAYS)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        scan.push(RealisedStay {
            id: r.get(0)?,
            guest: r.get(1)?,
            hotel: r.get(2)?,
            arrival: date(r, 3)?,
            departure: date(r, 4)?,
            booked_at: match r.get_ref(5)? {
                ValueRef::Null => None,
                _ => Some(date(r, 5)?),
            },
            channel: text(r, 6)?,
            market: text(r, 7)?,
            room_type: text(r, 8)?,
            special_requests: r.get::<_, i64>(9)? != 0,
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
    let current: HashMap<(i64, i64), String> = query_all(tx, sql::CURRENT_TIERS, [], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
        .into_iter()
        .collect();
    let reports = value::reports(analysis);
    let currency: HashMap<i64, &str> = reports.iter().map(|(k, c, _)| (*k, c.as_str())).collect();
    let rows = value::rows_in_key_order(analysis);
    let changes: Vec<_> = value::tier_changes(&rows, &current).collect();
    for chunk in changes.chunks(sql::ROWS_PER_INSERT) {
        let mut stmt = tx.prepare_cached(&for_sqlite(&sql::multi_row_insert(
            sql::INSERT_TIER_CHANGES,
            sql::TIER_CHANGE_COLUMNS,
            chunk.len(),
            " ON CONFLICT DO NOTHING",
        )))?;
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * sql::TIER_CHANGE_COLUMNS);
        for r in chunk {
            values.extend([&r.guest as &dyn rusqlite::ToSql, &r.scope, &r.tier, &as_of]);
        }
        stmt.execute(values.as_slice())?;
    }
    tx.execute(sql::CLEAR_GUEST_VALUES, [])?;
    let currencies: Vec<&str> = rows.iter().map(|r| currency.get(&r.scope).copied().unwrap_or("")).collect();
    for (chunk, cur) in rows.chunks(sql::ROWS_PER_INSERT).zip(currencies.chunks(sql::ROWS_PER_INSERT)) {
        let mut stmt = tx.prepare_cached(&for_sqlite(&sql::multi_row_insert(
            sql::INSERT_GUEST_VALUES,
            sql::GUEST_VALUE_COLUMNS,
            chunk.len(),
            "",
        )))?;
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * sql::GUEST_VALUE_COLUMNS);
        for (r, cur) in chunk.iter().zip(cur) {
            values.extend([
                &r.guest as &dyn rusqlite::ToSql,
                &r.scope,
                &r.stays,
                &r.last_stay,
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
                &now,
            ]);
        }
        stmt.execute(values.as_slice())?;
    }
    let mut report = tx.prepare_cached(&for_sqlite(sql::UPSERT_VALUE_REPORT))?;
    for (scope, _, json) in &reports {
        report.execute(params![scope, as_of, now, json])?;
    }
    Ok(())
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
