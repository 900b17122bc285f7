//! Differentiated treatment: what each value tier and RFM segment is offered — a discount,
//! a gift, an upgrade, late check-out, credit terms — so that staff treat a VIP as a VIP at
//! every hotel of the group, and a valuable guest who is slipping away gets a reason to
//! come back. The plan is the group's own (`[[value.benefits]]` in `rapport.toml`); the
//! defaults below are a sensible start.

use serde::{Deserialize, Serialize};

use crate::rfm::RfmSegment;
use crate::tiers::ValueTier;

/// One rule of the plan: who it is for — a value tier or an RFM segment, exactly one — and
/// what it grants (every part optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<ValueTier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<RfmSegment>,
    /// Off the best available rate, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<String>,
    /// Latest check-out time, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_checkout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_terms: Option<String>,
}

/// What one guest is entitled to, combined over every rule that applies, with the reasons.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Entitlement {
    /// The largest discount of the rules that apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<f64>,
    /// Every gift of the rules that apply (a VIP at risk gets the VIP gift and the win-back one).
    pub gifts: Vec<String>,
    /// The first upgrade in the plan's order (tiers first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<String>,
    /// The first late check-out in the plan's order, `HH:MM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_checkout: Option<String>,
    /// The first credit terms in the plan's order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit_terms: Option<String>,
    /// The tiers and segments that granted them: `tier:vip`, `segment:at_risk`.
    pub because: Vec<String>,
}

impl Entitlement {
    pub fn is_empty(&self) -> bool {
        self.because.is_empty()
    }
}

/// The group's benefit plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitPlan {
    pub rules: Vec<BenefitRule>,
}

impl Default for BenefitPlan {
    /// VIPs: 10% off, a welcome amenity, the best available room, check-out at 16:00 and
    /// thirty days' credit; major guests: 5%, a welcome drink, one category up, 14:00. Valuable
    /// guests who are slipping away (RFM "at risk", "cannot lose") get a personal call and a
    /// return offer on top.
    fn default() -> Self {
        let win_back = |segment| BenefitRule {
            segment: Some(segment),
            discount_percent: Some(15.0),
            gift: Some("Personal call from guest relations with a return offer".into()),
            ..BenefitRule::default()
        };
        Self {
            rules: vec![
                BenefitRule {
                    tier: Some(ValueTier::Vip),
                    discount_percent: Some(10.0),
                    gift: Some("Welcome amenity and handwritten card".into()),
                    upgrade: Some("Best available room".into()),
                    late_checkout: Some("16:00".into()),
                    credit_terms: Some("30 days on account".into()),
                    ..BenefitRule::default()
                },
                BenefitRule {
                    tier: Some(ValueTier::Major),
                    discount_percent: Some(5.0),
                    gift: Some("Welcome drink".into()),
                    upgrade: Some("One category, subject to availability".into()),
                    late_checkout: Some("14:00".into()),
                    ..BenefitRule::default()
                },
                win_back(RfmSegment::CannotLose),
                win_back(RfmSegment::AtRisk),
            ],
        }
    }
}

impl BenefitPlan {
    /// Checks that each rule names exactly one tier or segment and a sane discount.
    pub fn validate(&self) -> Result<(), String> {
        for (i, r) in self.rules.iter().enumerate() {
            if r.tier.is_some() == r.segment.is_some() {
                return Err(format!("benefit rule {}: name either a tier or a segment", i + 1));
            }
            if let Some(d) = r.discount_percent {
                if !(0.0..=100.0).contains(&d) {
                    return Err(format!("benefit rule {}: discount_percent must be between 0 and 100", i + 1));
                }
            }
        }
        Ok(())
    }

    /// The entitlement of a guest with these (tier, RFM segment) labels — one per scope that
    /// applies, e.g. the group and the hotel they arrive at: the best of each applies.
    pub fn entitlement(&self, labels: &[(ValueTier, RfmSegment)]) -> Entitlement {
        let mut e = Entitlement::default();
        for rule in &self.rules {
            let why = match (rule.tier, rule.segment) {
                (Some(t), _) if labels.iter().any(|(lt, _)| *lt == t) => format!("tier:{}", t.as_str()),
                (_, Some(s)) if labels.iter().any(|(_, ls)| *ls == s) => format!("segment:{}", s.as_str()),
                _ => continue,
            };
            let o = rule;
            e.discount_percent = match (e.discount_percent, o.discount_percent) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            if let Some(g) = &o.gift {
                if !e.gifts.contains(g) {
                    e.gifts.push(g.clone());
                }
            }
            e.upgrade = e.upgrade.take().or_else(|| o.upgrade.clone());
            e.late_checkout = e.late_checkout.take().or_else(|| o.late_checkout.clone());
            e.credit_terms = e.credit_terms.take().or_else(|| o.credit_terms.clone());
            if !e.because.contains(&why) {
                e.because.push(why);
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vip_at_risk_gets_the_vip_treatment_and_the_win_back_offer() {
        let plan = BenefitPlan::default();
        let e = plan.entitlement(&[(ValueTier::Vip, RfmSegment::AtRisk)]);
        assert_eq!(e.discount_percent, Some(15.0), "the larger discount");
        assert_eq!(e.gifts.len(), 2);
        assert_eq!(e.late_checkout.as_deref(), Some("16:00"));
        assert_eq!(e.because, vec!["tier:vip", "segment:at_risk"]);
    }

    #[test]
    fn the_best_scope_wins_and_small_guests_get_nothing() {
        let plan = BenefitPlan::default();
        // Major at the hotel, VIP across the group: treated as a VIP.
        let e = plan.entitlement(&[(ValueTier::Major, RfmSegment::Loyal), (ValueTier::Vip, RfmSegment::Champions)]);
        assert_eq!(e.upgrade.as_deref(), Some("Best available room"));
        assert_eq!(e.discount_percent, Some(10.0));
        assert!(plan.entitlement(&[(ValueTier::Small, RfmSegment::NewOrPromising)]).is_empty());
        assert!(plan.entitlement(&[]).is_empty());
    }

    #[test]
    fn a_plan_from_the_configuration_file_is_checked() {
        let plan: BenefitPlan = serde_json::from_str(
            r#"{"rules": [{"tier": "vip", "discount_percent": 12, "gift": "Champagne"}, {"segment": "champions", "late_checkout": "13:00"}]}"#,
        )
        .unwrap();
        assert!(plan.validate().is_ok());
        assert_eq!(plan.entitlement(&[(ValueTier::Vip, RfmSegment::Lapsed)]).gifts, vec!["Champagne"]);
        let both: BenefitPlan = serde_json::from_str(r#"{"rules": [{"tier": "vip", "segment": "loyal"}]}"#).unwrap();
        assert!(both.validate().unwrap_err().contains("either a tier or a segment"));
        let silly: BenefitPlan = serde_json::from_str(r#"{"rules": [{"tier": "vip", "discount_percent": 150}]}"#).unwrap();
        assert!(silly.validate().is_err());
    }
}
