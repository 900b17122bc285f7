//! Everything for one transaction log: fit both models on the calibration period, predict
//! every customer, and check the purchase model against the holdout period.

use serde::Serialize;

use crate::bgnbd::{BgNbd, BgNbdFit};
use crate::error::FitError;
use crate::gamma_gamma::{GammaGamma, GammaGammaFit, SpendHistory};
use crate::history::{CustomerHistory, Period, Window};
use crate::holdout::{self, HoldoutCheck};
use crate::lifetime_value::{discounted_purchases_if_alive, ChurnBands, ChurnRisk, ValueHorizon};
use crate::patterns::{collapse, PurchasePattern};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ValueSettings {
    pub period: Period,
    /// Expected purchases are given over this many periods.
    pub horizon_periods: f64,
    pub lifetime: ValueHorizon,
    pub churn: ChurnBands,
}

impl ValueSettings {
    /// A year ahead for expected purchases, twelve months at 1% a month for lifetime value
    /// (lifetimes' defaults), churn bands at one and two thirds.
    pub fn new(period: Period) -> ValueSettings {
        ValueSettings {
            period,
            horizon_periods: 365.0 / f64::from(period.days()),
            lifetime: ValueHorizon {
                months: 12,
                monthly_discount_rate: 0.01,
                periods_per_month: period.per_month(),
            },
            churn: ChurnBands::default(),
        }
    }
}

/// What the models say about one customer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GuestValue {
    pub customer: u32,
    pub frequency: u32,
    pub recency: f64,
    pub age: f64,
    pub monetary_value: f64,
    pub probability_alive: f64,
    /// Over `ValueSettings::horizon_periods`.
    pub expected_purchases: f64,
    /// Per purchase, from the spend model.
    pub expected_spend: f64,
    pub lifetime_value: f64,
    pub churn_risk: ChurnRisk,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Valuation {
    pub purchases: BgNbdFit,
    pub spend: GammaGammaFit,
    /// In the order of the histories given.
    pub guests: Vec<GuestValue>,
    /// None when the observation ends with the calibration.
    pub holdout: Option<HoldoutCheck>,
    /// Distinct (x, t_x, T) patterns the purchase model was fitted and evaluated on.
    pub patterns: usize,
}

/// Per pattern: P(alive), expected purchases over the horizon and over the holdout, discounted
/// purchases for lifetime value.
type PatternPrediction = (f64, f64, f64, f64);

pub fn value_customers(histories: &[CustomerHistory], window: &Window, settings: &ValueSettings) -> Result<Valuation, FitError> {
    let collapsed = collapse(histories, settings.period);
    let purchases = BgNbd::fit(&collapsed.patterns)?;
    let spend_histories: Vec<SpendHistory> = histories
        .iter()
        .map(|h| SpendHistory {
            frequency: h.frequency,
            mean_spend: h.monetary_value(),
        })
        .collect();
    let spend = GammaGamma::fit(&spend_histories)?;

    let holdout_periods = f64::from(window.holdout_days()) / f64::from(settings.period.days());
    let predictions = predict_patterns(&purchases.model, &collapsed.patterns, settings, holdout_periods)?;

    let guests: Vec<GuestValue> = histories
        .iter()
        .zip(&collapsed.of_customer)
        .map(|(h, &pi)| {
            let pattern = &collapsed.patterns[pi as usize];
            let (alive, horizon, _, discounted) = predictions[pi as usize];
            let expected_spend = spend.model.expected_spend(h.frequency, h.monetary_value());
            GuestValue {
                customer: h.customer,
                frequency: h.frequency,
                recency: pattern.recency,
                age: pattern.age,
                monetary_value: h.monetary_value(),
                probability_alive: alive,
                expected_purchases: horizon,
                expected_spend,
                lifetime_value: expected_spend * discounted,
                churn_risk: settings.churn.band(alive),
            }
        })
        .collect();
    let holdout = (holdout_periods > 0.0).then(|| {
        let predicted: Vec<f64> = collapsed.of_customer.iter().map(|&pi| predictions[pi as usize].2).collect();
        holdout::check(histories, &predicted, holdout_periods)
    });
    Ok(Valuation {
        purchases,
        spend,
        guests,
        holdout,
        patterns: collapsed.patterns.len(),
    })
}

/// P(alive) varies with each pattern, but what a customer buys if still alive depends on the
/// frequency and age only (see [`BgNbd::expected_purchases_if_alive`]): the fourteen 2F1
/// series per customer (horizon, holdout, twelve months of lifetime value) are summed once per
/// distinct (frequency, age), a few thousand for a million customers, and each pattern only
/// scales them by its P(alive).
fn predict_patterns(
    model: &BgNbd,
    patterns: &[PurchasePattern],
    settings: &ValueSettings,
    holdout_periods: f64,
) -> Result<Vec<PatternPrediction>, FitError> {
    let mut cohorts: Vec<(u32, u64)> = patterns.iter().map(|p| (p.frequency, p.age.to_bits())).collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    let if_alive = cohorts
        .iter()
        .map(|&(frequency, age)| {
            let age = f64::from_bits(age);
            Ok((
                model.expected_purchases_if_alive(settings.horizon_periods, frequency, age)?,
                model.expected_purchases_if_alive(holdout_periods, frequency, age)?,
                discounted_purchases_if_alive(model, &settings.lifetime, frequency, age)?,
            ))
        })
        .collect::<Result<Vec<_>, FitError>>()?;
    Ok(patterns
        .iter()
        .map(|p| {
            let cohort = cohorts
                .binary_search(&(p.frequency, p.age.to_bits()))
                .expect("every pattern's cohort was collected");
            let (horizon, holdout, discounted) = if_alive[cohort];
            let alive = model.probability_alive(p.frequency, p.recency, p.age);
            (alive, alive * horizon, alive * holdout, alive * discounted)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifetime_value::discounted_purchases;

    #[test]
    fn shared_cohort_sums_give_each_pattern_its_own_predictions() {
        let model = BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        let pattern = |frequency, recency, age| PurchasePattern {
            frequency,
            recency,
            age,
            customers: 1,
        };
        // Three patterns share frequency 2 and age 38; two more differ in one of them.
        let patterns = [
            pattern(2, 5.0, 38.0),
            pattern(2, 30.0, 38.0),
            pattern(2, 38.0, 38.0),
            pattern(2, 30.0, 20.0),
            pattern(0, 0.0, 38.0),
            pattern(7, 37.5, 38.0),
        ];
        let settings = ValueSettings::new(Period::Week);
        let got = predict_patterns(&model, &patterns, &settings, 39.0).unwrap();
        for (p, &(alive, horizon, holdout, discounted)) in patterns.iter().zip(&got) {
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-13 * b.abs().max(1e-300);
            assert_eq!(alive, model.probability_alive(p.frequency, p.recency, p.age));
            let want_horizon = model
                .expected_purchases(settings.horizon_periods, p.frequency, p.recency, p.age)
                .unwrap();
            assert!(close(horizon, want_horizon), "{p:?}: {horizon} vs {want_horizon}");
            let want_holdout = model.expected_purchases(39.0, p.frequency, p.recency, p.age).unwrap();
            assert!(close(holdout, want_holdout), "{p:?}");
            let want_discounted = discounted_purchases(&model, &settings.lifetime, p).unwrap();
            assert!(close(discounted, want_discounted), "{p:?}: {discounted} vs {want_discounted}");
        }
        assert!(
            got[0].1 < got[1].1 && got[1].1 < got[2].1,
            "a later last purchase means more to come"
        );
    }
}
