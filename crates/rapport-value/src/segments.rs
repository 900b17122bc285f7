//! Rule-based guest segments: saved filters over a guest's value (tier, RFM segment, churn
//! risk, stays, revenue, recency, lifetime value), the hotel whose figures they use, and
//! their profile (VIP code, tags, nationality, language, preferences, allergies) — "VIP,
//! churn risk high, no stay for 180 days". Offers and campaigns pick their guests with them.
//!
//! A rule is plain data (JSON in storage and on the API); every condition left out matches
//! everyone, and the conditions given must all hold.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::lifetime_value::ChurnRisk;
use crate::rfm::RfmSegment;
use crate::tiers::ValueTier;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentRule {
    /// Whose figures: a hotel's code, or the whole group when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotel: Option<String>,
    /// Any of these tiers (`vip`, `major`, `ordinary`, `small`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub tiers: Vec<ValueTier>,
    /// Any of these RFM segments (`champions`, `loyal`, `cannot_lose`, `at_risk`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub rfm_segments: Vec<RfmSegment>,
    /// Any of these churn risks (`low`, `medium`, `high`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<String>)]
    pub churn_risks: Vec<ChurnRisk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_stays: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_stays: Option<u32>,
    /// Revenue in the scope's currency, minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_revenue: Option<i64>,
    /// No stay in the last this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_stay_for_days: Option<u32>,
    /// A stay in the last this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stayed_within_days: Option<u32>,
    /// Discounted lifetime value, minor units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_lifetime_value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_probability_alive: Option<f64>,
    /// Has (true) or has no (false) VIP code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vip_code: Option<bool>,
    /// Carries every one of these tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Any of these nationalities (ISO codes, any case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    /// Any of these languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// A preference whose key or value contains this text (any case), e.g. `spa`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preference: Option<String>,
    /// Has (true) or has no (false) recorded allergy or taboo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_taboos: Option<bool>,
}

/// What a rule reads of a guest's latest value in its scope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueFacts {
    pub tier: ValueTier,
    pub segment: RfmSegment,
    pub churn_risk: Option<ChurnRisk>,
    pub stays: u32,
    pub revenue: i64,
    pub last_stay: NaiveDate,
    pub lifetime_value: Option<f64>,
    pub probability_alive: Option<f64>,
}

/// What a rule reads of a guest's profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileFacts {
    pub vip_code: bool,
    pub tags: Vec<String>,
    pub nationality: Option<String>,
    pub language: Option<String>,
    /// `key value` of each preference.
    pub preferences: Vec<String>,
    pub has_taboos: bool,
}

impl SegmentRule {
    pub fn validate(&self) -> Result<(), String> {
        if let (Some(lo), Some(hi)) = (self.min_stays, self.max_stays) {
            if lo > hi {
                return Err("min_stays is above max_stays".into());
            }
        }
        if let Some(p) = self.max_probability_alive {
            if !(0.0..=1.0).contains(&p) {
                return Err("max_probability_alive must be between 0 and 1".into());
            }
        }
        if let (Some(none), Some(within)) = (self.no_stay_for_days, self.stayed_within_days) {
            if none >= within {
                return Err("no_stay_for_days and stayed_within_days exclude each other".into());
            }
        }
        Ok(())
    }

    /// Whether the rule needs the guest's profile (the value conditions alone are cheaper).
    pub fn reads_profile(&self) -> bool {
        self.vip_code.is_some()
            || !self.tags.is_empty()
            || !self.nationalities.is_empty()
            || !self.languages.is_empty()
            || self.preference.is_some()
            || self.has_taboos.is_some()
    }

    /// The value conditions, on the day `as_of`.
    pub fn matches_value(&self, v: &ValueFacts, as_of: NaiveDate) -> bool {
        let days_since = (as_of - v.last_stay).num_days();
        (self.tiers.is_empty() || self.tiers.contains(&v.tier))
            && (self.rfm_segments.is_empty() || self.rfm_segments.contains(&v.segment))
            && (self.churn_risks.is_empty() || v.churn_risk.is_some_and(|c| self.churn_risks.contains(&c)))
            && self.min_stays.is_none_or(|m| v.stays >= m)
            && self.max_stays.is_none_or(|m| v.stays <= m)
            && self.min_revenue.is_none_or(|m| v.revenue >= m)
            && self.no_stay_for_days.is_none_or(|d| days_since >= i64::from(d))
            && self.stayed_within_days.is_none_or(|d| days_since < i64::from(d))
            && self.min_lifetime_value.is_none_or(|m| v.lifetime_value.is_some_and(|l| l >= m))
            && self
                .max_probability_alive
                .is_none_or(|m| v.probability_alive.is_some_and(|p| p <= m))
    }

    /// The profile conditions.
    pub fn matches_profile(&self, p: &ProfileFacts) -> bool {
        let any_of = |wanted: &[String], have: &Option<String>| {
            wanted.is_empty() || have.as_ref().is_some_and(|h| wanted.iter().any(|w| w.eq_ignore_ascii_case(h)))
        };
        self.vip_code.is_none_or(|v| v == p.vip_code)
            && self.tags.iter().all(|t| p.tags.iter().any(|h| h.eq_ignore_ascii_case(t)))
            && any_of(&self.nationalities, &p.nationality)
            && any_of(&self.languages, &p.language)
            && self.preference.as_ref().is_none_or(|needle| {
                let needle = needle.to_lowercase();
                p.preferences.iter().any(|pref| pref.to_lowercase().contains(&needle))
            })
            && self.has_taboos.is_none_or(|t| t == p.has_taboos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn vip_slipping() -> ValueFacts {
        ValueFacts {
            tier: ValueTier::Vip,
            segment: RfmSegment::CannotLose,
            churn_risk: Some(ChurnRisk::High),
            stays: 6,
            revenue: 1_200_000,
            last_stay: d(2026, 1, 10),
            lifetime_value: Some(80_000.0),
            probability_alive: Some(0.2),
        }
    }

    #[test]
    fn vip_churn_high_no_stay_for_180_days() {
        let rule: SegmentRule = serde_json::from_str(r#"{"tiers": ["vip"], "churn_risks": ["high"], "no_stay_for_days": 180}"#).unwrap();
        assert!(rule.validate().is_ok() && !rule.reads_profile());
        assert!(rule.matches_value(&vip_slipping(), d(2026, 11, 23)));
        assert!(
            !rule.matches_value(&vip_slipping(), d(2026, 5, 1)),
            "only 111 days since the last stay"
        );
        let mut major = vip_slipping();
        major.tier = ValueTier::Major;
        assert!(!rule.matches_value(&major, d(2026, 11, 23)));
        let mut unmodelled = vip_slipping();
        unmodelled.churn_risk = None;
        assert!(
            !rule.matches_value(&unmodelled, d(2026, 11, 23)),
            "no model, no churn risk to match"
        );
    }

    #[test]
    fn profile_conditions_match_tags_nationality_preferences_and_taboos() {
        let rule: SegmentRule = serde_json::from_str(
            r#"{"tags": ["golfer"], "nationalities": ["cn"], "preference": "SPA", "has_taboos": false, "vip_code": true}"#,
        )
        .unwrap();
        assert!(rule.reads_profile());
        let mut p = ProfileFacts {
            vip_code: true,
            tags: vec!["Golfer".into(), "wine".into()],
            nationality: Some("CN".into()),
            language: Some("zh".into()),
            preferences: vec!["service spa treatment before dinner".into()],
            has_taboos: false,
        };
        assert!(rule.matches_profile(&p));
        p.has_taboos = true;
        assert!(!rule.matches_profile(&p));
        assert!(
            SegmentRule::default().matches_profile(&ProfileFacts::default()),
            "an empty rule matches everyone"
        );
    }

    #[test]
    fn contradictory_or_unknown_conditions_are_refused() {
        let r: SegmentRule = serde_json::from_str(r#"{"min_stays": 5, "max_stays": 2}"#).unwrap();
        assert!(r.validate().is_err());
        let r: SegmentRule = serde_json::from_str(r#"{"no_stay_for_days": 400, "stayed_within_days": 30}"#).unwrap();
        assert!(r.validate().is_err());
        assert!(
            serde_json::from_str::<SegmentRule>(r#"{"tier": ["vip"]}"#).is_err(),
            "a misspelt condition is an error, not 'everyone'"
        );
        assert!(serde_json::from_str::<SegmentRule>(r#"{"tiers": ["platinum"]}"#).is_err());
    }
}
