//! Discounted lifetime value and churn-risk bands.

use serde::{Deserialize, Serialize};

use crate::bgnbd::BgNbd;
use crate::hypergeometric::SeriesError;
use crate::patterns::PurchasePattern;

/// How far ahead lifetime value looks and how it discounts: `months` monthly steps, each
/// month's expected purchases discounted by (1 + rate)^month, as lifetimes'
/// `customer_lifetime_value(time=months, discount_rate=rate)` does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ValueHorizon {
    pub months: u32,
    pub monthly_discount_rate: f64,
    /// Length of a month in the model's periods (30 days, 4.345 weeks).
    pub periods_per_month: f64,
}

/// Σ_{i=1..months} (E[X(i·m)] − E[X((i−1)·m)]) / (1 + d)^i for one purchase pattern: the
/// discounted expected number of purchases. Lifetime value is this times expected spend.
pub fn discounted_purchases(model: &BgNbd, horizon: &ValueHorizon, p: &PurchasePattern) -> Result<f64, SeriesError> {
    Ok(discounted_purchases_if_alive(model, horizon, p.frequency, p.age)? * model.probability_alive(p.frequency, p.recency, p.age))
}

/// The same for a customer who is still active: [`discounted_purchases`] is this times
/// P(alive), and like [`BgNbd::expected_purchases_if_alive`] it depends on the frequency and
/// age only.
pub fn discounted_purchases_if_alive(model: &BgNbd, horizon: &ValueHorizon, frequency: u32, age: f64) -> Result<f64, SeriesError> {
    let mut total = 0.0;
    let mut before = 0.0;
    let mut discount = 1.0;
    for month in 1..=horizon.months {
        let cumulative = model.expected_purchases_if_alive(f64::from(month) * horizon.periods_per_month, frequency, age)?;
        discount /= 1.0 + horizon.monthly_discount_rate;
        total += (cumulative - before) * discount;
        before = cumulative;
    }
    Ok(total)
}

/// A guest's risk of having lapsed, from the probability that they are still active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChurnRisk {
    Low,
    Medium,
    High,
}

impl ChurnRisk {
    pub fn as_str(self) -> &'static str {
        match self {
            ChurnRisk::Low => "low",
            ChurnRisk::Medium => "medium",
            ChurnRisk::High => "high",
        }
    }
}

/// Thresholds on P(alive). The defaults call a guest at high risk when the model gives them
/// less than a one-in-three chance of still being active, and at low risk from two in three:
/// a win-back campaign then reaches the high band, and the medium band is where a reminder
/// pays. Note that BG/NBD gives P(alive) = 1 to guests with a single stay (they cannot have
/// dropped out after a repeat stay they never made), so they are always low risk; use their
/// expected stays to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChurnBands {
    pub high_below: f64,
    pub medium_below: f64,
}

impl Default for ChurnBands {
    fn default() -> Self {
        ChurnBands {
            high_below: 1.0 / 3.0,
            medium_below: 2.0 / 3.0,
        }
    }
}

impl ChurnBands {
    pub fn band(&self, probability_alive: f64) -> ChurnRisk {
        if probability_alive < self.high_below {
            ChurnRisk::High
        } else if probability_alive < self.medium_below {
            ChurnRisk::Medium
        } else {
            ChurnRisk::Low
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAPER: BgNbd = BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    fn pattern(frequency: u32, recency: f64, age: f64) -> PurchasePattern {
        PurchasePattern {
            frequency,
            recency,
            age,
            customers: 1,
        }
    }

    #[test]
    fn without_discounting_it_is_the_expected_purchases_over_the_horizon() {
        let p = pattern(3, 30.0, 38.0);
        let horizon = ValueHorizon {
            months: 12,
            monthly_discount_rate: 0.0,
            periods_per_month: 4.345,
        };
        let undiscounted = discounted_purchases(&PAPER, &horizon, &p).unwrap();
        let direct = PAPER.expected_purchases(12.0 * 4.345, 3, 30.0, 38.0).unwrap();
        assert!((undiscounted - direct).abs() < 1e-12);
    }

    #[test]
    fn discounting_lowers_value_and_each_month_is_discounted_once() {
        let p = pattern(3, 30.0, 38.0);
        let at = |rate: f64, months: u32| {
            let h = ValueHorizon {
                months,
                monthly_discount_rate: rate,
                periods_per_month: 4.345,
            };
            discounted_purchases(&PAPER, &h, &p).unwrap()
        };
        assert!(at(0.01, 12) < at(0.0, 12));
        let first_month = PAPER.expected_purchases(4.345, 3, 30.0, 38.0).unwrap();
        assert!((at(0.01, 1) - first_month / 1.01).abs() < 1e-12);
    }

    #[test]
    fn bands_follow_the_thresholds() {
        let bands = ChurnBands::default();
        assert_eq!(bands.band(0.1), ChurnRisk::High);
        assert_eq!(bands.band(0.5), ChurnRisk::Medium);
        assert_eq!(bands.band(2.0 / 3.0), ChurnRisk::Low);
        assert_eq!(bands.band(1.0), ChurnRisk::Low);
    }
}
