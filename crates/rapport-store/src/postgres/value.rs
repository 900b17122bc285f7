//! The value analysis's reads and writes on PostgreSQL.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use deadpool_postgres::Client;
use futures_util::{pin_mut, TryStreamExt};
use rapport_domain::guest::GuestId;
use rapport_value::analysis::Analysis;
use rapport_value::facts::SPEND_CATEGORIES;
use tokio_postgres::types::ToSql;

use super::reads::{decode_all, query};
use crate::sql as shared;
use crate::value::{self, RealisedStay, StayScan, StoredReport, StoredValue, TierChange, TierChanges};
use crate::Result;

/// The stays with ids in `(from, to]`, with room for `room` of them.
pub(super) async fn realised_stays(c: &Client, (from, to): (i64, i64), room: usize) -> Result<StayScan> {
    let mut scan = StayScan::with_capacity(room);
    let rows = c.query_raw(shared::REALISED_STAYS, [from, to].iter()).await?;
    pin_mut!(rows);
    while let Some(r) = rows.try_next().await? {
        let mut spend = [0; SPEND_CATEGORIES];
        for (i, amount) in spend.iter_mut().enumerate() {
            *amount = r.try_get(shared::REALISED_SPEND_COLUMN + i)?;
        }
        scan.push(RealisedStay {
            guest: r.try_get(0)?,
            hotel: r.try_get(1)?,
            arrival: r.try_get(2)?,
            departure: r.try_get(3)?,
            booked_at: r.try_get(4)?,
            channel: r.try_get(5)?,
            market: r.try_get(6)?,
            room_type: r.try_get(7)?,
            special_requests: r.try_get::<_, i64>(8)? != 0,
            spend,
        });
    }
    Ok(scan)
}

pub(super) async fn save_analysis(c: &mut Client, as_of: NaiveDate, analysis: &Analysis) -> Result<()> {
    let now = Utc::now();
    let tx = c.transaction().await?;
    let rows = value::rows_in_key_order(analysis);
    let mut tiers = TierChanges::new(&rows);
    for r in tx.query(shared::CURRENT_TIERS, &[]).await? {
        tiers.stored(r.try_get(0)?, r.try_get(1)?, r.try_get::<_, &str>(2)?.as_bytes());
    }
    let changes = tiers.changes();
    let reports = value::reports(analysis);
    let currency: HashMap<i64, &str> = reports.iter().map(|(k, c, _)| (*k, c.as_str())).collect();
    for chunk in changes.chunks(shared::ROWS_PER_INSERT) {
        let sql = shared::multi_row_insert(
            shared::INSERT_TIER_CHANGES,
            shared::TIER_CHANGE_COLUMNS,
            chunk.len(),
            " ON CONFLICT DO NOTHING",
        );
        let mut values: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(chunk.len() * shared::TIER_CHANGE_COLUMNS);
        for r in chunk {
            values.extend([&r.guest as &(dyn ToSql + Sync), &r.scope, &r.tier, &as_of]);
        }
        tx.execute(&tx.prepare_cached(&sql).await?, &values).await?;
    }
    tx.execute(shared::CLEAR_GUEST_VALUES, &[]).await?;
    let currencies: Vec<&str> = rows.iter().map(|r| currency.get(&r.scope).copied().unwrap_or("")).collect();
    for (chunk, cur) in rows.chunks(shared::ROWS_PER_INSERT).zip(currencies.chunks(shared::ROWS_PER_INSERT)) {
        let sql = shared::multi_row_insert(shared::INSERT_GUEST_VALUES, shared::GUEST_VALUE_COLUMNS, chunk.len(), "");
        let mut values: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(chunk.len() * shared::GUEST_VALUE_COLUMNS);
        for (r, cur) in chunk.iter().zip(cur) {
            values.extend([
                &r.guest as &(dyn ToSql + Sync),
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
        tx.execute(&tx.prepare_cached(&sql).await?, &values).await?;
    }
    let report = tx.prepare(shared::UPSERT_VALUE_REPORT).await?;
    for (scope, _, json) in &reports {
        tx.execute(&report, &[scope, &as_of, &now, json]).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn guest_values(c: &Client, guest: GuestId) -> Result<(Vec<StoredValue>, Vec<TierChange>)> {
    let values = query(c, shared::GUEST_VALUES, &[&guest]).await?;
    let history = query(c, shared::TIER_HISTORY, &[&guest]).await?;
    Ok((decode_all(values, value::stored_value)?, decode_all(history, value::tier_change)?))
}

pub(super) async fn value_reports(c: &Client) -> Result<Vec<StoredReport>> {
    query(c, shared::VALUE_REPORTS, &[])
        .await?
        .iter()
        .map(|r| {
            let text: String = r.try_get(2)?;
            StoredReport::decode(r.try_get(0)?, r.try_get(1)?, &text)
        })
        .collect()
}
