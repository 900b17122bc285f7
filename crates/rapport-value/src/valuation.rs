//! Everything for one transaction log: fit both models on the calibration period, predict
//! every customer, and check the purchase model against the holdout period.

use serde::Serialize;

use crate::bgnbd::{BgNbd, BgNbdFit};
use crate::error::FitError;
use crate::gamma_gamma::{GammaGamma, GammaGammaFit, SpendHistory};
use crate::history::{CustomerHistory, Period, Window};
use crate::holdout::{self, HoldoutCheck};
use crate::lifetime_value::{discounted_purchases, ChurnBands, ChurnRisk, ValueHorizon};
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

/// Each pattern costs a dozen 2F1 series; with many patterns they are split over the cores.
fn predict_patterns(
    model: &BgNbd,
    patterns: &[PurchasePattern],
    settings: &ValueSettings,
    holdout_periods: f64,
) -> Result<Vec<PatternPrediction>, FitError> {
    let one = |p: &PurchasePattern| -> Result<PatternPrediction, FitError> {
        Ok((
            model.probability_alive(p.frequency, p.recency, p.age),
            model.expected_purchases(settings.horizon_periods, p.frequency, p.recency, p.age)?,
            model.expected_purchases(holdout_periods, p.frequency, p.recency, p.age)?,
            discounted_purchases(model, &settings.lifetime, p)?,
        ))
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads == 1 || patterns.len() < 20_000 {
        return patterns.iter().map(one).collect();
    }
    let chunk = patterns.len().div_ceil(threads);
    let parts: Vec<Result<Vec<PatternPrediction>, FitError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = patterns
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Result<Vec<_>, _>>()))
            .collect();
        handles.into_iter().map(|h| h.join().expect("prediction thread panicked")).collect()
    });
    let mut all = Vec::with_capacity(patterns.len());
    for part in parts {
        all.extend(part?);
    }
    Ok(all)
}
