//! The value analysis as stored: each guest's latest scores per scope, their tier history,
//! and the per-scope reports. The analysis itself is `rapport_value::analysis`, pure.

use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::hotel::HotelId;
use rapport_value::analysis::{GuestScore, Scope};
use rapport_value::facts::{Interner, StayFact, StayFacts, SPEND_CATEGORIES};
use serde::Serialize;

use crate::rows::Cols;
use crate::Result;

/// One row of `sql::REALISED_STAYS`, as both backends decode it. The labels are borrowed
/// from the row: ten million stays repeat a few dozen of them, interned without allocating.
pub(crate) struct RealisedStay<'a> {
    pub id: i64,
    pub guest: i64,
    pub hotel: i64,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    pub booked_at: Option<NaiveDate>,
    pub channel: Option<&'a str>,
    pub market: Option<&'a str>,
    pub room_type: Option<&'a str>,
    pub special_requests: bool,
}

/// Spend per stay id and category, from a scan of the per-stay totals (`sql::STAY_SPEND`).
pub(crate) struct SpendByStay(Vec<[i64; SPEND_CATEGORIES]>);

impl SpendByStay {
    pub fn new(max_stay_id: i64) -> Self {
        Self(vec![[0; SPEND_CATEGORIES]; max_stay_id.max(0) as usize + 1])
    }

    pub fn set(&mut self, stay: i64, spend: [i64; SPEND_CATEGORIES]) {
        if let Some(slot) = self.0.get_mut(stay.max(0) as usize) {
            *slot = spend;
        }
    }
}

/// The stays that happened, from a scan of the stays, waiting for their spend. The two scans
/// run side by side on two connections and are joined in memory by stay id. Ids are kept
/// apart from the facts so the join fills the facts in place: a second copy of ten million
/// facts would add most of a gigabyte to the peak.
pub(crate) struct StayScan {
    interner: Interner,
    ids: Vec<i64>,
    stays: Vec<StayFact>,
}

impl StayScan {
    pub fn new() -> Self {
        Self {
            interner: Interner::new(),
            ids: Vec::new(),
            stays: Vec::new(),
        }
    }

    pub fn push(&mut self, s: RealisedStay) {
        let clamp = |days: i64| days.clamp(0, i64::from(u16::MAX)) as u16;
        self.stays.push(StayFact {
            guest: s.guest,
            hotel: s.hotel,
            arrival: s.arrival,
            nights: clamp((s.departure - s.arrival).num_days()),
            lead_days: s.booked_at.map(|b| clamp((s.arrival - b).num_days())),
            channel: self.interner.intern(s.channel),
            market: self.interner.intern(s.market),
            room_type: self.interner.intern(s.room_type),
            special_requests: s.special_requests,
            spend: [0; SPEND_CATEGORIES],
        });
        self.ids.push(s.id);
    }

    pub fn join(mut self, spend: &SpendByStay) -> StayFacts {
        for (id, fact) in self.ids.iter().zip(&mut self.stays) {
            fact.spend = spend.0.get((*id).max(0) as usize).copied().unwrap_or_default();
        }
        self.interner.finish(self.stays)
    }
}

/// The latest analysis's report for one scope.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    pub as_of: NaiveDate,
    pub computed_at: DateTime<Utc>,
    pub report: rapport_value::analysis::ScopeReport,
}

impl StoredReport {
    pub(crate) fn decode(as_of: NaiveDate, computed_at: DateTime<Utc>, json: &str) -> Result<Self> {
        let report = serde_json::from_str(json).map_err(|e| crate::StoreError::Corrupt(format!("value report: {e}")))?;
        Ok(Self {
            as_of,
            computed_at,
            report,
        })
    }
}

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

impl StoredValue {
    /// The tier and RFM segment, as the benefit plan reads them.
    pub fn labels(&self) -> Option<(rapport_value::ValueTier, rapport_value::RfmSegment)> {
        let tier = serde_json::from_value(serde_json::Value::String(self.tier.clone())).ok()?;
        let segment = serde_json::from_value(serde_json::Value::String(self.rfm_segment.clone())).ok()?;
        Some((tier, segment))
    }
}

/// What a guest is entitled to under `plan`, from their latest values in the scopes given.
pub fn entitlement(plan: &rapport_value::benefits::BenefitPlan, values: &[StoredValue]) -> rapport_value::benefits::Entitlement {
    plan.entitlement(&values.iter().filter_map(StoredValue::labels).collect::<Vec<_>>())
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

/// A guest score as the row values to insert, in `INSERT_GUEST_VALUE`'s order (the currency
/// comes from the scope's report).
pub(crate) struct ValueRow {
    pub guest: i64,
    pub scope: i64,
    pub stays: i64,
    pub last_stay: NaiveDate,
    pub revenue: i64,
    pub tier: String,
    pub rfm_recency: i64,
    pub rfm_frequency: i64,
    pub rfm_monetary: i64,
    pub rfm_segment: String,
    pub probability_alive: Option<f64>,
    pub expected_stays: Option<f64>,
    pub expected_spend: Option<f64>,
    pub lifetime_value: Option<f64>,
    pub churn_risk: Option<String>,
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
            rfm_recency: i64::from(g.rfm.recency),
            rfm_frequency: i64::from(g.rfm.frequency),
            rfm_monetary: i64::from(g.rfm.monetary),
            rfm_segment: label(&g.rfm.segment),
            probability_alive: g.probability_alive,
            expected_stays: g.expected_stays,
            expected_spend: g.expected_spend,
            lifetime_value: g.lifetime_value,
            churn_risk: g.churn_risk.map(|c| c.as_str().to_string()),
        }
    }
}

/// The analysis's rows in the tables' key order (guest, scope): appended to the B-trees in
/// order rather than scattered over them.
pub(crate) fn rows_in_key_order(analysis: &rapport_value::analysis::Analysis) -> Vec<ValueRow> {
    let mut rows: Vec<ValueRow> = analysis.guests.iter().map(ValueRow::of).collect();
    rows.sort_unstable_by_key(|r| (r.guest, r.scope));
    rows
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
