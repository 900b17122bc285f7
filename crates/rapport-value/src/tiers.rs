//! Value tiers by cumulative revenue share: rank guests by revenue, walk down the list adding
//! up their share of the total, and cut where the running share crosses each threshold.

use serde::{Deserialize, Serialize};

/// VIP / major / ordinary / small guest (VIP客户 / 主要客户 / 普通客户 / 小客户).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueTier {
    Vip,
    Major,
    Ordinary,
    Small,
}

impl ValueTier {
    pub const ALL: [ValueTier; 4] = [Self::Vip, Self::Major, Self::Ordinary, Self::Small];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vip => "vip",
            Self::Major => "major",
            Self::Ordinary => "ordinary",
            Self::Small => "small",
        }
    }
}

/// Cumulative revenue shares at which each tier ends.
///
/// The defaults follow the ABC analysis hotels already use for the 80/20 rule: VIPs are the
/// best guests who together bring the first half of revenue, major guests the next 30 points
/// (so VIP and major together are the "20% who bring 80%"), ordinary guests the next 15 and
/// small guests the last 5%.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TierThresholds {
    pub vip: f64,
    pub major: f64,
    pub ordinary: f64,
}

impl Default for TierThresholds {
    fn default() -> Self {
        TierThresholds {
            vip: 0.50,
            major: 0.80,
            ordinary: 0.95,
        }
    }
}

impl TierThresholds {
    /// Thresholds must rise within [0, 1].
    pub fn new(vip: f64, major: f64, ordinary: f64) -> Result<TierThresholds, String> {
        if !(0.0 <= vip && vip <= major && major <= ordinary && ordinary <= 1.0) {
            return Err(format!(
                "tier thresholds must satisfy 0 ≤ vip ≤ major ≤ ordinary ≤ 1, got {vip}, {major}, {ordinary}"
            ));
        }
        Ok(TierThresholds { vip, major, ordinary })
    }
}

/// The tier of each guest, in the order given. A guest belongs to the tier in which their
/// revenue starts: the top guest is a VIP even if they alone bring more than half, and the
/// guest who crosses a threshold stays on the upper side of it. Guests with equal revenue get
/// the same tier (the one of the first of them), and guests without revenue are small.
pub fn value_tiers(revenues: &[i64], thresholds: &TierThresholds) -> Vec<ValueTier> {
    let mut order: Vec<usize> = (0..revenues.len()).collect();
    order.sort_unstable_by(|&i, &j| revenues[j].cmp(&revenues[i]));
    let total: u128 = revenues.iter().map(|&r| r.max(0) as u128).sum();
    let mut tiers = vec![ValueTier::Small; revenues.len()];
    let mut before = 0u128;
    let mut previous: Option<(i64, ValueTier)> = None;
    for i in order {
        let r = revenues[i];
        if r <= 0 || total == 0 {
            break;
        }
        let tier = match previous {
            Some((last, tier)) if last == r => tier,
            _ => {
                let share = before as f64 / total as f64;
                if share < thresholds.vip {
                    ValueTier::Vip
                } else if share < thresholds.major {
                    ValueTier::Major
                } else if share < thresholds.ordinary {
                    ValueTier::Ordinary
                } else {
                    ValueTier::Small
                }
            }
        };
        tiers[i] = tier;
        previous = Some((r, tier));
        before += r as u128;
    }
    tiers
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValueTier::*;

    #[test]
    fn cuts_at_cumulative_shares() {
        // Total 100: 40 (starts at 0%), 20 (40%), 15 (60%), 10 (75%), 8 (85%), 4 (93%), 3 (97%).
        let revenues = [10, 40, 3, 15, 8, 20, 4];
        let tiers = value_tiers(&revenues, &TierThresholds::default());
        assert_eq!(tiers, [Major, Vip, Small, Major, Ordinary, Vip, Ordinary]);
    }

    #[test]
    fn one_dominant_guest_is_the_only_vip() {
        // The second 5 starts at 95% and alone would be small; equal revenue, equal tier.
        let tiers = value_tiers(&[90, 5, 5], &TierThresholds::default());
        assert_eq!(tiers, [Vip, Ordinary, Ordinary]);
    }

    #[test]
    fn guests_without_revenue_are_small() {
        let tiers = value_tiers(&[0, -20, 100], &TierThresholds::default());
        assert_eq!(tiers, [Small, Small, Vip]);
        assert!(value_tiers(&[], &TierThresholds::default()).is_empty());
    }

    #[test]
    fn thresholds_are_configurable_and_checked() {
        let top_heavy = TierThresholds::new(0.2, 0.5, 0.9).unwrap();
        let tiers = value_tiers(&[40, 30, 20, 10], &top_heavy);
        assert_eq!(tiers, [Vip, Major, Ordinary, Small]);
        assert!(TierThresholds::new(0.8, 0.5, 0.9).is_err());
        assert!(TierThresholds::new(0.5, 0.8, 1.5).is_err());
    }
}
