//! From a transaction log to what the models see of each customer: repeat purchases,
//! recency and age in the calibration period, mean repeat spend, and purchases in the holdout.
//!
//! Purchases are counted per calendar day: several transactions of one customer on one day are
//! one purchase with their amounts summed (a stay with several folio lines is one stay). This is
//! how Fader, Hardie and Lee prepare CDNOW and what lifetimes'
//! `calibration_and_holdout_data(..., freq='D')` does; with weeks as the unit of time it is
//! `freq='D', freq_multiplier=7`, not `freq='W'` (which merges all purchases of a week).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// One line of the transaction log. `customer` is a dense index (0..customers) assigned by the
/// caller; `amount` is in hundredths of the currency unit so that sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transaction {
    pub customer: u32,
    pub date: NaiveDate,
    pub amount: i64,
}

/// The unit in which recency, age and horizons are measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
}

impl Period {
    pub fn days(self) -> u32 {
        match self {
            Period::Day => 1,
            Period::Week => 7,
        }
    }

    /// Periods per month for discounting, as lifetimes counts them (30 days, 4.345 weeks), so
    /// lifetime values compare one to one.
    pub fn per_month(self) -> f64 {
        match self {
            Period::Day => 30.0,
            Period::Week => 4.345,
        }
    }

    pub fn parse(text: &str) -> Option<Period> {
        match text {
            "day" => Some(Period::Day),
            "week" => Some(Period::Week),
            _ => None,
        }
    }
}

/// Calibration runs up to and including `calibration_end`; the holdout is the days after it up
/// to and including `observation_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub calibration_end: NaiveDate,
    pub observation_end: NaiveDate,
}

impl Window {
    pub fn holdout_days(&self) -> u32 {
        (self.observation_end - self.calibration_end).num_days().max(0) as u32
    }
}

/// One customer's calibration-period summary (in days) and holdout count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerHistory {
    pub customer: u32,
    /// Purchase days after the first one, up to the calibration end (x).
    pub frequency: u32,
    /// Days from the first to the last purchase day (t_x).
    pub recency_days: u32,
    /// Days from the first purchase day to the calibration end (T).
    pub age_days: u32,
    /// Sum of the amounts of the repeat purchase days, in hundredths.
    pub repeat_spend: i64,
    /// Purchase days in the holdout period.
    pub holdout_purchases: u32,
}

impl CustomerHistory {
    /// Mean spend per repeat purchase day in currency units; 0 without repeat purchases (the
    /// Gamma-Gamma fit leaves those customers out).
    pub fn monetary_value(&self) -> f64 {
        if self.frequency == 0 {
            0.0
        } else {
            self.repeat_spend as f64 / 100.0 / self.frequency as f64
        }
    }
}

/// Customer histories of a log plus what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Histories {
    /// Customers with a purchase on or before the calibration end, by customer index.
    pub customers: Vec<CustomerHistory>,
    /// Customers whose first purchase falls after the calibration end.
    pub first_seen_in_holdout: usize,
    /// Transactions after the observation end, not used.
    pub after_observation_end: usize,
}

/// Summarises a log whose customer indices run from 0 to `customers − 1`.
///
/// Groups by customer with a counting sort (the log may come in any order) and then sorts each
/// customer's few transactions by date.
pub fn summarize(transactions: &[Transaction], customers: usize, window: Window) -> Histories {
    let mut start = vec![0u32; customers + 1];
    for t in transactions {
        start[t.customer as usize + 1] += 1;
    }
    for i in 0..customers {
        start[i + 1] += start[i];
    }
    let mut next = start.clone();
    let mut grouped = vec![(0i32, 0i64); transactions.len()];
    for t in transactions {
        let slot = &mut next[t.customer as usize];
        grouped[*slot as usize] = (day_number(t.date), t.amount);
        *slot += 1;
    }

    let calibration_end = day_number(window.calibration_end);
    let observation_end = day_number(window.observation_end);
    let mut histories = Histories {
        customers: Vec::with_capacity(customers),
        first_seen_in_holdout: 0,
        after_observation_end: 0,
    };
    for customer in 0..customers {
        let own = &mut grouped[start[customer] as usize..start[customer + 1] as usize];
        if own.is_empty() {
            continue;
        }
        own.sort_unstable_by_key(|&(day, _)| day);
        let first = own[0].0;
        if first > calibration_end {
            histories.first_seen_in_holdout += 1;
            histories.after_observation_end += own.iter().filter(|&&(d, _)| d > observation_end).count();
            continue;
        }
        let mut h = CustomerHistory {
            customer: customer as u32,
            frequency: 0,
            recency_days: 0,
            age_days: (calibration_end - first) as u32,
            repeat_spend: 0,
            holdout_purchases: 0,
        };
        let mut previous_day = first;
        for &(day, amount) in own.iter() {
            if day > observation_end {
                histories.after_observation_end += 1;
                continue;
            }
            let new_day = day != previous_day;
            if day <= calibration_end {
                if new_day {
                    h.frequency += 1;
                    h.recency_days = (day - first) as u32;
                }
                if day != first {
                    h.repeat_spend += amount;
                }
            } else if new_day {
                h.holdout_purchases += 1;
            }
            previous_day = day;
        }
        histories.customers.push(h);
    }
    histories
}

fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(customer: u32, date: &str, amount: i64) -> Transaction {
        Transaction {
            customer,
            date: d(date),
            amount,
        }
    }

    fn window() -> Window {
        Window {
            calibration_end: d("2024-03-31"),
            observation_end: d("2024-06-30"),
        }
    }

    #[test]
    fn counts_repeat_days_and_averages_their_spend() {
        // Out of order on purpose; two transactions on 2024-02-10 are one purchase of 150.00.
        let log = [
            t(0, "2024-02-10", 10_000),
            t(0, "2024-01-05", 99_999),
            t(0, "2024-03-01", 5_000),
            t(0, "2024-02-10", 5_000),
            t(0, "2024-04-15", 7_000),
            t(0, "2024-04-15", 1),
            t(0, "2024-05-01", 7_000),
            t(0, "2024-07-01", 7_000),
        ];
        let h = summarize(&log, 1, window());
        let c = h.customers[0];
        assert_eq!(c.frequency, 2);
        assert_eq!(c.recency_days, (d("2024-03-01") - d("2024-01-05")).num_days() as u32);
        assert_eq!(c.age_days, (d("2024-03-31") - d("2024-01-05")).num_days() as u32);
        assert_eq!(c.monetary_value(), 100.0, "(150.00 + 50.00) / 2, the first purchase left out");
        assert_eq!(c.holdout_purchases, 2, "two days in the holdout, the day after it ignored");
        assert_eq!(h.after_observation_end, 1);
    }

    #[test]
    fn a_single_stay_has_zero_frequency_recency_and_spend() {
        let h = summarize(&[t(0, "2024-03-01", 20_000)], 1, window());
        let c = h.customers[0];
        assert_eq!((c.frequency, c.recency_days, c.age_days, c.monetary_value()), (0, 0, 30, 0.0));
    }

    #[test]
    fn a_purchase_on_the_calibration_end_counts_in_calibration() {
        let log = [t(0, "2024-03-31", 100), t(1, "2024-03-01", 100), t(1, "2024-03-31", 300)];
        let h = summarize(&log, 2, window());
        assert_eq!(h.customers[0].age_days, 0);
        let c = h.customers[1];
        assert_eq!((c.frequency, c.recency_days, c.age_days), (1, 30, 30));
        assert_eq!(c.monetary_value(), 3.0);
    }

    #[test]
    fn customers_first_seen_after_calibration_are_left_out_and_counted() {
        let log = [t(0, "2024-04-02", 100), t(2, "2024-01-01", 100)];
        let h = summarize(&log, 3, window());
        assert_eq!(h.customers.len(), 1);
        assert_eq!(h.customers[0].customer, 2);
        assert_eq!(h.first_seen_in_holdout, 1);
    }

    #[test]
    fn a_first_day_split_over_several_lines_is_one_purchase() {
        let log = [t(0, "2024-01-01", 100), t(0, "2024-01-01", 200), t(0, "2024-01-02", 0)];
        let c = summarize(&log, 1, window()).customers[0];
        assert_eq!(c.frequency, 1);
        assert_eq!(c.monetary_value(), 0.0, "a zero-spend repeat day is a purchase with zero spend");
    }
}
