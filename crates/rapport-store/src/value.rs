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
    pub guest: i64,
    pub hotel: i64,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    pub booked_at: Option<NaiveDate>,
    pub channel: Option<&'a str>,
    pub market: Option<&'a str>,
    pub room_type: Option<&'a str>,
    pub special_requests: bool,
    /// The stay's spend totals (see [`stay_spend_totals`]).
    pub spend: [i64; SPEND_CATEGORIES],
}

/// A new stay's spend by category, in the order of `SpendCategory::ALL` and of the stay's
/// `spend_*` columns (migration 13), as the triggers on its lines would add it up. The
/// import writes these with the stay itself.
pub(crate) fn stay_spend_totals(stay: &rapport_domain::stay::NewStay) -> [i64; SPEND_CATEGORIES] {
    use rapport_domain::stay::SpendCategory;
    let mut totals = [0; SPEND_CATEGORIES];
    for line in &stay.spend {
        let column = SpendCategory::ALL
            .iter()
            .position(|c| *c == line.category)
            .expect("every category has a column");
        totals[column] += line.amount.minor;
    }
    totals
}

/// The stays that happened, with their spend, from a scan of the stays in id order.
pub(crate) struct StayScan {
    interner: Interner,
    stays: Vec<StayFact>,
}

impl StayScan {
    /// Room for `stays` up front: growing by doubling would copy most of a gigabyte of facts
    /// on the way, and room never filled is address space, not memory.
    pub fn with_capacity(stays: usize) -> Self {
        Self {
            interner: Interner::new(),
            stays: Vec::with_capacity(stays),
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
            spend: s.spend,
        });
    }

    /// The stays of `later` (a scan of higher ids) after these, their labels renumbered
    /// into this scan's: the same facts and labels one scan of both ranges would give.
    pub fn append(&mut self, later: StayScan) {
        let renumber: Vec<u32> = later.interner.labels().iter().map(|l| self.interner.intern(Some(l))).collect();
        self.stays.extend(later.stays.into_iter().map(|mut f| {
            f.channel = renumber[f.channel as usize];
            f.market = renumber[f.market as usize];
            f.room_type = renumber[f.room_type as usize];
            f
        }));
    }

    /// A scan of the ids up to `max` split in two ranges, `(from, to]` each, with the room
    /// each scan needs: the first takes the second's stays in when done.
    pub fn halves(max: i64) -> [((i64, i64), usize); 2] {
        let max = max.max(0);
        let mid = max / 2;
        [((0, mid), max as usize), ((mid, max), (max - mid) as usize)]
    }

    pub fn finish(self) -> StayFacts {
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

/// A guest score as the row values to insert, in `INSERT_GUEST_VALUE`'s order (the currency
/// comes from the scope's report). Labels are the enums' static names: millions of rows.
pub(crate) struct ValueRow {
    pub guest: i64,
    pub scope: i64,
    pub stays: i64,
    pub last_stay: NaiveDate,
    pub revenue: i64,
    pub tier: &'static str,
    pub rfm_recency: i64,
    pub rfm_frequency: i64,
    pub rfm_monetary: i64,
    pub rfm_segment: &'static str,
    pub probability_alive: Option<f64>,
    pub expected_stays: Option<f64>,
    pub expected_spend: Option<f64>,
    pub lifetime_value: Option<f64>,
    pub churn_risk: Option<&'static str>,
}

impl ValueRow {
    pub fn of(g: &GuestScore) -> Self {
        Self {
            guest: g.guest,
            scope: scope_key(g.scope),
            stays: i64::from(g.stays),
            last_stay: g.last_stay,
            revenue: g.revenue,
            tier: g.tier.as_str(),
            rfm_recency: i64::from(g.rfm.recency),
            rfm_frequency: i64::from(g.rfm.frequency),
            rfm_monetary: i64::from(g.rfm.monetary),
            rfm_segment: g.rfm.segment.as_str(),
            probability_alive: g.probability_alive,
            expected_stays: g.expected_stays,
            expected_spend: g.expected_spend,
            lifetime_value: g.lifetime_value,
            churn_risk: g.churn_risk.map(|c| c.as_str()),
        }
    }
}

/// The analysis's rows in the tables' key order (guest, scope): appended to the B-trees in
/// order rather than scattered over them.
pub(crate) fn rows_in_key_order(analysis: &rapport_value::analysis::Analysis) -> Vec<ValueRow> {
    // The keys are sorted, not the rows: moving millions of 100-byte rows costs more.
    let mut keys: Vec<(i64, i64, usize)> = analysis
        .guests
        .iter()
        .enumerate()
        .map(|(i, g)| (g.guest, scope_key(g.scope), i))
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|(_, _, i)| ValueRow::of(&analysis.guests[i])).collect()
}

/// Which rows change a guest's stored tier, found by walking the stored tiers
/// (`sql::CURRENT_TIERS`, in key order) beside the rows (in key order too): no map of
/// millions of keys, no string per stored row.
pub(crate) struct TierChanges<'a> {
    rows: &'a [ValueRow],
    next: usize,
    unchanged: Vec<bool>,
}

impl<'a> TierChanges<'a> {
    pub fn new(rows: &'a [ValueRow]) -> Self {
        Self {
            rows,
            next: 0,
            unchanged: vec![false; rows.len()],
        }
    }

    /// One stored tier; calls must come in key order.
    pub fn stored(&mut self, guest: i64, scope: i64, tier: &[u8]) {
        while self.rows.get(self.next).is_some_and(|r| (r.guest, r.scope) < (guest, scope)) {
            self.next += 1;
        }
        if let Some(r) = self.rows.get(self.next).filter(|r| (r.guest, r.scope) == (guest, scope)) {
            self.unchanged[self.next] = r.tier.as_bytes() == tier;
        }
    }

    /// The rows whose tier is new or differs from the stored one.
    pub fn changes(self) -> Vec<&'a ValueRow> {
        self.rows
            .iter()
            .zip(self.unchanged)
            .filter(|(_, same)| !same)
            .map(|(r, _)| r)
            .collect()
    }
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
