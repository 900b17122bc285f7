//! The value analysis as stored: each guest's latest scores per scope, their tier history,
//! and the per-scope reports. The analysis itself is `rapport_value::analysis`, pure.

use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::hotel::HotelId;
use rapport_value::analysis::{GuestScore, Scope};
use serde::Serialize;

use crate::rows::Cols;
use crate::Result;

/// `0` stands for the group in the `scope_hotel` columns.
pub(crate) fn scope_key(scope: Scope) -> i64 {
    match scope {
        Scope::Group => 0,
        Scope::Hotel(h) => h,
    }
}

/// One guest's latest scores in one scope, as served to staff and the API.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StoredValue {
    /// `None` for the whole group.
    pub hotel_id: Option<HotelId>,
    pub stays: i64,
    pub last_stay: NaiveDate,
    /// Minor units of `currency`.
    pub revenue: i64,
    pub currency: String,
    /// `vip`, `major`, `ordinary` or `small`.
    pub tier: String,
    pub rfm_recency: i64,
    pub rfm_frequency: i64,
    pub rfm_monetary: i64,
    /// `champions`, `loyal`, `cannot_lose`, `at_risk`, `new_or_promising`, `needs_attention`, `lapsed`.
    pub rfm_segment: String,
    pub probability_alive: Option<f64>,
    /// Over the next year.
    pub expected_stays: Option<f64>,
    /// Per stay, minor units.
    pub expected_spend: Option<f64>,
    /// Discounted over twelve months, minor units.
    pub lifetime_value: Option<f64>,
    /// `low`, `medium` or `high`.
    pub churn_risk: Option<String>,
    pub computed_at: DateTime<Utc>,
}

/// A change of tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TierChange {
    pub hotel_id: Option<HotelId>,
    pub tier: String,
    pub since: NaiveDate,
}

fn scope_of(key: i64) -> Option<HotelId> {
    (key != 0).then_some(key)
}

pub(crate) fn stored_value(r: &impl Cols) -> Result<StoredValue> {
    Ok(StoredValue {
        hotel_id: scope_of(r.col(0)?),
        stays: r.col(1)?,
        last_stay: r.col(2)?,
        revenue: r.col(3)?,
        currency: r.col(4)?,
        tier: r.col(5)?,
        rfm_recency: r.col(6)?,
        rfm_frequency: r.col(7)?,
        rfm_monetary: r.col(8)?,
        rfm_segment: r.col(9)?,
        probability_alive: r.col(10)?,
        expected_stays: r.col(11)?,
        expected_spend: r.col(12)?,
        lifetime_value: r.col(13)?,
        churn_risk: r.col(14)?,
        computed_at: r.col(15)?,
    })
}

pub(crate) fn tier_change(r: &impl Cols) -> Result<TierChange> {
    Ok(TierChange {
        hotel_id: scope_of(r.col(0)?),
        tier: r.col(1)?,
        since: r.col(2)?,
    })
}

/// Snake-case name of a serde unit enum (`ValueTier::Vip` → `vip`).
pub(crate) fn label<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// P(alive), expected stays, expected spend, lifetime value and churn band, when fitted.
type ModelFigures = (Option<f64>, Option<f64>, Option<f64>, Option<f64>, Option<String>);

/// A guest score as the row values to insert, in `INSERT_GUEST_VALUE`'s order (the currency
/// comes from the scope's report).
pub(crate) struct ValueRow {
    pub guest: i64,
    pub scope: i64,
    pub stays: i64,
    pub last_stay: NaiveDate,
    pub revenue: i64,
    pub tier: String,
    pub rfm: (i64, i64, i64, String),
    pub model: ModelFigures,
}

impl ValueRow {
    pub fn of(g: &GuestScore) -> Self {
        Self {
            guest: g.guest,
            scope: scope_key(g.scope),
            stays: i64::from(g.stays),
            last_stay: g.last_stay,
            revenue: g.revenue,
            tier: label(&g.tier),
            rfm: (
                i64::from(g.rfm.recency),
                i64::from(g.rfm.frequency),
                i64::from(g.rfm.monetary),
                label(&g.rfm.segment),
            ),
            model: (
                g.probability_alive,
                g.expected_stays,
                g.expected_spend,
                g.lifetime_value,
                g.churn_risk.map(|c| label(&c)),
            ),
        }
    }
}

/// What changes in the stored tiers: `(guest, scope, tier)` whose tier differs from `current`.
pub(crate) fn tier_changes<'a>(
    rows: &'a [ValueRow],
    current: &'a std::collections::HashMap<(i64, i64), String>,
) -> impl Iterator<Item = &'a ValueRow> + 'a {
    rows.iter().filter(move |r| current.get(&(r.guest, r.scope)) != Some(&r.tier))
}

/// The per-scope report JSON and currency by scope key.
pub(crate) fn reports(analysis: &rapport_value::analysis::Analysis) -> Vec<(i64, String, String)> {
    analysis
        .reports
        .iter()
        .map(|r| {
            (
                scope_key(r.scope),
                r.currency.clone(),
                serde_json::to_string(r).expect("report serialises"),
            )
        })
        .collect()
}
