//! Saved guest segments and who is in them.
//!
//! A segment is a named [`SegmentRule`]; its members are found from the latest value
//! analysis of the rule's scope (one indexed scan, most revenue first), then, when the rule
//! reads the profile, from each candidate's profile.

use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::guest::{Guest, GuestId};
use rapport_domain::hotel::HotelId;
use rapport_value::segments::{ProfileFacts, SegmentRule, ValueFacts};
use serde::Serialize;

use crate::rows::Cols;
use crate::value::StoredValue;
use crate::{Page, Result, Store, StoreError};

/// Row id of a saved segment.
pub type SegmentId = i64;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SavedSegment {
    pub id: SegmentId,
    pub name: String,
    pub description: String,
    pub rule: SegmentRule,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewSegment {
    pub name: String,
    pub description: String,
    pub rule: SegmentRule,
    pub created_by: String,
}

/// A guest in a segment, with the figures that put them there.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SegmentMember {
    pub guest_id: GuestId,
    pub value: StoredValue,
}

pub(crate) fn saved_segment(r: &impl Cols) -> Result<SavedSegment> {
    let rule: String = r.col(3)?;
    Ok(SavedSegment {
        id: r.col(0)?,
        name: r.col(1)?,
        description: r.col(2)?,
        rule: serde_json::from_str(&rule).map_err(|e| StoreError::Corrupt(format!("segment rule: {e}")))?,
        created_by: r.col(4)?,
        created_at: r.col(5)?,
    })
}

pub(crate) fn rule_json(rule: &SegmentRule) -> String {
    serde_json::to_string(rule).expect("a rule serialises")
}

fn value_facts(v: &StoredValue) -> Option<ValueFacts> {
    let (tier, segment) = v.labels()?;
    Some(ValueFacts {
        tier,
        segment,
        churn_risk: v
            .churn_risk
            .as_deref()
            .and_then(|c| serde_json::from_value(serde_json::Value::String(c.to_string())).ok()),
        stays: u32::try_from(v.stays).unwrap_or(u32::MAX),
        revenue: v.revenue,
        last_stay: v.last_stay,
        lifetime_value: v.lifetime_value,
        probability_alive: v.probability_alive,
    })
}

pub fn profile_facts(g: &Guest) -> ProfileFacts {
    let p = &g.profile;
    ProfileFacts {
        vip_code: p.vip_code.as_deref().is_some_and(|c| !c.trim().is_empty()),
        tags: p.tags.clone(),
        // Profiles imported before countries were stored as alpha-2 may hold `GBR`.
        nationality: p.nationality.as_deref().map(rapport_domain::country::comparable),
        language: p.language.clone(),
        preferences: p.preferences.iter().map(|x| format!("{} {}", x.key, x.value)).collect(),
        has_taboos: !p.taboos.is_empty(),
    }
}

/// The members of `rule` in the scope `hotel` (the group when `None`) as of `as_of`, most
/// revenue first, paged, with the total.
pub async fn members(
    store: &dyn Store,
    rule: &SegmentRule,
    hotel: Option<HotelId>,
    as_of: NaiveDate,
    offset: i64,
    limit: i64,
) -> Result<Page<SegmentMember>> {
    // A rule saved with `GBR` (or `gb`) compares as `GB`, like the profiles' side.
    let mut rule = rule.clone();
    rule.nationalities = rule.nationalities.iter().map(|n| rapport_domain::country::comparable(n)).collect();
    let rule = &rule;
    let candidates = store.scope_values(hotel).await?;
    let mut matched = Vec::new();
    for (guest_id, value) in candidates {
        if !value_facts(&value).is_some_and(|f| rule.matches_value(&f, as_of)) {
            continue;
        }
        if rule.reads_profile() {
            match store.guest(guest_id).await {
                Ok(g) if rule.matches_profile(&profile_facts(&g)) => {}
                // Not matching, or merged away or erased since the analysis.
                Ok(_) | Err(StoreError::NotFound(_) | StoreError::Merged { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        matched.push(SegmentMember { guest_id, value });
    }
    let total = matched.len() as i64;
    let items = matched
        .into_iter()
        .skip(offset.max(0) as usize)
        .take(limit.max(0) as usize)
        .collect();
    Ok(Page {
        items,
        total,
        offset,
        limit,
        total_capped: false,
    })
}
