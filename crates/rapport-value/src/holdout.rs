//! How well the purchase model fitted on the calibration period predicts the holdout period:
//! predicted against actual repeat purchases per customer, overall and by calibration
//! frequency (the paper's figure 3 as a table).

use serde::{Deserialize, Serialize};

use crate::history::CustomerHistory;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldoutCheck {
    /// Length of the holdout in periods.
    pub periods: f64,
    pub customers: usize,
    pub actual_repeat_purchases: u64,
    pub predicted_repeat_purchases: f64,
    /// Mean over customers of |predicted − actual| purchases.
    pub mean_absolute_error: f64,
    /// Calibration frequencies 0 to 6 and, last, 7 and more.
    pub by_frequency: Vec<FrequencyRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequencyRow {
    /// The calibration frequency; the last row holds this many and more.
    pub frequency: u32,
    pub customers: usize,
    pub actual_mean: f64,
    pub predicted_mean: f64,
}

const LAST_ROW: u32 = 7;

/// Compares `predicted[i]`, the expected holdout purchases of `histories[i]`, with what they did.
pub fn check(histories: &[CustomerHistory], predicted: &[f64], periods: f64) -> HoldoutCheck {
    debug_assert_eq!(histories.len(), predicted.len());
    let mut rows: Vec<FrequencyRow> = (0..=LAST_ROW)
        .map(|frequency| FrequencyRow {
            frequency,
            customers: 0,
            actual_mean: 0.0,
            predicted_mean: 0.0,
        })
        .collect();
    let (mut actual, mut expected, mut abs_error) = (0u64, 0.0, 0.0);
    for (h, &e) in histories.iter().zip(predicted) {
        let a = u64::from(h.holdout_purchases);
        actual += a;
        expected += e;
        abs_error += (e - a as f64).abs();
        let row = &mut rows[h.frequency.min(LAST_ROW) as usize];
        row.customers += 1;
        row.actual_mean += a as f64;
        row.predicted_mean += e;
    }
    for row in &mut rows {
        if row.customers > 0 {
            row.actual_mean /= row.customers as f64;
            row.predicted_mean /= row.customers as f64;
        }
    }
    HoldoutCheck {
        periods,
        customers: histories.len(),
        actual_repeat_purchases: actual,
        predicted_repeat_purchases: expected,
        mean_absolute_error: if histories.is_empty() {
            0.0
        } else {
            abs_error / histories.len() as f64
        },
        by_frequency: rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(frequency: u32, holdout_purchases: u32) -> CustomerHistory {
        CustomerHistory {
            customer: 0,
            frequency,
            recency_days: 0,
            age_days: 100,
            repeat_spend: 0,
            holdout_purchases,
        }
    }

    #[test]
    fn sums_errors_and_groups_by_frequency() {
        let hs = [h(0, 0), h(0, 1), h(2, 3), h(9, 4), h(12, 6)];
        let predicted = [0.5, 0.5, 2.0, 5.0, 5.0];
        let c = check(&hs, &predicted, 39.0);
        assert_eq!(c.actual_repeat_purchases, 14);
        assert!((c.predicted_repeat_purchases - 13.0).abs() < 1e-12);
        assert!((c.mean_absolute_error - (0.5 + 0.5 + 1.0 + 1.0 + 1.0) / 5.0).abs() < 1e-12);
        assert_eq!((c.by_frequency[0].customers, c.by_frequency[0].actual_mean), (2, 0.5));
        let last = &c.by_frequency[7];
        assert_eq!((last.customers, last.actual_mean, last.predicted_mean), (2, 5.0, 5.0));
        assert_eq!(c.by_frequency[1].customers, 0);
    }
}
