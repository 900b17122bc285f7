//! The value analysis's reads and writes on SQLite.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use rapport_domain::guest::GuestId;
use rapport_value::analysis::Analysis;
use rapport_value::facts::StayFacts;
use rusqlite::{params, Connection, Transaction};

use super::query_all;
use crate::sql::{self, for_sqlite};
use crate::value::{self, FactsReader, RealisedStay, StoredReport, StoredValue, TierChange, ValueRow};
use crate::Result;

pub(super) fn stay_facts(c: &Connection) -> Result<StayFacts> {
    let max: i64 = c.query_row(sql::MAX_STAY_ID, [], |r| r.get(0))?;
    let mut reader = FactsReader::new(max);
    let mut stmt = c.prepare(sql::SPEND_LINES)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let category: String = r.get(1)?;
        reader.spend_line(r.get(0)?, &category, r.get(2)?);
    }
    let mut stmt = c.prepare(sql::REALISED_STAYS)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        reader.stay(RealisedStay {
            id: r.get(0)?,
            guest: r.get(1)?,
            hotel: r.get(2)?,
            arrival: r.get(3)?,
            departure: r.get(4)?,
            booked_at: r.get(5)?,
            channel: r.get(6)?,
            market: r.get(7)?,
            room_type: r.get(8)?,
            special_requests: r.get::<_, i64>(9)? != 0,
        });
    }
    Ok(reader.finish())
}

pub(super) fn save_analysis(tx: &Transaction, as_of: NaiveDate, analysis: &Analysis) -> Result<()> {
    let now = Utc::now();
    let current: HashMap<(i64, i64), String> = query_all(tx, sql::CURRENT_TIERS, [], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
        .into_iter()
        .collect();
    let reports = value::reports(analysis);
    let currency: HashMap<i64, &str> = reports.iter().map(|(k, c, _)| (*k, c.as_str())).collect();
    let rows: Vec<ValueRow> = analysis.guests.iter().map(ValueRow::of).collect();
    let mut history = tx.prepare_cached(&for_sqlite(sql::INSERT_TIER_CHANGE))?;
    for r in value::tier_changes(&rows, &current) {
        history.execute(params![r.guest, r.scope, r.tier, as_of])?;
    }
    tx.execute(sql::CLEAR_GUEST_VALUES, [])?;
    let mut insert = tx.prepare_cached(&for_sqlite(sql::INSERT_GUEST_VALUE))?;
    for r in &rows {
        insert.execute(params![
            r.guest,
            r.scope,
            r.stays,
            r.last_stay,
            r.revenue,
            currency.get(&r.scope).copied().unwrap_or(""),
            r.tier,
            r.rfm_recency,
            r.rfm_frequency,
            r.rfm_monetary,
            r.rfm_segment,
            r.probability_alive,
            r.expected_stays,
            r.expected_spend,
            r.lifetime_value,
            r.churn_risk,
            now
        ])?;
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
